import type { IpvsProtocol, IpvsRuleSet, RealServer, VirtualService } from './types.js';
import { parseIp } from '../kube/ip.js';
import { byteCompare } from './canonical-order.js';
import { own } from '../records.js';

/**
 * The canonical order of IPVS rule sets: the order `ipvsadm -S -n` and `ipvsadm -L -n` print.
 *
 * ipvsadm sorts virtual services by (fwmark, address family, protocol number, address, port),
 * so ordinary services (mark 0) come first and fwmark services follow by mark; IPv4 before IPv6;
 * TCP (6) before UDP (17) before SCTP (132); addresses compared numerically, IPv6 as four 32-bit
 * words. Real servers of a service are sorted by (address, port). ipvsadm subtracts addresses
 * into a signed int, which misorders two addresses 2^31 or more apart; rulec compares them as
 * unsigned numbers, which gives the same order whenever the addresses lie in a 2^31 window.
 */

const PROTOCOL_NUMBER: Record<IpvsProtocol | 'fwmark', number> = { tcp: 6, udp: 17, sctp: 132, fwmark: 0 };

/** The bytes of an IPv4 or IPv6 literal, or null for anything else (a host name in a listing). */
export function ipvsAddressBytes(address: string): number[] | null {
  return parseIp(address)?.bytes ?? null;
}

const keyCache = new Map<string, string>();

/** `ipvsAddressKey`, remembered: a dump names the same few thousand addresses over and over. */
function cachedKey(address: string): string {
  let key = keyCache.get(address);
  if (key === undefined) {
    if (keyCache.size > 100_000) keyCache.clear();
    const bytes = ipvsAddressBytes(address);
    key = bytes ? bytes.join('.') : address;
    keyCache.set(address, key);
  }
  return key;
}

/** A key equal for two spellings of the same address (`fd00::1` and `fd00:0::1`). */
export function ipvsAddressKey(address: string): string {
  return cachedKey(address);
}

function compareBytes(a: number[], b: number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Literal addresses numerically (IPv4 first); host names after them, by text. */
export function compareIpvsAddresses(a: string, b: string): number {
  const ab = ipvsAddressBytes(a);
  const bb = ipvsAddressBytes(b);
  if (ab && bb) return compareBytes(ab, bb);
  if (ab) return -1;
  if (bb) return 1;
  return byteCompare(a, b);
}

export function compareVirtualServices(a: VirtualService, b: VirtualService): number {
  return (
    (a.fwmark ?? 0) - (b.fwmark ?? 0) ||
    (a.family === b.family ? 0 : a.family === 'ipv4' ? -1 : 1) ||
    PROTOCOL_NUMBER[a.protocol] - PROTOCOL_NUMBER[b.protocol] ||
    compareIpvsAddresses(a.address, b.address) ||
    a.port - b.port
  );
}

export function compareRealServers(a: RealServer, b: RealServer): number {
  return compareIpvsAddresses(a.address, b.address) || a.port - b.port;
}

const SCHED_FLAG_BITS: Record<string, number> = {
  'flag-1': 1,
  'flag-2': 2,
  'flag-3': 3,
  'sh-fallback': 1,
  'sh-port': 2,
  'mh-fallback': 1,
  'mh-port': 2,
};

/**
 * Scheduler flags as ipvsadm prints them back: by bit, named after the scheduler when it has
 * names for them (`sh-fallback`, `sh-port`, `mh-fallback`, `mh-port`), `flag-N` otherwise.
 */
export function canonicalSchedulerFlags(scheduler: string, flags: readonly string[]): string[] {
  const bits = new Set<number>();
  const unknown: string[] = [];
  for (const f of flags) {
    const bit = own(SCHED_FLAG_BITS, f);
    if (bit === undefined) unknown.push(f);
    else bits.add(bit);
  }
  const named = [...bits]
    .sort((x, y) => x - y)
    .map((bit) => {
      if ((scheduler === 'sh' || scheduler === 'mh') && bit <= 2) return `${scheduler}-${bit === 1 ? 'fallback' : 'port'}`;
      return `flag-${bit}`;
    });
  return [...named, ...unknown];
}

/** A copy of the rule set in canonical order, with scheduler flags spelled as ipvsadm prints them. */
export function canonicalIpvs(ruleSet: IpvsRuleSet): IpvsRuleSet {
  const services = ruleSet.services
    .map((svc) => ({
      ...svc,
      schedulerFlags: canonicalSchedulerFlags(svc.scheduler, svc.schedulerFlags),
      realServers: [...svc.realServers].sort(compareRealServers),
    }))
    .sort(compareVirtualServices);
  return { ...ruleSet, services };
}
