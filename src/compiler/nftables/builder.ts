import type { NftBaseChain, NftChain, NftElement, NftFamily, NftRuleSet, NftSet } from '../../ast/nft-types.js';

/**
 * Collects what the nftables proxier adds to its table in one sync: chains created once and
 * filled rule by rule, sets and maps, and their elements. An element key is written once: a
 * later element with the same key and another value replaces it (value and comment); with the
 * same value the first one stays, as the kernel keeps the element it already has.
 */
export class NftBuilder {
  private readonly chains = new Map<string, NftChain>();
  private readonly sets = new Map<string, NftSet>();
  private readonly elements = new Map<string, Map<string, NftElement>>();

  constructor(
    private readonly family: NftFamily,
    private readonly table: string,
    private readonly tableComment: string,
  ) {}

  /** Creates the chain if it does not exist yet; returns it. */
  chain(name: string, props: { base?: NftBaseChain; comment?: string } = {}): NftChain {
    let c = this.chains.get(name);
    if (!c) {
      c = { name, rules: [], ...(props.base ? { base: props.base } : {}), ...(props.comment !== undefined ? { comment: props.comment } : {}) };
      this.chains.set(name, c);
    }
    return c;
  }

  rule(chain: string, words: readonly string[], comment?: string): void {
    this.chain(chain).rules.push({ words: [...words], ...(comment !== undefined ? { comment } : {}) });
  }

  set(set: Omit<NftSet, 'elements'>): void {
    if (!this.sets.has(set.name)) this.sets.set(set.name, { ...set, elements: [] });
  }

  element(setName: string, element: NftElement): void {
    let byKey = this.elements.get(setName);
    if (!byKey) {
      byKey = new Map();
      this.elements.set(setName, byKey);
    }
    const id = element.key.join(' . ');
    const prev = byKey.get(id);
    if (prev === undefined || prev.value !== element.value) byKey.set(id, element);
  }

  build(): NftRuleSet {
    const sets = [...this.sets.values()].map((s) => ({ ...s, elements: [...(this.elements.get(s.name)?.values() ?? [])] }));
    return { kind: 'nft', family: this.family, table: this.table, tableComment: this.tableComment, chains: [...this.chains.values()], sets, origin: 'compiled', fidelity: 'exact' };
  }
}
