/**
 * The names kube-proxy gives its per-service chains in nftables mode:
 * `KIND-HASH-NAMESPACE/NAME/PROTOCOL/PORT` (`service-`, `external-`, `local-`, `firewall-`) and
 * `endpoint-HASH-NAMESPACE/NAME/PROTOCOL/PORT__IP/PORT`, HASH eight base32 characters. An unnamed
 * port leaves PORT empty (`ns/web/tcp/`).
 */
export type NftChainKind = 'service' | 'external' | 'local' | 'firewall' | 'endpoint';

export interface NftChainName {
  kind: NftChainKind;
  namespace: string;
  name: string;
  protocol: string;
  /** The port's name; empty for an unnamed port. */
  port: string;
  /** For an endpoint chain: its address and port, `IP:PORT` (`[IP]:PORT` for IPv6). */
  endpoint?: string;
}

const CHAIN = /^(service|external|local|firewall|endpoint)-[A-Z0-9]{8}-([^/]+)\/([^/]+)\/([a-z]+)\/(.*?)(?:__(.+)\/(\d+))?$/;

/** What a chain's name says, when it is one of kube-proxy's per-service chains. */
export function readNftChainName(chain: string): NftChainName | undefined {
  const m = CHAIN.exec(chain);
  if (!m) return undefined;
  const kind = m[1] as NftChainKind;
  const hasEndpoint = m[6] !== undefined;
  if ((kind === 'endpoint') !== hasEndpoint) return undefined;
  const out: NftChainName = { kind, namespace: m[2] as string, name: m[3] as string, protocol: m[4] as string, port: m[5] as string };
  if (hasEndpoint) {
    const ip = m[6] as string;
    out.endpoint = `${ip.includes(':') ? `[${ip}]` : ip}:${m[7] as string}`;
  }
  return out;
}

/** The service port a chain serves, as kube-proxy names it elsewhere: `ns/name:port`, or `ns/name` for an unnamed port. */
export function nftServicePortName(n: NftChainName): string {
  return `${n.namespace}/${n.name}${n.port === '' ? '' : `:${n.port}`}`;
}
