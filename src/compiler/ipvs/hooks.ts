import { rule } from '../../ast/rule-builder.js';
import type { IptablesRuleSet, Rule } from '../../ast/types.js';
import { withBuiltinChains } from '../builtin-chains.js';
import { FIXED_COMMENTS } from '../../kube/rule-comments.js';
import { NEWEST_IPVS_PROFILE, type KubeProxyIpvsProfile } from '../../kube/kube-proxy-ipvs-profiles.js';

interface Hook {
  table: string;
  chain: string;
  to: string;
  comment: string;
}

/**
 * The jumps kube-proxy's IPVS proxier inserts at the top of the built-in chains (outside its
 * restore payload), in the order it ensures them (`iptablesJumpChain`). Each is inserted at
 * position 1, so a chain ends up holding them in reverse.
 */
export function ipvsHooks(profile: KubeProxyIpvsProfile): Hook[] {
  const hooks: Hook[] = [
    { table: 'nat', chain: 'OUTPUT', to: 'KUBE-SERVICES', comment: FIXED_COMMENTS.servicePortals },
    { table: 'nat', chain: 'PREROUTING', to: 'KUBE-SERVICES', comment: FIXED_COMMENTS.servicePortals },
    { table: 'nat', chain: 'POSTROUTING', to: 'KUBE-POSTROUTING', comment: FIXED_COMMENTS.postrouting },
    { table: 'filter', chain: 'FORWARD', to: 'KUBE-FORWARD', comment: FIXED_COMMENTS.forwarding },
  ];
  if (profile.healthCheckNodePorts) hooks.push({ table: 'filter', chain: 'INPUT', to: 'KUBE-NODE-PORT', comment: FIXED_COMMENTS.healthCheckRules });
  if (!profile.natFirewallChain) {
    hooks.push({ table: 'filter', chain: 'INPUT', to: 'KUBE-PROXY-FIREWALL', comment: FIXED_COMMENTS.proxyFirewall });
    hooks.push({ table: 'filter', chain: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', comment: FIXED_COMMENTS.proxyFirewall });
  }
  if (profile.ipvsFilterSets) hooks.push({ table: 'filter', chain: 'INPUT', to: 'KUBE-IPVS-FILTER', comment: FIXED_COMMENTS.ipvsAccessFilter });
  if (profile.outFilter) hooks.push({ table: 'filter', chain: 'OUTPUT', to: 'KUBE-IPVS-OUT-FILTER', comment: FIXED_COMMENTS.ipvsAccessFilter });
  return hooks;
}

/** Adds the built-in chains (policy ACCEPT) with kube-proxy's jumps, written before the payload's rules. */
export function addIpvsHooks(ruleSet: IptablesRuleSet, profile: KubeProxyIpvsProfile = NEWEST_IPVS_PROFILE): IptablesRuleSet {
  const hooks = ipvsHooks(profile).reverse();
  return withBuiltinChains(ruleSet, (table, chain) =>
    hooks.filter((h) => h.table === table && h.chain === chain).map((h): Rule => rule().comment(h.comment).jump(h.to).build()),
  );
}
