/**
 * How kube-proxy's nftables rules write an interface name, shared by the compiler, which writes
 * it, and the nftables reader, which reads a listing's always-quoted names back to it.
 */

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
