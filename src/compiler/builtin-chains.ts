import { ZERO_COUNTERS } from '../ast/zero-counters.js';
import type { Chain, IptablesRuleSet, Rule } from '../ast/types.js';
import { own } from '../records.js';

/** The built-in chains kube-proxy hooks into, per table, in the order they are listed. */
export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/** The rules a table's built-in chain gets, given the chains the table declares. */
export type BuiltinRules = (table: string, chain: string, declared: { has(name: string): boolean }) => Rule[];

/**
 * The rule set with the built-in chains (policy ACCEPT) in front of each table's chains, holding
 * the rules `rulesOf` gives (the table's chain names at hand, for jumps to optional chains).
 * In a table written in a recorded order, those rules come first.
 */
export function withBuiltinChains(ruleSet: IptablesRuleSet, rulesOf: BuiltinRules): IptablesRuleSet {
  const tables = ruleSet.tables.map((t) => {
    const declared = new Set(t.chains.map((c) => c.name));
    const builtins: Chain[] = (own(BUILTIN_CHAINS, t.name) ?? []).map((name) => ({ name, policy: 'ACCEPT', counters: ZERO_COUNTERS, rules: rulesOf(t.name, name, declared) }));
    const chains = [...builtins, ...t.chains];
    if (!t.ruleOrder) return { ...t, chains };
    return { ...t, chains, ruleOrder: [...builtins.flatMap((c) => c.rules.map(() => c.name)), ...t.ruleOrder] };
  });
  return { ...ruleSet, tables };
}
