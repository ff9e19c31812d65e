import type { IpFamily } from '../../ast/types.js';
import type { KubeProxyIpvsProfile } from '../../kube/kube-proxy-ipvs-profiles.js';

/**
 * The ipsets kube-proxy ensures in IPVS mode: their names, types and the comment text of the
 * iptables rules that match them. The IPv6 proxier renames `KUBE-` to `KUBE-6-` (cut to 31
 * characters, the longest name ipset allows) and creates the hash sets with `family inet6`.
 */

export type IpsetType = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

export type SetKey =
  | 'loopBack'
  | 'clusterIP'
  | 'externalIP'
  | 'externalIPLocal'
  | 'loadBalancer'
  | 'loadBalancerFW'
  | 'loadBalancerLocal'
  | 'loadBalancerSourceIP'
  | 'loadBalancerSourceCIDR'
  | 'nodePortTCP'
  | 'nodePortLocalTCP'
  | 'nodePortUDP'
  | 'nodePortLocalUDP'
  | 'nodePortSCTP'
  | 'nodePortLocalSCTP'
  | 'nodePortSCTPBitmap'
  | 'nodePortLocalSCTPBitmap'
  | 'healthCheckNodePort'
  | 'ipvsIPs';

export interface IpsetSpec {
  key: SetKey;
  /** The IPv4 proxier's name. */
  name: string;
  type: IpsetType;
  comment: string;
}

/** Every set, in kube-proxy's own order. */
export const IPSET_SPECS: readonly IpsetSpec[] = [
  { key: 'loopBack', name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { key: 'clusterIP', name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { key: 'externalIP', name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { key: 'externalIPLocal', name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { key: 'loadBalancer', name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { key: 'loadBalancerFW', name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { key: 'loadBalancerLocal', name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { key: 'loadBalancerSourceIP', name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { key: 'loadBalancerSourceCIDR', name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { key: 'nodePortTCP', name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { key: 'nodePortLocalTCP', name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { key: 'nodePortUDP', name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { key: 'nodePortLocalUDP', name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { key: 'nodePortSCTP', name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  {
    key: 'nodePortLocalSCTP',
    name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH',
    type: 'hash:ip,port',
    comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
  },
  // kube-proxy 1.12-1.14: SCTP NodePorts in bitmap sets, like TCP and UDP.
  { key: 'nodePortSCTPBitmap', name: 'KUBE-NODE-PORT-SCTP', type: 'bitmap:port', comment: 'Kubernetes nodeport SCTP port for masquerade purpose' },
  { key: 'nodePortLocalSCTPBitmap', name: 'KUBE-NODE-PORT-LOCAL-SCTP', type: 'bitmap:port', comment: 'Kubernetes nodeport SCTP port with externalTrafficPolicy=local' },
  { key: 'healthCheckNodePort', name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { key: 'ipvsIPs', name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

const BY_KEY = new Map(IPSET_SPECS.map((s) => [s.key, s]));

export function ipsetSpec(key: SetKey): IpsetSpec {
  const s = BY_KEY.get(key);
  if (!s) throw new Error(`unknown ipset ${key}`);
  return s;
}

/** ipset allows names of at most 31 characters. */
export const IPSET_NAME_MAX = 31;

/** The set's name for a proxier of this family: `KUBE-6-…` for IPv6, cut to 31 characters. */
export function ipsetName(key: SetKey, family: IpFamily): string {
  const name = ipsetSpec(key).name;
  if (family === 'ipv4' || !name.startsWith('KUBE-')) return name;
  return `KUBE-6-${name.slice('KUBE-'.length)}`.slice(0, IPSET_NAME_MAX);
}

/** The options kube-proxy creates a set with (`ipset create NAME TYPE <options> -exist`). */
export function ipsetCreateOptions(type: IpsetType, family: IpFamily): string[] {
  if (type === 'bitmap:port') return ['range', '0-65535'];
  return ['family', family === 'ipv4' ? 'inet' : 'inet6', 'hashsize', '1024', 'maxelem', '65536'];
}

/** Whether a release's proxier ensures the set (its `ipsetInfo`). */
function hasSet(key: SetKey, profile: KubeProxyIpvsProfile): boolean {
  switch (key) {
    case 'healthCheckNodePort':
      return profile.healthCheckNodePorts;
    case 'ipvsIPs':
      return profile.ipvsFilterSets !== null;
    case 'externalIPLocal':
      return profile.externalIPLocalSet;
    case 'nodePortSCTP':
    case 'nodePortLocalSCTP':
      return profile.sctpNodePorts !== 'bitmap';
    case 'nodePortSCTPBitmap':
    case 'nodePortLocalSCTPBitmap':
      return profile.sctpNodePorts === 'bitmap';
    default:
      return true;
  }
}

/**
 * The sets a release's proxier ensures: KUBE-EXTERNAL-IP-LOCAL from 1.18, the SCTP sets as
 * `-HASH` sets from 1.15 (bitmap sets before), KUBE-HEALTH-CHECK-NODE-PORT from 1.21,
 * KUBE-IPVS-IPS from 1.26, every other one in every release compiled.
 */
export function setsOf(profile: KubeProxyIpvsProfile): ReadonlySet<SetKey> {
  return new Set(IPSET_SPECS.map((s) => s.key).filter((k) => hasSet(k, profile)));
}
