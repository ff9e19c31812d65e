import type { IptablesRuleSet } from '../../ast/types.js';
import { addHooks } from '../../compiler/iptables/hooks.js';
import { addIpvsHooks } from '../../compiler/ipvs/hooks.js';

const BUILTIN = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/** Whether any table of the rule set has a built-in chain. */
export function hasBuiltinChains(ruleSet: IptablesRuleSet): boolean {
  return ruleSet.tables.some((t) => t.chains.some((c) => BUILTIN.has(c.name)));
}

/** Whether the chains are those of kube-proxy's IPVS mode. */
export function looksLikeIpvsMode(ruleSet: IptablesRuleSet): boolean {
  return ruleSet.tables.some((t) => t.chains.some((c) => c.name === 'KUBE-IPVS-FILTER' || c.name === 'KUBE-NODE-PORT' || c.name === 'KUBE-LOAD-BALANCER'));
}

/**
 * A rule set without built-in chains (kube-proxy's restore text, a dump of its chains only) gets
 * kube-proxy's jumps into its chains, as the node has them: the iptables-mode jumps, or the IPVS
 * mode ones when the chains are IPVS mode's. A rule set with built-in chains is returned as is.
 */
export function withImpliedHooks(ruleSet: IptablesRuleSet): { ruleSet: IptablesRuleSet; added: boolean } {
  if (hasBuiltinChains(ruleSet)) return { ruleSet, added: false };
  return { ruleSet: looksLikeIpvsMode(ruleSet) ? addIpvsHooks(ruleSet) : addHooks(ruleSet), added: true };
}
