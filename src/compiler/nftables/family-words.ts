import type { IpFamily } from '../../ast/types.js';
import type { LocalDetector } from '../../model/settings.js';

/** The words that differ between the IPv4 and the IPv6 proxier. */
export interface FamilyWords {
  /** `ip` or `ip6`, before `saddr` / `daddr`, and the table's family. */
  ipX: 'ip' | 'ip6';
  /** `ipv4_addr` or `ipv6_addr`. */
  addrType: string;
  /** The loopback range NodePorts never answer on: `127.0.0.0/8` or `::1`. */
  loopback: string;
}

export function familyWords(family: IpFamily): FamilyWords {
  return family === 'ipv4'
    ? { ipX: 'ip', addrType: 'ipv4_addr', loopback: '127.0.0.0/8' }
    : { ipX: 'ip6', addrType: 'ipv6_addr', loopback: '::1' };
}

/**
 * Words nft reads as something other than a name where an interface name goes, of the one shape
 * written bare (letters, then digits): a protocol and IPv6 routing header types, and the
 * keywords of that shape newer versions have.
 */
const NFT_WORDS_LIKE_NAMES = new Set(['icmpv6', 'icmp6', 'ip6', 'rt0', 'rt2', 'rt4', 'sack0', 'sack1', 'sack2', 'sack3']);

/**
 * An interface name as an nft word: bare, as kube-proxy writes it, when it is the usual shape
 * (`eth0`, `cbr0`, `eth0.100`) that nft can only read as a name; in double quotes otherwise
 * (`"@x"` would be a set, `"0x10"` a number, `"accept"` a verdict). Valid names hold no quote,
 * backslash or `*` (see interface-name.ts), so the quoted text is the name itself.
 */
export function nftInterfaceName(name: string): string {
  return /^[a-z]+[0-9]+(\.[0-9]+)?$/.test(name) && !NFT_WORDS_LIKE_NAMES.has(name) ? name : `"${name}"`;
}

/**
 * An interface prefix with nft's `*` wildcard: bare when nft's scanner reads it as one wildcard
 * word (a letter, `_` or `.` first, then letters, digits, `_`, `.`, `-`), quoted otherwise.
 */
export function nftInterfacePrefix(prefix: string): string {
  return /^[A-Za-z_.][A-Za-z0-9_.-]*$/.test(prefix) ? `${prefix}*` : `"${prefix}*"`;
}

/** "The packet comes from a local pod", as nft words (none without a detector). */
export function ifLocalWords(d: LocalDetector, ipX: string): string[] {
  if (d.kind === 'cidr') return [ipX, 'saddr', d.cidr.text];
  // By name, as the prefix form: `iif` resolves the interface when the rule is loaded.
  if (d.kind === 'bridge') return ['iifname', nftInterfaceName(d.name)];
  if (d.kind === 'prefix') return ['iifname', nftInterfacePrefix(d.prefix)];
  return [];
}

/** "The packet does not come from a local pod", as nft words (none without a detector). */
export function ifNotLocalWords(d: LocalDetector, ipX: string): string[] {
  if (d.kind === 'cidr') return [ipX, 'saddr', '!=', d.cidr.text];
  if (d.kind === 'bridge') return ['iifname', '!=', nftInterfaceName(d.name)];
  if (d.kind === 'prefix') return ['iifname', '!=', nftInterfacePrefix(d.prefix)];
  return [];
}
