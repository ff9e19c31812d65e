import type { IpsetRuleSet, IptablesRuleSet, IpvsRuleSet, VirtualService } from '../../ast/types.js';
import type { Cluster } from '../../model/cluster.js';
import type { ParsedIp } from '../../kube/ip.js';
import type { ProxySettings } from '../../model/settings.js';
import { NodeIndependentParts } from '../node-independent.js';
import type { KubeProxyIpvsProfile } from '../../kube/kube-proxy-ipvs-profiles.js';
import { nodePortAddresses } from '../node-port-addresses.js';
import { buildIpsets } from './ipsets.js';
import { localAddresses, nodePortIPs } from './node-addresses.js';
import { proxierPrimaryNodeIP } from '../primary-node-ip.js';
import { addressKey, sortByKey } from './order.js';
import { writeIpvsPayload } from './payload.js';
import { boundAddressesOf, compileIpvsServicePort } from './service-port.js';
import { IpvsState, type VirtualServiceOwner } from './state.js';
import { planServicePort } from '../service-port-plan.js';

/** Everything kube-proxy programs on a node in IPVS mode, for one IP family. */
export interface IpvsCompilation {
  /** Virtual services and real servers, in canonical (ipvsadm) order. */
  ipvs: IpvsRuleSet;
  /** Every ipset kube-proxy ensures, with its members. */
  ipsets: IpsetRuleSet;
  /** The iptables-restore payload, in kube-proxy's write order. */
  iptables: IptablesRuleSet;
  /** The addresses bound to the kube-ipvs0 dummy interface, sorted numerically. */
  kubeIpvs0: ParsedIp[];
  /** The service port behind each virtual server of `ipvs`. */
  owners: ReadonlyMap<VirtualService, VirtualServiceOwner>;
  /** The release layout it was compiled for (the hooks depend on it). */
  profile: KubeProxyIpvsProfile;
}

/** Compiles the cluster into what kube-proxy's IPVS proxier programs for the settings' family. */
export function compileIpvs(cluster: Cluster, settings: ProxySettings, parts = new NodeIndependentParts(cluster)): IpvsCompilation {
  const primaryNodeIP = proxierPrimaryNodeIP(cluster, settings);
  const npa = nodePortAddresses({ ...settings, primaryNodeIP });
  const local = localAddresses(settings);
  const localSet = new Set(local.map((ip) => ip.text));
  const ports = parts.portsByName(settings.family);

  // kube-ipvs0's addresses in the steady state: NodePorts listen on those inside a
  // nodePortAddresses CIDR too (not needed when NodePorts listen on every local address).
  const bound = new Map<string, ParsedIp>();
  if (!npa.matchAll) {
    for (const p of ports) for (const ip of boundAddressesOf(p.svc, settings, localSet)) bound.set(ip.text, ip);
  }

  const state = new IpvsState();
  const ctx = {
    state,
    settings,
    primaryNodeIP,
    localAddresses: localSet,
    nodePortIPs: nodePortIPs(settings, npa, local, [...bound.values()]),
  };
  for (const p of ports) {
    compileIpvsServicePort(ctx, planServicePort(p.svc, p.port, parts.endpointsOn(p.svc, p.port, settings.family, settings.nodeName), settings));
  }

  const kubeIpvs0 = sortByKey(state.boundAddresses(), addressKey);
  for (const ip of kubeIpvs0) state.addMember('ipvsIPs', ip.text);

  let owners: ReadonlyMap<VirtualService, VirtualServiceOwner> | undefined;
  return {
    // Already in canonical order (the order canonicalIpvs gives), sorted on precomputed keys.
    ipvs: { kind: 'ipvs', services: state.virtualServices(), origin: 'compiled', fidelity: 'exact' },
    ipsets: buildIpsets(state, settings.family, settings.ipvsProfile),
    iptables: writeIpvsPayload(state, settings),
    kubeIpvs0,
    profile: settings.ipvsProfile,
    // Only `rulec lint` asks: made on first use.
    get owners() {
      owners ??= state.owners();
      return owners;
    },
  };
}

export { addIpvsHooks } from './hooks.js';
export { printKubeIpvs0 } from './kube-ipvs0.js';
export { ipsetName, IPSET_SPECS } from './ipset-catalogue.js';
export type { VirtualServiceOwner } from './state.js';
