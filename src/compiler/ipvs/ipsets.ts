import type { IpFamily, IpsetRuleSet, IpSet } from '../../ast/types.js';
import { byteCompare } from '../../ast/canonical-order.js';
import { IPSET_SPECS, ipsetCreateOptions, ipsetName, setsOf } from './ipset-catalogue.js';
import type { KubeProxyIpvsProfile } from '../../kube/kube-proxy-ipvs-profiles.js';
import type { IpvsState } from './state.js';

/**
 * Every set the release's kube-proxy ensures, empty ones included, with its members: sets sorted by name and
 * members by their text (bytewise), so the same cluster always gives the same `ipset restore`
 * text.
 */
export function buildIpsets(state: IpvsState, family: IpFamily, profile: KubeProxyIpvsProfile): IpsetRuleSet {
  const sets: IpSet[] = IPSET_SPECS.filter((spec) => setsOf(profile).has(spec.key)).map((spec) => ({
    name: ipsetName(spec.key, family),
    type: spec.type,
    options: ipsetCreateOptions(spec.type, family),
    members: state
      .membersOf(spec.key)
      .sort(byteCompare)
      .map((value) => ({ value, options: [] })),
  }));
  sets.sort((a, b) => byteCompare(a.name, b.name));
  return { kind: 'ipset', sets, origin: 'compiled', fidelity: 'exact' };
}
