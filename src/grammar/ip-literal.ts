import ipaddr from 'ipaddr.js';

/**
 * Strict address literals as the dump tools print them: dotted quads without leading-zero
 * leniency, and IPv6 text. (Manifests are read with the lenient rules of src/model/ip.ts.)
 */

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

export function isIpv4Literal(text: string): boolean {
  const m = DOTTED_QUAD.exec(text);
  if (!m) return false;
  return m.slice(1).every((o) => Number(o) <= 255);
}

/** An IPv6 literal has at least two colons; checking that first keeps `10.0.0.1:80` off the slow path. */
export function isIpv6Literal(text: string): boolean {
  const first = text.indexOf(':');
  return first >= 0 && text.indexOf(':', first + 1) > 0 && IPV6_CHARS.test(text) && ipaddr.IPv6.isValid(text);
}
