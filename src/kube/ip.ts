/** An address family, as the rest of rulec names it. */
export type IpFamily = 'ipv4' | 'ipv6';

/**
 * The one reader and printer of IP addresses and CIDRs, for objects and dumps alike. IPv4 is a
 * dotted quad of decimal octets, read as kube-proxy reads stored objects: an octet may carry
 * leading zeros and is still decimal (`010.1.2.3` is 10.1.2.3, printed canonically); `127.1`,
 * `0x7f.0.0.1` and other inet_aton forms are not addresses. IPv6 is RFC 4291 text as Go's
 * netip.ParseAddr reads it, with an optional dotted-quad tail (no leading zeros there) and no zone.
 * The family is the form of the text: anything with a colon is IPv6, so `::169.254.169.254` (the
 * IPv4-compatible address ::a9fe:a9fe) and `::ffff:10.0.0.1` (IPv4-mapped) stay IPv6 and never
 * stand for the IPv4 address inside them. Addresses are printed as netip.Addr.String() prints
 * them: RFC 5952 for IPv6, with an IPv4-mapped address as `::ffff:` and a dotted quad. Any string
 * that is not an address is rejected, which is what keeps manifest text out of the rules.
 */

export interface ParsedIp {
  family: IpFamily;
  /** Canonical text: dotted decimal, or IPv6 as Go prints it. */
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

export function parseIp(input: string): ParsedIp | null {
  const v4 = parseIpv4(input);
  if (v4 !== undefined) return v4;
  const bytes = parseIpv6Bytes(input);
  return bytes && { family: 'ipv6', text: formatIpv6(bytes), bytes };
}

/**
 * Four dot-separated groups of one to three decimal digits, each at most 255: the address (its
 * canonical text is the input itself unless a group has leading zeros); null for such a shape with
 * a group above 255; undefined for any other text. A loop over the characters rather than a
 * regular expression: a large cluster has a hundred thousand endpoint addresses.
 */
function parseIpv4(s: string): ParsedIp | null | undefined {
  const quad = dottedQuad(s, 0);
  if (quad === undefined || quad === null) return quad;
  return { family: 'ipv4', text: quad.leadingZeros ? quad.bytes.join('.') : s, bytes: quad.bytes };
}

/** The dotted quad that is `s` from `from` to its end, as `parseIpv4` reads it, and whether a group has leading zeros. */
function dottedQuad(s: string, from: number): { bytes: number[]; leadingZeros: boolean } | null | undefined {
  const n = s.length;
  if (n - from < 7 || n - from > 15) return undefined;
  const bytes = [0, 0, 0, 0];
  let group = 0;
  let digits = 0;
  let value = 0;
  let leadingZeros = false;
  for (let i = from; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46; /* a final '.' closes the last group */
    if (c >= 48 && c <= 57) {
      if (digits === 3) return undefined;
      if (digits === 1 && value === 0) leadingZeros = true;
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
  return { bytes, leadingZeros };
}

/**
 * The 16 bytes of IPv6 text, read as netip.ParseAddr reads it without a zone: groups of one to four
 * hex digits, at most one `::` standing for at least one zero group, and optionally a dotted quad
 * (no leading zeros) in place of the last two groups. Null for anything else.
 */
function parseIpv6Bytes(s: string): number[] | null {
  const n = s.length;
  if (n < 2 || n > 45) return null;
  const words: number[] = [];
  let ellipsis = -1;
  let i = 0;
  if (s.charCodeAt(0) === 58 && s.charCodeAt(1) === 58) {
    ellipsis = 0;
    i = 2;
  }
  while (i < n) {
    let j = i;
    let value = 0;
    for (; j < n; j++) {
      const h = hexValue(s.charCodeAt(j));
      if (h < 0) break;
      value = value * 16 + h;
    }
    if (j < n && s.charCodeAt(j) === 46 /* . */) {
      // A dotted quad takes the place of the last two groups.
      if (words.length > 6) return null;
      const quad = dottedQuad(s, i);
      if (!quad || quad.leadingZeros) return null;
      const [a, b, c, d] = quad.bytes as [number, number, number, number];
      words.push((a << 8) | b, (c << 8) | d);
      break;
    }
    if (j === i || j - i > 4 || words.length === 8) return null;
    words.push(value);
    if (j === n) break;
    if (s.charCodeAt(j) !== 58 /* : */ || j + 1 === n) return null;
    i = j + 1;
    if (s.charCodeAt(i) === 58) {
      if (ellipsis >= 0) return null;
      ellipsis = words.length;
      i++;
    }
  }
  if (ellipsis < 0 ? words.length !== 8 : words.length > 7) return null;
  const bytes = new Array<number>(16).fill(0);
  const gap = 8 - words.length;
  for (let w = 0; w < words.length; w++) {
    const at = ellipsis >= 0 && w >= ellipsis ? w + gap : w;
    const word = words[w] as number;
    bytes[2 * at] = word >> 8;
    bytes[2 * at + 1] = word & 0xff;
  }
  return bytes;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * IPv6 text as netip.Addr.String() prints it: lower-case hex groups without leading zeros, the
 * first longest run of two or more zero groups as `::` (RFC 5952), and an IPv4-mapped address as
 * `::ffff:` and its dotted quad. An IPv4-compatible address is printed in hex: `::a9fe:a9fe`.
 */
function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  return formatIpv6Groups(groups, false);
}

/**
 * IPv6 text from its eight 16-bit groups, compressed as RFC 5952 says (the first longest run of
 * two or more zero groups as `::`), an IPv4-mapped address ending in its dotted quad. With
 * `compatibleDotted`, an IPv4-compatible address (`::a.b.c.d`) ends in one too, as glibc's
 * inet_ntop, and so iptables-save, prints it; Go's netip does not.
 */
export function formatIpv6Groups(groups: readonly number[], compatibleDotted: boolean): string {
  let runStart = -1;
  let runLength = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > runLength) {
      runStart = i;
      runLength = j - i;
    }
    i = j;
  }
  if (runStart === 0 && ((runLength === 5 && groups[5] === 0xffff) || (compatibleDotted && runLength === 6))) {
    const hi = groups[6] as number;
    const lo = groups[7] as number;
    return `${runLength === 5 ? '::ffff:' : '::'}${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === runStart) {
      out += '::';
      i += runLength - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += (groups[i] as number).toString(16);
  }
  return out;
}

/**
 * `IP/LEN`: an address of either family as `parseIp` reads it and a decimal prefix length (leading
 * zeros read as kube-proxy reads them), at most 32 for IPv4 and 128 for IPv6: `::ffff:10.0.0.0/104`
 * is an IPv6 network. The network is returned with host bits cleared.
 */
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
  return { family: 'ipv6', text: formatIpv6(bytes), bytes };
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

/** The address as an unsigned number (32 bits for IPv4, 128 for IPv6). */
export function ipToBigInt(ip: ParsedIp): bigint {
  let v = 0n;
  for (const b of ip.bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** The address of `family` whose number is `value` (taken modulo the family's size). */
export function ipFromBigInt(family: IpFamily, value: bigint): ParsedIp {
  const n = family === 'ipv4' ? 4 : 16;
  const bytes = new Array<number>(n);
  let v = BigInt.asUintN(n * 8, value);
  for (let i = n - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytesToIp(bytes);
}
