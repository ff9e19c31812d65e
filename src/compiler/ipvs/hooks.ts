import { rule } from '../../ast/rule-builder.js';
import type { IptablesRuleSet, Rule } from '../../ast/types.js';
import { withBuiltinChains } from '../builtin-chains.js';
import { FIXED_COMMENTS } from '../../kube/rule-comments.js';

/**
 * The jumps kube-proxy's IPVS proxier inserts at the top of the built-in chains (outside its
 * restore payload). Each is inserted at position 1 in kube-proxy's order, so a chain ends up
 * holding them in reverse; listed here top first.
 */
const HOOKS: readonly { table: string; chain: string; to: string; comment: string }[] = [
  { table: 'nat', chain: 'PREROUTING', to: 'KUBE-SERVICES', comment: FIXED_COMMENTS.servicePortals },
  { table: 'nat', chain: 'OUTPUT', to: 'KUBE-SERVICES', comment: FIXED_COMMENTS.servicePortals },
  { table: 'nat', chain: 'POSTROUTING', to: 'KUBE-POSTROUTING', comment: FIXED_COMMENTS.postrouting },
  { table: 'filter', chain: 'INPUT', to: 'KUBE-IPVS-FILTER', comment: FIXED_COMMENTS.ipvsAccessFilter },
  { table: 'filter', chain: 'INPUT', to: 'KUBE-PROXY-FIREWALL', comment: FIXED_COMMENTS.proxyFirewall },
  { table: 'filter', chain: 'INPUT', to: 'KUBE-NODE-PORT', comment: FIXED_COMMENTS.healthCheckRules },
  { table: 'filter', chain: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', comment: FIXED_COMMENTS.proxyFirewall },
  { table: 'filter', chain: 'FORWARD', to: 'KUBE-FORWARD', comment: FIXED_COMMENTS.forwarding },
  { table: 'filter', chain: 'OUTPUT', to: 'KUBE-IPVS-OUT-FILTER', comment: FIXED_COMMENTS.ipvsAccessFilter },
];


/** Adds the built-in chains (policy ACCEPT) with kube-proxy's jumps, written before the payload's rules. */
export function addIpvsHooks(ruleSet: IptablesRuleSet): IptablesRuleSet {
  return withBuiltinChains(ruleSet, (table, chain) =>
    HOOKS.filter((h) => h.table === table && h.chain === chain).map((h): Rule => rule().comment(h.comment).jump(h.to).build()),
  );
}
