import type { Chain, IptablesRuleSet, Rule, RuleSet, Table } from '../../ast/types.js';
import { displayName } from '../../display-text.js';
import { viewRule, type RuleView } from '../../ast/rule-view.js';
import { KubeChains } from './kube-chains.js';
import { ChainNumbers } from './chain-numbers.js';
import { TableFacts } from './table-facts.js';
import { isTargetExtension } from './targets.js';

/**
 * Indexes over one iptables rule set, built once and shared by every lint rule: the live chains
 * of each table and who jumps where. Built lazily and kept compact, because a 400,000-line
 * dump holds over 100,000 chains and 300,000 rules: chains and rules are numbered, what each
 * rule says is read once into flat arrays (`TableFacts`), and typed rule views are made on
 * demand and not kept.
 */

/** The live chains of a table by name (a read-only view over the numbered list). */
export class ChainsByName {
  constructor(
    private readonly list: readonly Chain[],
    private readonly numbers: ChainNumbers,
  ) {}

  get(name: string): Chain | undefined {
    const o = this.numbers.get(name);
    return o === undefined ? undefined : this.list[o];
  }

  has(name: string): boolean {
    return this.numbers.has(name);
  }
}

/**
 * What a table's text leaves out. `partial` is why the text holds, or may hold, only part of
 * the table (the reason the notes of rules that need the whole table give); `cut` says which
 * chains may be shown with only some of their rules: every chain (lines cut out of a dump), the
 * chains from one on (a dump that stops inside the table), or none (a listing prints each
 * chain it shows whole).
 */
interface Partiality {
  partial: string;
  cut: 'every' | 'none' | number;
}

export class TableIndex {
  /** Chains that exist after the dump is applied (declared and not deleted with `-X`). */
  readonly chains: ChainsByName;
  readonly deleted: ReadonlySet<string>;
  /** The live chains in table order. */
  private readonly list: Chain[];
  /** Each live chain's number (its place in `list`) by name. */
  readonly numbers: ChainNumbers;
  private built: TableFacts | null = null;
  private unknown: Map<string, number[]> | null = null;
  private partiality: Partiality | null | undefined;

  constructor(
    readonly table: Table,
    /** The rule set the table is of (its origin and fidelity tell what its text may leave out). */
    private readonly ruleSet: Pick<IptablesRuleSet, 'origin' | 'fidelity' | 'lossyBecause'>,
  ) {
    this.deleted = new Set(table.deletedChains);
    this.numbers = new ChainNumbers(table.chains.length);
    const list = new Array<Chain>(table.chains.length);
    let live = 0;
    for (const c of table.chains) {
      if (this.deleted.size > 0 && this.deleted.has(c.name)) continue;
      if (this.numbers.add(c.name, live)) list[live++] = c;
    }
    list.length = live;
    this.list = list;
    this.chains = new ChainsByName(this.list, this.numbers);
  }

  /**
   * Whether the text holds the whole table, every chain with every rule (a save dump, restore
   * text, a full `iptables -S`): only then does a chain or rule the text lacks not exist.
   */
  get complete(): boolean {
    return this.partialityOf() === null;
  }

  /**
   * Why the text holds, or may hold, only part of the table (`table nat is an excerpt (…)`), or
   * undefined when it holds all of it. Rules that reason from what is absent say this instead.
   */
  get partial(): string | undefined {
    return this.partialityOf()?.partial;
  }

  /**
   * Whether the text may show chain `c` (a number of `chainAt`) with only some of its rules:
   * lines cut out of a dump, or the chain where a truncated dump stops and those after it.
   */
  mayBeCut(c: number): boolean {
    const p = this.partialityOf();
    if (p === null) return false;
    return p.cut === 'every' ? true : p.cut === 'none' ? false : c >= p.cut;
  }

  private partialityOf(): Partiality | null {
    if (this.partiality === undefined) this.partiality = partialityOf(this, this.ruleSet) ?? null;
    return this.partiality;
  }

  /** What every rule of the live chains says, numbered across the table (read on first use). */
  facts(): TableFacts {
    this.built ??= new TableFacts(this.list, this.numbers);
    return this.built;
  }

  /** The number of live chains. */
  get chainCount(): number {
    return this.list.length;
  }

  /** The live chain numbered `c` (its place in table order). */
  chainAt(c: number): Chain {
    return this.list[c] as Chain;
  }

  /** The number of a live chain (its place in table order), or undefined. */
  ordinalOf(name: string): number | undefined {
    return this.numbers.get(name);
  }

  /** The rule numbered `n` in `facts()`. */
  ruleAt(n: number): Rule {
    const f = this.facts();
    const c = f.chainOf[n] as number;
    return (this.list[c] as Chain).rules[n - (f.firstRule[c] as number)] as Rule;
  }

  /** The typed views of a chain's rules, in order (made on each call). */
  views(chain: Chain): RuleView[] {
    return chain.rules.map((r) => viewRule(r));
  }

  /**
   * The target names that are neither chains of the table nor verdicts or target extensions
   * (jumps to chains that do not exist), each with the numbers of the rules that use it, in
   * table order.
   */
  unknownTargets(): ReadonlyMap<string, readonly number[]> {
    if (this.unknown) return this.unknown;
    const f = this.facts();
    const unknown = new Map<string, number[]>();
    for (let n = 0; n < f.size; n++) {
      const t = f.target[n];
      if (t === undefined || f.targetChain[n] !== -1 || isTargetExtension(t)) continue;
      const list = unknown.get(t);
      if (list) list.push(n);
      else unknown.set(t, [n]);
    }
    this.unknown = unknown;
    return unknown;
  }
}

export class RuleSetIndex {
  private readonly tables = new Map<string, TableIndex>();
  private kube: KubeChains | null | undefined;

  constructor(readonly ruleSet: IptablesRuleSet) {
    for (const t of ruleSet.tables) {
      if (!this.tables.has(t.name)) this.tables.set(t.name, new TableIndex(t, ruleSet));
    }
  }

  table(name: string): TableIndex | undefined {
    return this.tables.get(name);
  }

  allTables(): TableIndex[] {
    return [...this.tables.values()];
  }

  /** kube-proxy's per-service chains of the nat table, with what their rules say they serve. */
  kubeChains(): KubeChains | null {
    if (this.kube === undefined) {
      const nat = this.tables.get('nat');
      this.kube = nat ? new KubeChains(nat) : null;
    }
    return this.kube;
  }

  /**
   * Whether the rule set was written by kube-proxy's IPVS mode (its companion iptables rules:
   * KUBE-NODE-PORT / KUBE-LOAD-BALANCER chains) rather than iptables mode.
   */
  isIpvsMode(): boolean {
    const nat = this.tables.get('nat');
    if (!nat) return false;
    return ['KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-LOOP-BACK'].some((c) => nat.chains.has(c));
  }
}

/** The origins of listings of a live node's rules: `iptables -S` and `iptables -L`. */
const RULES_LISTING = 'iptables-rules';
const isListing = (origin: string): boolean => /list/i.test(origin);

/**
 * What the text of a table leaves out, or undefined when it holds the whole table:
 * - a table the parser marked as an excerpt (`excerpt`), or that ends without COMMIT;
 * - an `iptables -L` listing, which need not list every chain (nor show every value, when lossy);
 * - `iptables -S` text that jumps to chains it does not list (the kernel holds no jump to a
 *   chain that does not exist, so a listing of a live table that does is an excerpt), or that
 *   has no `-P` line (a full `iptables -S` starts with the built-in chains' policies: without
 *   them, the text is a listing of single chains, or rule lines cut out of a dump).
 */
function partialityOf(t: TableIndex, ruleSet: Pick<IptablesRuleSet, 'origin' | 'fidelity' | 'lossyBecause'>): Partiality | undefined {
  const table = t.table;
  const name = displayName(table.name);
  if (table.excerpt !== undefined) return { partial: `table ${name} is an excerpt (${table.excerpt})`, cut: 'every' };
  if (table.committed === false) {
    return { partial: `table ${name} is an excerpt (no COMMIT: the text stops inside the table)`, cut: firstChainAfterCut(t) };
  }
  const listing = isListing(ruleSet.origin);
  if (listing || ruleSet.origin === RULES_LISTING) {
    const unlisted = firstUnlisted(t);
    if (unlisted !== undefined) {
      const more = unlisted.count > 1 ? ` and ${unlisted.count - 1} more` : '';
      return { partial: `table ${name} is an excerpt (its rules jump to ${displayName(unlisted.name)}${more}, which the text does not list)`, cut: listing ? 'none' : 'every' };
    }
    if (!listing && !table.chains.some((c) => c.policy !== '-')) {
      return { partial: `table ${name} is an excerpt (no -P line: single chains listed, or rule lines cut out of a dump)`, cut: 'every' };
    }
  }
  if (listing) return { partial: `table ${name} comes from an iptables -L listing, which need not list every chain`, cut: 'none' };
  const lossy = lossiness(ruleSet);
  if (lossy !== undefined) return { partial: `table ${name} cannot be read whole: ${lossy}`, cut: 'none' };
  return undefined;
}

/** The first name jumped to (in table order) that is neither a chain of the table nor a target, and how many such names there are. */
function firstUnlisted(t: TableIndex): { name: string; count: number } | undefined {
  const unknown = t.unknownTargets();
  for (const name of unknown.keys()) return { name, count: unknown.size };
  return undefined;
}

/**
 * For a dump that stops inside a table: the number of the first chain that may have lost rules.
 * iptables-save writes the rules chain by chain in the order it declares the chains, so the
 * chain of the last rule may be cut, and the chains after it may have lost all of theirs.
 */
function firstChainAfterCut(t: TableIndex): Partiality['cut'] {
  if (t.table.ruleOrder !== undefined) return 'every';
  let last = -1;
  let line = -1;
  for (let c = 0; c < t.chainCount; c++) {
    for (const r of t.chainAt(c).rules) {
      const at = r.pos?.line ?? -1;
      if (at >= line) {
        line = at;
        last = c;
      }
    }
  }
  return last < 0 ? 'every' : last;
}

/** What a lossy rule set hides, one reason each (its origin when the parser gave none). */
function lossyReasons(ruleSet: Pick<RuleSet, 'origin' | 'lossyBecause'>): string[] {
  const why = ruleSet.lossyBecause ?? [];
  return why.length > 0 ? why : ['it hides some values'];
}

/**
 * Why a rule set's values cannot be compared as written (`the iptables-list text is lossy (names
 * instead of addresses and ports (no -n))`), or undefined for exact text. Rules that compare
 * addresses, ports or matches say this instead of guessing.
 */
export function lossiness(ruleSet: Pick<RuleSet, 'origin' | 'fidelity' | 'lossyBecause'>): string | undefined {
  if (ruleSet.fidelity !== 'lossy') return undefined;
  return `the ${ruleSet.origin} text is lossy (${lossyReasons(ruleSet).join('; ')})`;
}
