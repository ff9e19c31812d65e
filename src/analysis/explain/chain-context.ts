import type { Chain, IptablesRuleSet, Rule } from '../../ast/types.js';
import { isKubeChain } from '../../kube/chain-kind.js';
import { ruleTargetName } from '../../ast/rule-view.js';
import { kernelProbability } from '../trace/matches/statistic.js';
import { ruleFacts, spnOfComment, type RuleFacts } from './facts.js';

/** A rule with its facts and where it sits. */
export interface RuleAt {
  table: string;
  chain: Chain;
  index: number;
  rule: Rule;
  facts: RuleFacts;
}

/**
 * What an explanation needs beyond the rule itself: the service port a chain belongs to (from its
 * own comments or from the chains that jump to it, for large clusters where kube-proxy leaves the
 * per-endpoint comments out), the endpoint behind each KUBE-SEP chain, and the share of new
 * connections each endpoint rule of a KUBE-SVC/KUBE-SVL chain gets.
 *
 * The facts of a rule are read when a question needs them, chain by chain: explaining one chain
 * of a 400,000-rule dump reads that chain and the few it leads to, not every rule.
 */
export class ChainContext {
  /** Each table's chains by name (the last of a name, as a lookup by name finds it). */
  private readonly chains = new Map<string, Map<string, Chain>>();
  private readonly byChain = new Map<string, Map<string, RuleAt[]>>();
  private readonly atOfRule = new Map<Rule, RuleAt>();
  /** Per table, per target: the rules that jump there, as table chain, rule index pairs. */
  private referrerIndex: Map<string, Map<string, { chain: Chain; index: number }[]>> | undefined;
  private readonly referrers = new Map<string, Map<string, RuleAt[]>>();
  private readonly spnCache = new Map<string, Map<string, string | null>>();
  private readonly shares = new Map<Rule, number>();
  private all: RuleAt[] | undefined;

  constructor(readonly ruleSet: IptablesRuleSet) {
    for (const t of ruleSet.tables) {
      const byName = inner(this.chains, t.name);
      for (const chain of t.chains) byName.set(chain.name, chain);
    }
  }

  /** Every rule with its facts, table by table, chain by chain. */
  get rules(): RuleAt[] {
    if (this.all === undefined) {
      const all: RuleAt[] = [];
      for (const t of this.ruleSet.tables) for (const chain of t.chains) for (const at of this.listOf(t.name, chain)) all.push(at);
      this.all = all;
    }
    return this.all;
  }

  rulesOf(table: string, chain: string): RuleAt[] {
    const c = this.chains.get(table)?.get(chain);
    return c === undefined ? NO_RULES : this.listOf(table, c);
  }

  /**
   * The rules of a chain with their facts, one at a time, none of them kept: for one walk over a
   * large rule set that reads each chain about once (the service model), whose facts then die
   * young instead of filling the heap.
   */
  *eachRuleOf(table: string, chain: string): Generator<RuleAt> {
    const c = this.chains.get(table)?.get(chain);
    if (c === undefined) return;
    const rules = c.rules;
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index] as Rule;
      yield { table, chain: c, index, rule, facts: ruleFacts(table, c.name, rule) };
    }
  }

  /** Whether the table has the chain (declared, with or without rules). */
  hasChain(table: string, chain: string): boolean {
    return this.chains.get(table)?.has(chain) ?? false;
  }

  referrersOf(table: string, chain: string): RuleAt[] {
    const byTarget = inner(this.referrers, table);
    let list = byTarget.get(chain);
    if (list === undefined) {
      const found = this.referrerIndexOf(table).get(chain);
      list = found === undefined ? NO_RULES : found.map(({ chain: c, index }) => this.atOf(table, c, index));
      byTarget.set(chain, list);
    }
    return list;
  }

  /** The service port a chain serves: its own comments first, then the chains that jump to it. */
  spnOf(table: string, chain: string, depth = 0): string | null {
    const cache = inner(this.spnCache, table);
    const cached = cache.get(chain);
    if (cached !== undefined) return cached;
    let found: string | null = null;
    for (const r of this.rulesOf(table, chain)) {
      found = spnOfComment(r.facts.comment);
      if (found) break;
    }
    if (!found && depth < 4 && isKubeChain(chain)) {
      for (const r of this.referrersOf(table, chain)) {
        found = r.facts.spn ?? this.spnOf(table, r.chain.name, depth + 1);
        if (found) break;
      }
    }
    cache.set(chain, found);
    return found;
  }

  /** The endpoint (`IP:port`) a KUBE-SEP chain DNATs to. */
  endpointOf(table: string, chain: string): string | null {
    for (const r of this.rulesOf(table, chain)) {
      if (r.facts.target === 'DNAT') return r.facts.targetOption('--to-destination') ?? null;
    }
    return null;
  }

  /** The share of new connections through the chain that this rule takes (random splits only). */
  shareOf(rule: Rule): number | null {
    const at = this.atOfRule.get(rule);
    // The shares of a chain are worked out with its list of rules.
    if (at !== undefined) this.listOf(at.table, at.chain);
    return this.shares.get(rule) ?? null;
  }

  /** The rules of a chain with their facts, read the first time they are asked for. */
  private listOf(table: string, chain: Chain): RuleAt[] {
    const lists = inner(this.byChain, table);
    let list = lists.get(chain.name);
    if (list === undefined || (list.length > 0 && (list[0] as RuleAt).chain !== chain)) {
      list = chain.rules.map((_, index) => this.atOf(table, chain, index));
      lists.set(chain.name, list);
      this.computeShares(list);
    }
    return list;
  }

  private atOf(table: string, chain: Chain, index: number): RuleAt {
    const rule = chain.rules[index] as Rule;
    let at = this.atOfRule.get(rule);
    if (at === undefined || at.chain !== chain || at.table !== table || at.index !== index) {
      at = { table, chain, index, rule, facts: ruleFacts(table, chain.name, rule) };
      this.atOfRule.set(rule, at);
    }
    return at;
  }

  /** Who jumps where, read from each rule's target alone (no facts). */
  private referrerIndexOf(table: string): Map<string, { chain: Chain; index: number }[]> {
    this.referrerIndex ??= new Map();
    let index = this.referrerIndex.get(table);
    if (index === undefined) {
      index = new Map();
      for (const t of this.ruleSet.tables) {
        if (t.name !== table) continue;
        for (const chain of t.chains) {
          chain.rules.forEach((rule, i) => {
            const target = ruleTargetName(rule);
            if (!target) return;
            const l = (index as Map<string, { chain: Chain; index: number }[]>).get(target);
            if (l) l.push({ chain, index: i });
            else (index as Map<string, { chain: Chain; index: number }[]>).set(target, [{ chain, index: i }]);
          });
        }
      }
      this.referrerIndex.set(table, index);
    }
    return index;
  }

  /** Walks an endpoint chain the way the random split does: each rule takes p of what is left. */
  private computeShares(list: RuleAt[]): void {
    let left = 1;
    for (const r of list) {
      if (!r.facts.target?.startsWith('KUBE-SEP-') || r.facts.recent) continue;
      const p = r.facts.probability === null ? 1 : kernelProbability(Number(r.facts.probability));
      this.shares.set(r.rule, left * p);
      left *= 1 - p;
    }
  }
}

const NO_RULES: RuleAt[] = [];

function inner<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = outer.get(key);
  if (!m) {
    m = new Map();
    outer.set(key, m);
  }
  return m;
}
