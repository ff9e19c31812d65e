import { KUBE_PROXY_NFT } from '../../kube/nft-chain-names.js';
import type { ParsedIp } from '../../kube/ip.js';
import type { ProxySettings } from '../../model/settings.js';
import type { NodePortAddresses } from '../node-port-addresses.js';
import type { NftBaseChain } from '../../ast/nft-types.js';
import type { NftBuilder } from './builder.js';
import type { FamilyWords } from './family-words.js';

/** The fixed chains, sets and maps of kube-proxy's nftables table, by their role. */
/** The names of the table and of its fixed chains, sets and maps (one home, with the chain names). */
export const NFT = KUBE_PROXY_NFT;

const DNAT_PRIORITY = -100;
const SNAT_PRIORITY = 100;
const FILTER_PRIORITY = 0;

/** `daddr . meta l4proto . th dport` and `meta l4proto . th dport`: the keys of the verdict maps. */
const PROTO_PORT = ['meta', 'l4proto', '.', 'th', 'dport'];

/**
 * Writes what every sync writes whatever the services: the base chains hooked into the kernel,
 * the fixed chains and their rules, and the sets and maps (the NodePort addresses among them).
 */
export function writeSkeleton(b: NftBuilder, settings: ProxySettings, w: FamilyWords, npa: NodePortAddresses, nodePortIPs: readonly ParsedIp[]): void {
  const { ipX, addrType } = w;
  const base = (name: string, type: NftBaseChain['type'], hook: NftBaseChain['hook'], priority: number) => b.chain(name, { base: { type, hook, priority } });
  base('filter-prerouting-pre-dnat', 'filter', 'prerouting', DNAT_PRIORITY - 10);
  base('filter-output-pre-dnat', 'filter', 'output', DNAT_PRIORITY - 10);
  base('filter-forward', 'filter', 'forward', FILTER_PRIORITY);
  base('filter-input', 'filter', 'input', FILTER_PRIORITY);
  base('filter-output', 'filter', 'output', FILTER_PRIORITY);
  base('nat-prerouting', 'nat', 'prerouting', DNAT_PRIORITY);
  base('nat-output', 'nat', 'output', DNAT_PRIORITY);
  base('nat-postrouting', 'nat', 'postrouting', SNAT_PRIORITY);

  const newConn = (chain: string, target: string) => b.rule(chain, ['ct', 'state', 'new', 'jump', target]);
  newConn('filter-prerouting-pre-dnat', NFT.firewallCheck);
  newConn('filter-output-pre-dnat', NFT.firewallCheck);
  newConn('filter-forward', NFT.serviceEndpointsCheck);
  newConn('filter-forward', NFT.clusterIPsCheck);
  newConn('filter-input', NFT.nodePortEndpointsCheck);
  newConn('filter-input', NFT.serviceEndpointsCheck);
  newConn('filter-output', NFT.serviceEndpointsCheck);
  newConn('filter-output', NFT.clusterIPsCheck);
  b.rule('nat-output', ['jump', NFT.services]);
  b.rule('nat-prerouting', ['jump', NFT.services]);
  b.rule('nat-postrouting', ['jump', NFT.masquerading]);

  const mark = settings.masqueradeMark;
  b.rule(NFT.markMasq, ['mark', 'set', 'mark', 'or', mark]);
  b.rule(NFT.masquerading, ['mark', 'and', mark, '==', '0', 'return']);
  b.rule(NFT.masquerading, ['mark', 'set', 'mark', 'xor', mark]);
  b.rule(NFT.masquerading, ['masquerade', 'fully-random']);

  b.set({ name: NFT.clusterIPs, kind: 'set', type: addrType, comment: 'Active ClusterIPs' });
  b.rule(NFT.clusterIPsCheck, [ipX, 'daddr', `@${NFT.clusterIPs}`, 'reject'], 'Reject traffic to invalid ports of ClusterIPs');
  const serviceCIDRs = settings.serviceCIDRs.filter((c) => c.family === settings.family);
  if (serviceCIDRs.length > 0) {
    b.rule(NFT.clusterIPsCheck, [ipX, 'daddr', '{', serviceCIDRs.map((c) => c.text).join(','), '}', 'drop'], 'Drop traffic to unallocated ClusterIPs');
  }

  b.chain(NFT.rejectChain, { comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' });
  b.rule(NFT.rejectChain, ['reject']);

  const verdictMap = (name: string, key: string, comment: string) => b.set({ name, kind: 'map', type: `${key} : verdict`, comment });
  const addrKey = `${addrType} . inet_proto . inet_service`;
  verdictMap(NFT.noEndpointServices, addrKey, 'vmap to drop or reject packets to services with no endpoints');
  verdictMap(NFT.noEndpointNodePorts, 'inet_proto . inet_service', 'vmap to drop or reject packets to service nodeports with no endpoints');
  verdictMap(NFT.firewallIPs, addrKey, 'destinations that are subject to LoadBalancerSourceRanges');
  verdictMap(NFT.serviceIPs, addrKey, 'ClusterIP, ExternalIP and LoadBalancer IP traffic');
  verdictMap(NFT.serviceNodePorts, 'inet_proto . inet_service', 'NodePort traffic');

  b.rule(NFT.serviceEndpointsCheck, [ipX, 'daddr', '.', ...PROTO_PORT, 'vmap', `@${NFT.noEndpointServices}`]);
  b.rule(NFT.firewallCheck, [ipX, 'daddr', '.', ...PROTO_PORT, 'vmap', `@${NFT.firewallIPs}`]);
  b.rule(NFT.services, [ipX, 'daddr', '.', ...PROTO_PORT, 'vmap', `@${NFT.serviceIPs}`]);

  if (npa.matchAll) {
    b.rule(NFT.nodePortEndpointsCheck, [ipX, 'daddr', '!=', w.loopback, ...PROTO_PORT, 'vmap', `@${NFT.noEndpointNodePorts}`]);
    b.rule(NFT.services, ['fib', 'daddr', 'type', 'local', ipX, 'daddr', '!=', w.loopback, ...PROTO_PORT, 'vmap', `@${NFT.serviceNodePorts}`]);
  } else {
    b.set({ name: NFT.nodePortIPs, kind: 'set', type: addrType, comment: 'IPs that accept NodePort traffic' });
    for (const ip of nodePortIPs) b.element(NFT.nodePortIPs, { key: [ip.text] });
    b.rule(NFT.nodePortEndpointsCheck, [ipX, 'daddr', `@${NFT.nodePortIPs}`, ...PROTO_PORT, 'vmap', `@${NFT.noEndpointNodePorts}`]);
    b.rule(NFT.services, [ipX, 'daddr', `@${NFT.nodePortIPs}`, ...PROTO_PORT, 'vmap', `@${NFT.serviceNodePorts}`]);
  }
}
