import { rule } from '../../ast/rule-builder.js';
import type { IptablesRuleSet, Rule } from '../../ast/types.js';
import { withBuiltinChains } from '../builtin-chains.js';

/**
 * The jumps kube-proxy's IPVS proxier inserts at the top of the built-in chains (outside its
 * restore payload). Each is inserted at position 1 in kube-proxy's order, so a chain ends up
 * holding them in reverse; listed here top first.
 */
const HOOKS: readonly { table: string; chain: string; to: string; comment: string }[] = [
  { table: 'nat', chain: 'PREROUTING', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', chain: 'OUTPUT', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', chain: 'POSTROUTING', to: 'KUBE-POSTROUTING', comment: 'kubernetes postrouting rules' },
  { table: 'filter', chain: 'INPUT', to: 'KUBE-IPVS-FILTER', comment: 'kubernetes ipvs access filter' },
  { table: 'filter', chain: 'INPUT', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', chain: 'INPUT', to: 'KUBE-NODE-PORT', comment: 'kubernetes health check rules' },
  { table: 'filter', chain: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', chain: 'FORWARD', to: 'KUBE-FORWARD', comment: 'kubernetes forwarding rules' },
  { table: 'filter', chain: 'OUTPUT', to: 'KUBE-IPVS-OUT-FILTER', comment: 'kubernetes ipvs access filter' },
];


/** Adds the built-in chains (policy ACCEPT) with kube-proxy's jumps, written before the payload's rules. */
export function addIpvsHooks(ruleSet: IptablesRuleSet): IptablesRuleSet {
  return withBuiltinChains(ruleSet, (table, chain) =>
    HOOKS.filter((h) => h.table === table && h.chain === chain).map((h): Rule => rule().comment(h.comment).jump(h.to).build()),
  );
}
