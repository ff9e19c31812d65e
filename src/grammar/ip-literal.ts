import { parseIp } from '../kube/ip.js';

/**
 * Address literals as the dump tools print them (inet_ntop): dotted quads, and IPv6 text, which may
 * end in a dotted quad (`::ffff:10.0.0.1`, `::169.254.169.254`) and is IPv6 all the same. Both are
 * read by the one address reader, src/model/ip.ts.
 */

export function isIpv4Literal(text: string): boolean {
  return !text.includes(':') && parseIp(text) !== null;
}

/** An IPv6 literal has at least two colons; checking that first keeps `10.0.0.1:80` off the slow path. */
export function isIpv6Literal(text: string): boolean {
  const first = text.indexOf(':');
  return first >= 0 && text.indexOf(':', first + 1) > 0 && parseIp(text) !== null;
}
