import { rule } from '../../ast/rule-builder.js';
import type { IptablesRuleSet, Rule } from '../../ast/types.js';
import { withBuiltinChains, type BuiltinRules } from '../builtin-chains.js';
import { FIXED_COMMENTS } from '../../kube/rule-comments.js';

/**
 * The jumps kube-proxy installs in the built-in chains (outside its restore text). Each is
 * inserted at the top, so the list below is in the order the rules end up in, top first.
 */
const HOOKS: { table: string; chain: string; rule: () => Rule; needs?: string }[] = [
  { table: 'filter', chain: 'INPUT', needs: 'KUBE-FIREWALL', rule: () => rule().jump('KUBE-FIREWALL').build() },
  { table: 'filter', chain: 'INPUT', needs: 'KUBE-PROXY-FIREWALL', rule: () => newConn().comment(FIXED_COMMENTS.loadBalancerFirewall).jump('KUBE-PROXY-FIREWALL').build() },
  { table: 'filter', chain: 'INPUT', needs: 'KUBE-NODEPORTS', rule: () => rule().comment(FIXED_COMMENTS.healthCheckServicePorts).jump('KUBE-NODEPORTS').build() },
  { table: 'filter', chain: 'INPUT', needs: 'KUBE-EXTERNAL-SERVICES', rule: () => newConn().comment(FIXED_COMMENTS.externalServicePortals).jump('KUBE-EXTERNAL-SERVICES').build() },
  { table: 'filter', chain: 'FORWARD', needs: 'KUBE-PROXY-FIREWALL', rule: () => newConn().comment(FIXED_COMMENTS.loadBalancerFirewall).jump('KUBE-PROXY-FIREWALL').build() },
  { table: 'filter', chain: 'FORWARD', needs: 'KUBE-FORWARD', rule: () => rule().comment(FIXED_COMMENTS.forwarding).jump('KUBE-FORWARD').build() },
  { table: 'filter', chain: 'FORWARD', rule: () => newConn().comment(FIXED_COMMENTS.servicePortals).jump('KUBE-SERVICES').build() },
  { table: 'filter', chain: 'FORWARD', needs: 'KUBE-EXTERNAL-SERVICES', rule: () => newConn().comment(FIXED_COMMENTS.externalServicePortals).jump('KUBE-EXTERNAL-SERVICES').build() },
  { table: 'filter', chain: 'OUTPUT', needs: 'KUBE-FIREWALL', rule: () => rule().jump('KUBE-FIREWALL').build() },
  { table: 'filter', chain: 'OUTPUT', needs: 'KUBE-PROXY-FIREWALL', rule: () => newConn().comment(FIXED_COMMENTS.loadBalancerFirewall).jump('KUBE-PROXY-FIREWALL').build() },
  { table: 'filter', chain: 'OUTPUT', rule: () => newConn().comment(FIXED_COMMENTS.servicePortals).jump('KUBE-SERVICES').build() },
  { table: 'nat', chain: 'PREROUTING', rule: () => rule().comment(FIXED_COMMENTS.servicePortals).jump('KUBE-SERVICES').build() },
  { table: 'nat', chain: 'OUTPUT', rule: () => rule().comment(FIXED_COMMENTS.servicePortals).jump('KUBE-SERVICES').build() },
  { table: 'nat', chain: 'POSTROUTING', rule: () => rule().comment(FIXED_COMMENTS.postrouting).jump('KUBE-POSTROUTING').build() },
];


function newConn() {
  return rule().match('conntrack').opt('--ctstate', 'NEW');
}

/** Adds the built-in chains (policy ACCEPT) and kube-proxy's jumps into its chains. */
export function addHooks(ruleSet: IptablesRuleSet): IptablesRuleSet {
  return withBuiltinChains(ruleSet, hookRules);
}

/** kube-proxy's jumps in one built-in chain, top first. */
export const hookRules: BuiltinRules = (table, chain, declared) =>
  HOOKS.filter((h) => h.table === table && h.chain === chain && (!h.needs || declared.has(h.needs))).map((h) => h.rule());
