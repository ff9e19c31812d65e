import type { Chain, IptablesRuleSet, Rule, Table } from '../../ast/types.js';
import { viewRule, type RuleView } from '../../ast/rule-view.js';
import { KubeChains } from './kube-chains.js';
import { targetName } from './rule-scan.js';

/**
 * Indexes over one iptables rule set, built once and shared by every lint rule: the live chains
 * of each table and who jumps where. Built lazily and kept compact, because a 400,000-line
 * dump holds over 100,000 chains and 300,000 rules: chains are numbered, the rules that jump to
 * a chain are a linked list in typed arrays, and typed rule views are made on demand and not
 * kept.
 */

/** One rule in its place. */
export interface RuleRef {
  chain: Chain;
  index: number;
  rule: Rule;
}

interface Packed {
  /** Per rule (numbered across the table): its chain's number and its index in the chain. */
  ruleChain: Int32Array;
  ruleIndex: Int32Array;
  /** Per chain: its first referencing rule (-1 for none) and how many there are. */
  head: Int32Array;
  count: Int32Array;
  /** Per rule: the next rule that jumps to the same chain, or -1. */
  next: Int32Array;
  /** Targets that are not chains of the table (verdicts, extensions, dangling names). */
  other: Map<string, number[]>;
  /** Per chain: the target name of each rule. */
  namesOf: (string | undefined)[][];
  /** Per rule: the number of the chain it jumps to, or -1. */
  targetChain: Int32Array;
}

/** The live chains of a table by name (a read-only view over the numbered list). */
export class ChainsByName {
  constructor(
    private readonly list: readonly Chain[],
    private readonly ordinal: ReadonlyMap<string, number>,
  ) {}

  get(name: string): Chain | undefined {
    const o = this.ordinal.get(name);
    return o === undefined ? undefined : this.list[o];
  }

  has(name: string): boolean {
    return this.ordinal.has(name);
  }

  values(): IterableIterator<Chain> {
    return this.list.values();
  }

  get size(): number {
    return this.list.length;
  }
}

export class TableIndex {
  /** Chains that exist after the dump is applied (declared and not deleted with `-X`). */
  readonly chains: ChainsByName;
  readonly deleted: ReadonlySet<string>;
  /** The live chains in table order, and each name's number in it. */
  private readonly list: Chain[] = [];
  private readonly ordinal = new Map<string, number>();
  private packed: Packed | null = null;

  constructor(
    readonly table: Table,
    /** Whether the table lists every chain it has (a save dump or restore text, not a listing). */
    readonly complete: boolean,
  ) {
    this.deleted = new Set(table.deletedChains);
    for (const c of table.chains) {
      if (this.ordinal.has(c.name) || (this.deleted.size > 0 && this.deleted.has(c.name))) continue;
      this.ordinal.set(c.name, this.list.length);
      this.list.push(c);
    }
    this.chains = new ChainsByName(this.list, this.ordinal);
  }

  /** The typed views of a chain's rules, in order (made on each call). */
  views(chain: Chain): RuleView[] {
    return chain.rules.map((r) => viewRule(r));
  }

  /** Calls `f` with every live chain and the target (`-j`/`-g`) name of each of its rules. */
  forEachChain(f: (chain: Chain, targets: readonly (string | undefined)[], ordinal: number) => void): void {
    const { namesOf } = this.pack();
    for (let c = 0; c < this.list.length; c++) f(this.list[c] as Chain, namesOf[c] as (string | undefined)[], c);
  }

  /** The number of a live chain (its place in table order), or undefined. */
  ordinalOf(name: string): number | undefined {
    return this.ordinal.get(name);
  }

  /**
   * Calls `f` for every rule: its chain, index, target name and the number of the chain it
   * jumps to (-1 when it does not jump to a chain of the table).
   */
  forEachRule(f: (chain: Chain, ordinal: number, index: number, target: string | undefined, targetChain: number) => void): void {
    const p = this.pack();
    let n = 0;
    for (let c = 0; c < this.list.length; c++) {
      const chain = this.list[c] as Chain;
      const names = p.namesOf[c] as (string | undefined)[];
      for (let i = 0; i < names.length; i++, n++) f(chain, c, i, names[i], p.targetChain[n] as number);
    }
  }

  /** The rules that jump (`-j`) or go (`-g`) to `name`, in table order. */
  referencesTo(name: string): RuleRef[] {
    const p = this.pack();
    const o = this.ordinal.get(name);
    if (o === undefined) return (p.other.get(name) ?? []).map((n) => this.ref(n, p));
    const out: RuleRef[] = [];
    for (let n = p.head[o] as number; n >= 0; n = p.next[n] as number) out.push(this.ref(n, p));
    return out;
  }

  /** How many rules jump or go to `name`. */
  referenceCount(name: string): number {
    const p = this.pack();
    const o = this.ordinal.get(name);
    return o === undefined ? (p.other.get(name)?.length ?? 0) : (p.count[o] as number);
  }

  /** Whether a rule of a chain that `test` accepts jumps or goes to `name`. */
  someReference(name: string, test: (chain: Chain) => boolean): boolean {
    const p = this.pack();
    const o = this.ordinal.get(name);
    if (o === undefined) return (p.other.get(name) ?? []).some((n) => test(this.list[p.ruleChain[n] as number] as Chain));
    for (let n = p.head[o] as number; n >= 0; n = p.next[n] as number) if (test(this.list[p.ruleChain[n] as number] as Chain)) return true;
    return false;
  }

  /** Target names that are not chains of the table: verdicts, target extensions, dangling jumps. */
  otherTargets(): IterableIterator<string> {
    return this.pack().other.keys();
  }

  private ref(n: number, p: Packed): RuleRef {
    const chain = this.list[p.ruleChain[n] as number] as Chain;
    const index = p.ruleIndex[n] as number;
    return { chain, index, rule: chain.rules[index] as Rule };
  }

  private pack(): Packed {
    if (this.packed) return this.packed;
    let total = 0;
    for (const c of this.list) total += c.rules.length;
    const chains = this.list.length;
    const p: Packed = {
      ruleChain: new Int32Array(total),
      ruleIndex: new Int32Array(total),
      head: new Int32Array(chains).fill(-1),
      count: new Int32Array(chains),
      next: new Int32Array(total).fill(-1),
      other: new Map(),
      namesOf: [],
      targetChain: new Int32Array(total).fill(-1),
    };
    // Each chain's list of referencing rules is appended at its tail, so it is in table order.
    const tails = new Int32Array(chains).fill(-1);
    let n = 0;
    for (let c = 0; c < chains; c++) {
      const rules = (this.list[c] as Chain).rules;
      const names: (string | undefined)[] = new Array<string | undefined>(rules.length);
      p.namesOf.push(names);
      for (let i = 0; i < rules.length; i++, n++) {
        const t = targetName(rules[i] as Rule);
        names[i] = t;
        p.ruleChain[n] = c;
        p.ruleIndex[n] = i;
        if (t === undefined) continue;
        const o = this.ordinal.get(t);
        if (o === undefined) {
          const list = p.other.get(t);
          if (list) list.push(n);
          else p.other.set(t, [n]);
          continue;
        }
        p.targetChain[n] = o;
        if (p.head[o] === -1) p.head[o] = n;
        else p.next[tails[o] as number] = n;
        tails[o] = n;
        p.count[o] = (p.count[o] as number) + 1;
      }
    }
    this.packed = p;
    return p;
  }
}

export class RuleSetIndex {
  private readonly tables = new Map<string, TableIndex>();
  private kube: KubeChains | null | undefined;

  constructor(readonly ruleSet: IptablesRuleSet) {
    const complete = isCompleteRuleSet(ruleSet);
    for (const t of ruleSet.tables) {
      if (!this.tables.has(t.name)) this.tables.set(t.name, new TableIndex(t, complete && t.committed !== false));
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
