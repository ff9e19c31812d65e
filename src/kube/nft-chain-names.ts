import { hash16 } from './chain-names.js';

/**
 * The names kube-proxy gives its per-service chains in nftables mode:
 * `KIND-HASH-NAMESPACE/NAME/PROTOCOL/PORT` (`service-`, `external-`, `local-`, `firewall-`) and
 * `endpoint-HASH-NAMESPACE/NAME/PROTOCOL/PORT__IP/PORT`, HASH eight base32 characters. An unnamed
 * port leaves PORT empty (`ns/web/tcp/`).
 */
export type NftChainKind = 'service' | 'external' | 'local' | 'firewall' | 'endpoint';

export interface NftChainName {
  kind: NftChainKind;
  /** The eight characters of the hash, and the readable base after them (`ns/name/proto/port[__IP/PORT]`). */
  hash: string;
  base: string;
  namespace: string;
  name: string;
  protocol: string;
  /** The port's name; empty for an unnamed port. */
  port: string;
  /** For an endpoint chain: its address and port, `IP:PORT` (`[IP]:PORT` for IPv6). */
  endpoint?: string;
}

const CHAIN = /^(service|external|local|firewall|endpoint)-([A-Z0-9]{8})-(([^/]+)\/([^/]+)\/([a-z]+)\/(.*?)(?:__(.+)\/(\d+))?)$/;

/** What a chain's name says, when it is one of kube-proxy's per-service chains. */
export function readNftChainName(chain: string): NftChainName | undefined {
  const m = CHAIN.exec(chain);
  if (!m) return undefined;
  const kind = m[1] as NftChainKind;
  const hasEndpoint = m[8] !== undefined;
  if ((kind === 'endpoint') !== hasEndpoint) return undefined;
  const out: NftChainName = { kind, hash: m[2] as string, base: m[3] as string, namespace: m[4] as string, name: m[5] as string, protocol: m[6] as string, port: m[7] as string };
  if (hasEndpoint) {
    const ip = m[8] as string;
    out.endpoint = `${ip.includes(':') ? `[${ip}]` : ip}:${m[9] as string}`;
  }
  return out;
}

/** The longest name kube-proxy keeps whole after its kind; a longer one is cut and ends in `...`. */
const NAME_LENGTH_MAX = 240;

/**
 * `HASH-BASE` for a base (`ns/name/proto/port`, an endpoint's `…__IP/PORT` with an IPv6
 * address's colons as dots): HASH the first eight base32 characters of the base's SHA-256.
 */
export function nftHashedName(base: string): string {
  const name = `${hash16(base).slice(0, 8)}-${base}`;
  return name.length > NAME_LENGTH_MAX ? `${name.slice(0, NAME_LENGTH_MAX - 3)}...` : name;
}

/** The service port a chain serves, as kube-proxy names it elsewhere: `ns/name:port`, or `ns/name` for an unnamed port. */
export function nftServicePortName(n: NftChainName): string {
  return `${n.namespace}/${n.name}${n.port === '' ? '' : `:${n.port}`}`;
}

/** The names of kube-proxy's nftables table and of its fixed chains, sets and maps. */
export const KUBE_PROXY_NFT = {
  table: 'kube-proxy',
  tableComment: 'rules for kube-proxy',
  markMasq: 'mark-for-masquerade',
  masquerading: 'masquerading',
  services: 'services',
  clusterIPsCheck: 'cluster-ips-check',
  rejectChain: 'reject-chain',
  serviceEndpointsCheck: 'service-endpoints-check',
  nodePortEndpointsCheck: 'nodeport-endpoints-check',
  firewallCheck: 'firewall-check',
  clusterIPs: 'cluster-ips',
  nodePortIPs: 'nodeport-ips',
  noEndpointServices: 'no-endpoint-services',
  noEndpointNodePorts: 'no-endpoint-nodeports',
  firewallIPs: 'firewall-ips',
  serviceIPs: 'service-ips',
  serviceNodePorts: 'service-nodeports',
} as const;

/** kube-proxy's base chains in nftables mode: `nat-prerouting`, `filter-input`, `filter-prerouting-pre-dnat`, … */
const BASE_CHAIN = /^(?:nat|filter)-(?:prerouting|input|forward|output|postrouting)(?:-(?:pre|post)-dnat)?$/;

const FIXED_CHAINS: ReadonlySet<string> = new Set([
  KUBE_PROXY_NFT.markMasq,
  KUBE_PROXY_NFT.masquerading,
  KUBE_PROXY_NFT.services,
  KUBE_PROXY_NFT.clusterIPsCheck,
  KUBE_PROXY_NFT.rejectChain,
  KUBE_PROXY_NFT.serviceEndpointsCheck,
  KUBE_PROXY_NFT.nodePortEndpointsCheck,
  KUBE_PROXY_NFT.firewallCheck,
  'nodeports',
]);

/** Whether a chain of this name is one kube-proxy writes in its nftables table. */
export function isKubeProxyNftChain(name: string): boolean {
  return FIXED_CHAINS.has(name) || BASE_CHAIN.test(name) || readNftChainName(name) !== undefined;
}
