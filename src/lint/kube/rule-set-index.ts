import type { Chain, IptablesRuleSet, Rule, Table } from '../../ast/types.js';
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

  constructor(
    readonly table: Table,
    /** Whether the table lists every chain it has (a save dump or restore text, not a listing). */
    readonly complete: boolean,
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
    const complete = isCompleteRuleSet(ruleSet);
    for (const t of ruleSet.tables) {
      if (!this.tables.has(t.name)) this.tables.set(t.name, new TableIndex(t, complete && t.committed !== false && t.excerpt === undefined));
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

/**
 * Whether a rule set names every chain of its tables: save dumps and restore text do, listings
 * (`iptables -L`) may show only some chains, and lossy text cannot be trusted for this.
 */
export function isCompleteRuleSet(ruleSet: IptablesRuleSet): boolean {
  return ruleSet.fidelity === 'exact' && !/list/i.test(ruleSet.origin);
}
