import type { IpvsProtocol } from '../../ast/types.js';
import type { ParsedIp } from '../../kube/ip.js';

/**
 * Sort keys for the canonical IPVS order (`src/ast/canonical-ipvs.ts`, ipvsadm's own order):
 * virtual services by family (IPv4 first), protocol number (TCP, UDP, SCTP), address
 * numerically, port; real servers by address numerically, then port. The compiler knows every
 * address's bytes already, so it computes one key per element and sorts on it instead of
 * comparing address text pair by pair; the order is the same. IPv4 keys are numbers (they fit
 * in 50 bits), IPv6 keys fixed-width strings, and every number sorts before every string.
 */
export type SortKey = number | string;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const PROTOCOL_RANK: Record<IpvsProtocol, number> = { tcp: 0, udp: 1, sctp: 2 };
const TWO_16 = 65536;
const TWO_48 = 2 ** 48;

function ipv4Value(b: readonly number[]): number {
  return ((b[0] ?? 0) * 256 + (b[1] ?? 0)) * 65536 + (b[2] ?? 0) * 256 + (b[3] ?? 0);
}

function ipv6Hex(b: readonly number[]): string {
  let key = '';
  for (const x of b) key += HEX[x];
  return key;
}

/** Orders addresses numerically, IPv4 before IPv6. */
export function addressKey(ip: ParsedIp): SortKey {
  return ip.family === 'ipv4' ? ipv4Value(ip.bytes) : ipv6Hex(ip.bytes);
}

export function virtualServiceKey(ip: ParsedIp, protocol: IpvsProtocol, port: number): SortKey {
  const rank = PROTOCOL_RANK[protocol];
  if (ip.family === 'ipv4') return rank * TWO_48 + ipv4Value(ip.bytes) * TWO_16 + port;
  return String(rank) + ipv6Hex(ip.bytes) + port.toString(16).padStart(4, '0');
}

export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts items by a key computed once per item (stable). */
export function sortByKey<T>(items: readonly T[], key: (item: T) => SortKey): T[] {
  if (items.length < 2) return [...items];
  const keyed = items.map((item) => ({ item, k: key(item) }));
  keyed.sort((a, b) => compareSortKeys(a.k, b.k));
  return keyed.map((x) => x.item);
}

/** Real servers' order on parsed addresses directly: address bytes (IPv4 first), then port. */
export function compareAddressPort(a: ParsedIp, aPort: number, b: ParsedIp, bPort: number): number {
  if (a.bytes.length !== b.bytes.length) return a.bytes.length - b.bytes.length;
  for (let i = 0; i < a.bytes.length; i++) {
    const d = (a.bytes[i] ?? 0) - (b.bytes[i] ?? 0);
    if (d !== 0) return d;
  }
  return aPort - bPort;
}
