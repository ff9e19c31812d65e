import type { IpFamily } from '../types.js';
import { protocolNameOf, protocolNumberOf, servicePort } from './netdb.js';
import { formatIpv6Groups } from '../../kube/ip.js';

/**
 * Reading and printing the values of iptables options the way libxtables does: numbers in any C
 * base, marks, ports and port ranges, addresses with masks, protocols, probabilities, and the
 * quoting of strings in saved rules. Every reader returns `undefined` for a value iptables would
 * refuse; callers then keep the text as written.
 */

/** `strtoul(s, NULL, 0)` restricted to a whole, valid number: `0x1f`, `017` (octal), `42`. */
export function parseUint(text: string, max = 0xffffffff): number | undefined {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) n = parseInt(text, 8);
  else if (/^[1-9][0-9]*$/.test(text)) n = parseInt(text, 10);
  else return undefined;
  return Number.isSafeInteger(n) && n <= max ? n : undefined;
}

/** `0x%x`. */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** `VALUE[/MASK]` of the mark matches and targets; the mask defaults to all ones. */
export function parseMarkMask(text: string): { value: number; mask: number; hasMask: boolean } | undefined {
  const slash = text.indexOf('/');
  const value = parseUint(slash < 0 ? text : text.slice(0, slash));
  if (value === undefined) return undefined;
  if (slash < 0) return { value, mask: 0xffffffff, hasMask: false };
  const mask = parseUint(text.slice(slash + 1));
  return mask === undefined ? undefined : { value, mask, hasMask: true };
}

/** `0xV` when the mask is all ones, else `0xV/0xM` (the mark and connmark matches). */
export function formatMarkMask(value: number, mask: number): string {
  return mask === 0xffffffff ? hex(value) : `${hex(value)}/${hex(mask)}`;
}

// ---------------------------------------------------------------------------------------------
// Ports

/** One port: a number (any C base) or a service name of `proto`. */
export function parsePort(text: string, proto = 'tcp'): number | undefined {
  const n = parseUint(text, 0xffff);
  if (n !== undefined) return n;
  return servicePort(text, proto) ?? servicePort(text, 'tcp') ?? servicePort(text, 'udp');
}

/** `P`, `P:Q`, `:Q`, `P:` (the tcp/udp/sctp matches); undefined if min > max. */
export function parsePortRange(text: string, proto = 'tcp', sep = ':'): [number, number] | undefined {
  const at = text.indexOf(sep);
  if (at < 0) {
    const p = parsePort(text, proto);
    return p === undefined ? undefined : [p, p];
  }
  const lo = at === 0 ? 0 : parsePort(text.slice(0, at), proto);
  const hiText = text.slice(at + 1);
  const hi = hiText === '' ? 0xffff : parsePort(hiText, proto);
  if (lo === undefined || hi === undefined || lo > hi) return undefined;
  return [lo, hi];
}

export function formatPortRange([lo, hi]: readonly [number, number], sep = ':'): string {
  return lo === hi ? `${lo}` : `${lo}${sep}${hi}`;
}

// ---------------------------------------------------------------------------------------------
// Addresses

/** An address with its mask, both as bit strings of 32 or 128 bits held in a bigint. */
export interface Net {
  family: IpFamily;
  addr: bigint;
  mask: bigint;
}

const ALL4 = 0xffffffffn;
const ALL6 = (1n << 128n) - 1n;

export function allOnes(family: IpFamily): bigint {
  return family === 'ipv4' ? ALL4 : ALL6;
}

/**
 * libxtables' IPv4 reader: one to four dot-separated parts, each a C number up to 255; missing
 * parts are zero (`10.1` is 10.1.0.0, `010.1.2.3` is 8.1.2.3).
 */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    let v = 0;
    if (p !== undefined) {
      const parsed = /^[0-9]{1,3}$/.test(p) && p[0] !== '0' ? Number(p) : parseUint(p, 255);
      if (parsed === undefined || parsed > 255) return undefined;
      v = parsed;
    }
    n = n * 256 + v;
  }
  return BigInt(n);
}

export function formatIPv4(n: bigint): string {
  const x = Number(n & ALL4);
  return `${Math.floor(x / 0x1000000)}.${(x >>> 16) & 0xff}.${(x >>> 8) & 0xff}.${x & 0xff}`;
}

/** inet_pton(AF_INET6): hex groups, one `::`, an optional dotted IPv4 tail. */
export function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const words = part.split(':');
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as string;
      if (last && i === words.length - 1 && w.includes('.')) {
        if (!/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(w)) return undefined;
        const b = w.split('.').map(Number);
        if (b.some((x) => x > 255)) return undefined;
        out.push(((b[0] as number) << 8) | (b[1] as number), ((b[2] as number) << 8) | (b[3] as number));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
        out.push(parseInt(w, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] as string, halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1] as string, true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  return words.reduce((n, w) => (n << 16n) | BigInt(w), 0n);
}

/** inet_ntop(AF_INET6) as glibc prints it (iptables-save prints addresses with it). */
export function formatIPv6(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  return formatIpv6Groups(groups, true);
}

export function parseAddress(text: string, family: IpFamily): bigint | undefined {
  return family === 'ipv4' ? parseIPv4(text) : parseIPv6(text);
}

export function formatAddress(n: bigint, family: IpFamily): string {
  return family === 'ipv4' ? formatIPv4(n) : formatIPv6(n);
}

/** The prefix length of a contiguous mask, or -1. */
export function maskToCidr(mask: bigint, family: IpFamily): number {
  if (family === 'ipv4') {
    const inv = ~Number(mask) >>> 0;
    if ((inv & (inv + 1)) !== 0) return -1;
    return inv === 0 ? 32 : Math.clz32(inv);
  }
  let len = 0;
  while (len < 128 && ((mask >> BigInt(127 - len)) & 1n) === 1n) len++;
  return mask === cidrToMask(len, family) ? len : -1;
}

export function cidrToMask(len: number, family: IpFamily): bigint {
  const bits = family === 'ipv4' ? 32 : 128;
  return len === 0 ? 0n : (allOnes(family) << BigInt(bits - len)) & allOnes(family);
}

/** `ADDR[/LEN|/MASK]`; the host bits are cleared as iptables does. */
export function parseNet(text: string, family: IpFamily): Net | undefined {
  const slash = text.indexOf('/');
  const addr = parseAddress(slash < 0 ? text : text.slice(0, slash), family);
  if (addr === undefined) return undefined;
  let mask = allOnes(family);
  if (slash >= 0) {
    const m = text.slice(slash + 1);
    const bits = family === 'ipv4' ? 32 : 128;
    if (/^[0-9]+$/.test(m)) {
      const len = Number(m);
      if (len > bits) return undefined;
      mask = cidrToMask(len, family);
    } else {
      const asAddr = parseAddress(m, family);
      if (asAddr === undefined) return undefined;
      mask = asAddr;
    }
  }
  return { family, addr: addr & mask, mask };
}

/** `ADDR/LEN` (or `ADDR/MASK` for a non-contiguous mask), as the built-in `-s`/`-d` are saved. */
export function formatNetWithLength(net: Net): string {
  const len = maskToCidr(net.mask, net.family);
  const m = len < 0 ? formatAddress(net.mask, net.family) : `${len}`;
  return `${formatAddress(net.addr, net.family)}/${m}`;
}

/** `ADDR` for a host mask, else `ADDR/LEN`, as match extensions (conntrack, policy) print them. */
export function formatNetShort(net: Net): string {
  const len = maskToCidr(net.mask, net.family);
  const bits = net.family === 'ipv4' ? 32 : 128;
  if (len === bits) return formatAddress(net.addr, net.family);
  return formatNetWithLength(net);
}

// ---------------------------------------------------------------------------------------------
// Protocols

/** Names iptables knows without the protocols file, in its own order (first name wins on print). */
const CHAIN_PROTOS: ReadonlyArray<readonly [string, number]> = [
  ['tcp', 6],
  ['sctp', 132],
  ['udp', 17],
  ['udplite', 136],
  ['icmp', 1],
  ['ipv6-icmp', 58],
  ['icmpv6', 58],
  ['esp', 50],
  ['ah', 51],
  ['mobility-header', 135],
  ['ipv6-mh', 135],
  ['mh', 135],
  ['all', 0],
];

/** The number of a `-p` value: a number, a known name, or a name from the protocols file. */
export function parseProtocol(text: string): number | undefined {
  const n = parseUint(text, 255);
  if (n !== undefined) return n;
  const lower = text.toLowerCase();
  for (const [name, num] of CHAIN_PROTOS) if (name === lower) return num;
  return protocolNumberOf(text) ?? protocolNumberOf(lower);
}

/** How iptables-save prints protocol `num` after `-p` (undefined for 0: no `-p` at all). */
export function protocolName(num: number): string | undefined {
  if (num === 0) return undefined;
  for (const [name, n] of CHAIN_PROTOS) if (n === num) return name;
  return protocolNameOf(num) ?? `${num}`;
}

// ---------------------------------------------------------------------------------------------
// Strings and numbers in saved rules

const NO_QUOTE = /^[A-Za-z0-9_-]+$/;

/**
 * xtables_save_string(): a word of letters, digits, `_` and `-` is printed bare; anything else in
 * double quotes, with `"`, `'` and `\` escaped by a backslash.
 */
export function saveString(value: string): string {
  if (NO_QUOTE.test(value)) return value;
  return `"${value.replace(/["'\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * The statistic match's probability as the kernel keeps it: `lround(p * 2^31)` (a 31-bit
 * fraction), printed back with `%.11f` (glibc rounds exact ties to even).
 */
export function probabilityToKernel(text: string): number | undefined {
  if (!/^[+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(text)) return undefined;
  const p = Number(text);
  if (!Number.isFinite(p) || p < 0 || p > 1) return undefined;
  return probabilityFraction(p);
}

/** A probability in [0, 1] as the kernel stores it: a fraction of 2^31, rounded to nearest. */
export function probabilityFraction(p: number): number {
  return Math.floor(p * 0x80000000 + 0.5);
}

export function formatKernelProbability(fraction: number): string {
  // fraction / 2^31 to 11 decimals, exactly: round(fraction * 10^11 / 2^31), ties to even.
  const scaled = BigInt(fraction) * 10n ** 11n;
  const den = 1n << 31n;
  let q = scaled / den;
  const r = scaled % den;
  if (r * 2n > den || (r * 2n === den && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(12, '0');
  return `${s.slice(0, -11)}.${s.slice(-11)}`;
}
