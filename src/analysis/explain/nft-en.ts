import type { NftChainRole, NftRuleKind } from './nft-classify.js';
import type { NftLanguage } from './nft-language.js';

const HOOK_WHEN: Readonly<Record<string, string>> = {
  prerouting: 'every packet that arrives, before routing',
  input: 'packets for the node itself',
  forward: 'packets the node forwards',
  output: "the node's own packets",
  postrouting: 'every packet that leaves, after routing',
};

const HELPER: Readonly<Record<string, string>> = {
  services: "kube-proxy's service dispatch: destination address, protocol and port are looked up in @service-ips (cluster, external and LoadBalancer IPs), and node ports in @service-nodeports.",
  masquerading: 'Masquerades packets that carry the masquerade mark, and clears the mark.',
  'mark-for-masquerade': 'Sets the masquerade mark: the packet is masqueraded when it leaves the node.',
  'service-endpoints-check': 'Drops or rejects new connections to services that have no endpoints (@no-endpoint-services), before any DNAT could happen.',
  'nodeport-endpoints-check': 'Drops or rejects new connections to node ports of services that have no endpoints (@no-endpoint-nodeports).',
  'cluster-ips-check': 'Refuses traffic to cluster IPs that no service port answers: a wrong port of a cluster IP is rejected, an address of the service CIDR no service has is dropped.',
  'firewall-check': 'Sends packets to LoadBalancer IPs that have source ranges to their firewall chain (@firewall-ips), before DNAT.',
  'reject-chain': 'Rejects the packet: the target of the verdict maps for services without endpoints.',
};

function chainName(role: NftChainRole | undefined, fallback: string): string {
  if (role === undefined) return fallback;
  switch (role.role) {
    case 'service':
      return `the service chain of ${role.spn}`;
    case 'external':
      return `the external-traffic chain of ${role.spn}`;
    case 'local':
      return `the chain of ${role.spn}'s endpoints on this node`;
    case 'firewall':
      return `the source-range firewall of ${role.spn}`;
    case 'endpoint':
      return `endpoint ${role.endpoint} of ${role.spn}`;
    default:
      return fallback;
  }
}

export const NFT_EN: NftLanguage = {
  table: (family, name, chains, sets, kind) =>
    kind === 'kube-proxy'
      ? `kube-proxy's nftables table (${family} ${name}): ${chains} chains and ${sets} sets and maps, all of kube-proxy's rules for this IP family.`
      : kind === 'iptables-nft'
        ? `Table ${family} ${name}, which iptables-nft manages: ${chains} chains of rules written with iptables (by kube-proxy in iptables or IPVS mode, kubelet, CNI plugins), as nft lists them. iptables-save on the node prints them as iptables rules, which rulec explains rule by rule.`
        : `Table ${family} ${name}: ${chains} chains and ${sets} sets and maps of a program other than kube-proxy.`,
  chain: (role) => {
    switch (role.role) {
      case 'base':
        return `Base chain (${role.type} hook ${role.hook}, priority ${role.priority}): runs for ${HOOK_WHEN[role.hook] ?? role.hook}.`;
      case 'helper':
        return HELPER[role.name] ?? `Helper chain ${role.name}.`;
      case 'service':
        return `Service chain of ${role.spn}: marks traffic that needs masquerading and splits new connections among all its usable endpoints.`;
      case 'external':
        return `External-traffic chain of ${role.spn} (node ports, external and LoadBalancer IPs): decides masquerading by the externalTrafficPolicy, then goes to the endpoints.`;
      case 'local':
        return `Local-endpoints chain of ${role.spn}: only the endpoints on this node (a Local traffic policy), so the client address is kept.`;
      case 'firewall':
        return `Source-range firewall of ${role.spn}: drops clients outside its loadBalancerSourceRanges.`;
      case 'endpoint':
        return `Endpoint chain of ${role.spn}: DNATs to ${role.endpoint}.`;
      case 'other':
        return `Chain ${role.name}: not one kube-proxy writes.`;
      case 'iptables':
        return `Chain ${role.name}: one of kube-proxy's (iptables or IPVS mode) or kubelet's iptables chains, as iptables-nft stores it.`;
    }
  },
  rule: (k) => {
    switch (k.kind) {
      case 'to-chain': {
        const what = k.role?.role === 'helper' || k.role?.role === 'base' ? k.chain : chainName(k.role, k.chain);
        const helper = k.role?.role === 'helper' ? ` (${(HELPER[k.chain] ?? '').replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())})` : '';
        return `${k.newOnly ? 'The first packet of every new connection' : 'Every packet'} ${k.how === 'goto' ? 'goes on in' : 'is sent to'} ${what}${helper}.`;
      }
      case 'lookup':
        return k.by === 'nodeport'
          ? `Packets to an address that takes NodePort traffic (@nodeport-ips) are looked up by protocol and port in @${k.map}; a match decides where they go.`
          : `The destination address, protocol and port are looked up in @${k.map}; a match decides where the packet goes.`;
      case 'masquerade-mark':
        if (k.from === 'endpoint') return `Packets from ${k.ip ?? 'the endpoint'} itself (a pod reaching itself through its service: hairpin) are marked for masquerading, so the reply comes back through this node.`;
        if (k.from === 'node') return 'Packets from this node itself are marked for masquerading, so the reply comes back to the address the packet leaves from.';
        if (k.ip !== null && k.outside !== null) return `Packets to ${k.ip} from outside the pod network ${k.outside} are marked for masquerading: the endpoint may be on another node, and the reply must come back through this one.`;
        if (k.ip !== null) return `Every packet to ${k.ip} is marked for masquerading (masqueradeAll).`;
        return 'Every packet here is marked for masquerading: external traffic is masqueraded so the reply comes back through this node (externalTrafficPolicy: Cluster).';
      case 'set-mark':
        return `Sets the masquerade mark (${k.value}): nat postrouting masquerades the packet, so its reply returns through this node.`;
      case 'unmarked-return':
        return `Packets without the masquerade mark (${k.value}) are left alone.`;
      case 'clear-mark':
        return `Clears the masquerade mark (${k.value}), so nothing later masquerades the packet again.`;
      case 'masquerade':
        return "Masquerades the packet: its source becomes this node's address (ports chosen at random).";
      case 'masquerade-marked':
        return `Packets that carry the masquerade mark (${k.value}) lose the mark and are masqueraded: their source becomes this node's address, so replies come back through it.`;
      case 'hairpin-masquerade':
        return `A DNATed connection from an endpoint to itself (a pod reaching itself through its service: hairpin, listed in @${k.set}) is masqueraded, so the reply comes back through this node.`;
      case 'reject-wrong-port':
        return `Rejects packets to a cluster IP (@${k.set}) on a port no service has: the client gets an error at once.`;
      case 'drop-unallocated':
        return `Drops packets to addresses of the service CIDR (${k.cidrs.join(', ')}) that no service has.`;
      case 'reject':
        return 'Rejects the packet: the client gets an error at once.';
      case 'split':
        return `Picks one of ${k.endpoints.length} endpoint${k.endpoints.length === 1 ? '' : 's'} at random for each new connection, each with 1/${k.endpoints.length} of them${k.endpoints.length > 1 ? ` (${k.endpoints.join(', ')})` : ` (${k.endpoints[0] ?? ''})`}.`;
      case 'dnat':
        return `The packet is DNATed to ${k.to}, the endpoint.`;
      case 'affinity-update':
        return `The client's address is remembered in @${k.set}, so its next connections go to the same endpoint (session affinity).`;
      case 'affinity-hit':
        return `A client remembered in @${k.set} goes to the same endpoint as before (${k.chain}).`;
      case 'pods-to-service':
        return `Pods (${k.cidr}) go on in the service chain, which reaches all endpoints: a Local policy applies to clients outside the cluster only.`;
      case 'node-to-service':
        return 'Traffic from this node itself goes on in the service chain, which reaches all endpoints.';
      case 'source-ranges':
        return `Clients outside the allowed source ranges (${k.ranges.join(', ')}) are dropped.`;
      case 'other':
        return `A rule kube-proxy does not write: ${k.words}.`;
    }
  },
  set: (name, kind, comment, elements) => `${kind === 'map' ? 'Map' : 'Set'} ${name}${comment === undefined ? '' : `: ${comment}`} (${elements} element${elements === 1 ? '' : 's'}).`,
  element: (set, key, verdict, role) => (verdict === '' ? `${key} is in @${set}.` : `In @${set}: ${key} -> ${verdict}${role ? ` (${chainName(role, '')})` : ''}.`),
};
