import ipaddr from 'ipaddr.js';
import type { IpFamily } from '../ast/types.js';

/**
 * IP and CIDR parsing the way kube-proxy reads addresses from objects: "sloppy" IPv4, where an
 * octet may carry leading zeros and is read as decimal (`010.1.2.3` is 10.1.2.3), and canonical
 * printing (RFC 5952 for IPv6). Any string that is not an address is rejected, which is what
 * keeps manifest text out of the rules.
 */

export interface ParsedIp {
  family: IpFamily;
  /** Canonical text: dotted decimal, or RFC 5952 IPv6. */
  text: string;
  bytes: number[];
}

export interface ParsedCidr {
  family: IpFamily;
  /** Canonical network text with host bits cleared, e.g. `203.0.113.0/25`. */
  text: string;
  network: ParsedIp;
  prefix: number;
}

const V6_CHARS = /^[0-9A-Fa-f:.]+$/;

export function parseIp(input: string): ParsedIp | null {
  const s = input;
  const v4 = parseSloppyIpv4(s);
  if (v4 !== undefined) return v4;
  if (!s.includes(':') || !V6_CHARS.test(s) || !ipaddr.IPv6.isValid(s)) return null;
  const addr = ipaddr.IPv6.parse(s);
  if (addr.isIPv4MappedAddress()) {
    const v4 = addr.toIPv4Address().toByteArray();
    return { family: 'ipv4', text: v4.join('.'), bytes: v4 };
  }
  return { family: 'ipv6', text: addr.toRFC5952String(), bytes: addr.toByteArray() };
}

/**
 * Four dot-separated groups of one to three decimal digits, each at most 255: the address (its
 * canonical text is the input itself unless a group has leading zeros); null for such a shape with
 * a group above 255; undefined for any other text. A loop over the characters rather than a
 * regular expression: a large cluster has a hundred thousand endpoint addresses.
 */
function parseSloppyIpv4(s: string): ParsedIp | null | undefined {
  const n = s.length;
  if (n < 7 || n > 15) return undefined;
  const bytes = [0, 0, 0, 0];
  let group = 0;
  let digits = 0;
  let value = 0;
  let canonical = true;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46; /* a final '.' closes the last group */
    if (c >= 48 && c <= 57) {
      if (digits === 3) return undefined;
      if (digits === 1 && value === 0) canonical = false;
      value = value * 10 + (c - 48);
      digits++;
    } else if (c === 46 /* . */) {
      if (digits === 0 || group === 4) return undefined;
      bytes[group++] = value;
      digits = 0;
      value = 0;
    } else {
      return undefined;
    }
  }
  if (group !== 4) return undefined;
  if (bytes.some((b) => b > 255)) return null;
  return { family: 'ipv4', text: canonical ? s : bytes.join('.'), bytes };
}

export function parseCidr(input: string): ParsedCidr | null {
  const slash = input.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(input.slice(0, slash));
  const lenText = input.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(lenText)) return null;
  const prefix = Number.parseInt(lenText, 10);
  const bits = ip.bytes.length * 8;
  if (prefix > bits) return null;
  const masked = maskBytes(ip.bytes, prefix);
  const network = bytesToIp(masked);
  return { family: ip.family, text: `${network.text}/${prefix}`, network, prefix };
}

export function bytesToIp(bytes: number[]): ParsedIp {
  if (bytes.length === 4) return { family: 'ipv4', text: bytes.join('.'), bytes };
  const addr = ipaddr.fromByteArray(bytes) as ipaddr.IPv6;
  return { family: 'ipv6', text: addr.toRFC5952String(), bytes };
}

function maskBytes(bytes: number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}

export function cidrContains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  if (cidr.family !== ip.family) return false;
  const masked = maskBytes(ip.bytes, cidr.prefix);
  return masked.every((b, i) => b === cidr.network.bytes[i]);
}

export function isLoopback(ip: ParsedIp): boolean {
  if (ip.family === 'ipv4') return ip.bytes[0] === 127;
  return ip.bytes.slice(0, 15).every((b) => b === 0) && ip.bytes[15] === 1;
}

export function isLinkLocal(ip: ParsedIp): boolean {
  if (ip.family === 'ipv4') return ip.bytes[0] === 169 && ip.bytes[1] === 254;
  return ip.bytes[0] === 0xfe && ((ip.bytes[1] ?? 0) & 0xc0) === 0x80;
}

/** `0.0.0.0/0` or `::/0`: every address. */
export function isZeroCidr(cidr: ParsedCidr): boolean {
  return cidr.prefix === 0;
}

/** `IP:port`, or `[IP]:port` for IPv6 (Go's JoinHostPort). */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Orders addresses numerically, IPv4 before IPv6. */
export function compareIps(a: ParsedIp, b: ParsedIp): number {
  if (a.bytes.length !== b.bytes.length) return a.bytes.length - b.bytes.length;
  for (let i = 0; i < a.bytes.length; i++) {
    const d = (a.bytes[i] ?? 0) - (b.bytes[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
