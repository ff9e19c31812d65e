import type { Chain, IptablesRuleSet, Rule } from '../../ast/types.js';
import { isKubeChain } from '../../kube/chain-kind.js';
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
 */
export class ChainContext {
  readonly rules: RuleAt[] = [];
  private readonly byChain = new Map<string, Map<string, RuleAt[]>>();
  private readonly referrers = new Map<string, Map<string, RuleAt[]>>();
  private readonly spnCache = new Map<string, Map<string, string | null>>();
  private readonly shares = new Map<Rule, number>();

  constructor(readonly ruleSet: IptablesRuleSet) {
    for (const t of ruleSet.tables) {
      for (const chain of t.chains) {
        const list: RuleAt[] = [];
        chain.rules.forEach((rule, index) => {
          const at: RuleAt = { table: t.name, chain, index, rule, facts: ruleFacts(t.name, chain.name, rule) };
          list.push(at);
          this.rules.push(at);
        });
        inner(this.byChain, t.name).set(chain.name, list);
        this.computeShares(list);
      }
    }
    for (const r of this.rules) {
      const target = r.facts.target;
      if (!target) continue;
      const byTarget = inner(this.referrers, r.table);
      const l = byTarget.get(target);
      if (l) l.push(r);
      else byTarget.set(target, [r]);
    }
  }

  rulesOf(table: string, chain: string): RuleAt[] {
    return this.byChain.get(table)?.get(chain) ?? NO_RULES;
  }

  /** Whether the table has the chain (declared, with or without rules). */
  hasChain(table: string, chain: string): boolean {
    return this.byChain.get(table)?.has(chain) ?? false;
  }

  referrersOf(table: string, chain: string): RuleAt[] {
    return this.referrers.get(table)?.get(chain) ?? NO_RULES;
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
    return this.shares.get(rule) ?? null;
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
