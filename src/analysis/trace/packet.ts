import type { IpFamily } from '../../ast/types.js';
import { joinHostPort, parseIp, type ParsedIp } from '../../kube/ip.js';

/** The protocols a trace can follow. */
export type TraceProtocol = 'tcp' | 'udp' | 'sctp' | 'icmp';

export const TRACE_PROTOCOLS: readonly TraceProtocol[] = ['tcp', 'udp', 'sctp', 'icmp'];

/** Where the first packet of the connection comes from, which decides the hooks it meets. */
export type TraceOrigin = 'pod' | 'node' | 'external';

/**
 * The first packet of a new connection as the rules see it at one point of its way through the
 * kernel. The trace engine copies it on every change (DNAT, MARK), so a branch never sees the
 * changes of another.
 */
export interface Packet {
  family: IpFamily;
  protocol: TraceProtocol;
  src: ParsedIp;
  /** null when the source port is not known (rules testing `--sport` are then not judged). */
  srcPort: number | null;
  dst: ParsedIp;
  /** null for ICMP. */
  dstPort: number | null;
  /** The packet mark (`-m mark`, `-j MARK`). */
  mark: number;
  /** Interface the packet came in on / goes out on, when known. */
  inIface: string | null;
  outIface: string | null;
  /** The destination before any DNAT (conntrack's original tuple). */
  origDst: ParsedIp;
  origDstPort: number | null;
  /** Conntrack status: a DNAT or SNAT was applied to this connection. */
  dnat: boolean;
  snat: boolean;
}

export interface HostPort {
  ip: ParsedIp;
  port: number | null;
}

/**
 * Reads `IP`, `IP:PORT`, `[IPv6]:PORT` or a bare IPv6 address. Returns null when the text is
 * none of these.
 */
export function parseHostPort(text: string): HostPort | null {
  const t = text.trim();
  const bracket = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(t);
  if (bracket) {
    const ip = parseIp(bracket[1] ?? '');
    const port = bracket[2] === undefined ? null : Number(bracket[2]);
    if (!ip || ip.family !== 'ipv6' || (port !== null && port > 65535)) return null;
    return { ip, port };
  }
  const plain = parseIp(t);
  if (plain) return { ip: plain, port: null };
  const m = /^([^:]+):(\d{1,5})$/.exec(t);
  if (!m) return null;
  const ip = parseIp(m[1] ?? '');
  const port = Number(m[2]);
  if (!ip || port > 65535) return null;
  return { ip, port };
}

/** `IP:PORT` / `[IP]:PORT`, or the bare IP when there is no port. */
export function formatHostPort(ip: ParsedIp, port: number | null): string {
  return port === null ? ip.text : joinHostPort(ip.text, port);
}

export function withChanges(p: Packet, change: Partial<Packet>): Packet {
  return { ...p, ...change };
}
