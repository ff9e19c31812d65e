import { cidrContains, parseCidr, parseIp, type ParsedCidr, type ParsedIp } from '../../kube/ip.js';

/**
 * An address as a rule writes it: `10.0.0.1`, `10.0.0.0/8`, `10.0.0.0/255.0.0.0`, `fd00::/64`,
 * or a comma list of these (iptables accepts `-s a,b` and expands it).
 */
export function parseAddressSpec(text: string): ParsedCidr[] | null {
  const out: ParsedCidr[] = [];
  for (const part of text.split(',')) {
    const c = parseOne(part.trim());
    if (!c) return null;
    out.push(c);
  }
  return out.length > 0 ? out : null;
}

function parseOne(text: string): ParsedCidr | null {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const ip = parseIp(text);
    if (!ip) return null;
    return { family: ip.family, text: `${ip.text}/${ip.bytes.length * 8}`, network: ip, prefix: ip.bytes.length * 8 };
  }
  const mask = text.slice(slash + 1);
  if (mask.includes('.')) {
    const m = parseIp(mask);
    if (!m || m.family !== 'ipv4') return null;
    const bits = m.bytes.map((b) => b.toString(2).padStart(8, '0')).join('');
    if (!/^1*0*$/.test(bits)) return null;
    return parseCidr(`${text.slice(0, slash)}/${bits.indexOf('0') < 0 ? 32 : bits.indexOf('0')}`);
  }
  return parseCidr(text);
}

export function addressMatches(spec: readonly ParsedCidr[], ip: ParsedIp): boolean {
  return spec.some((c) => cidrContains(c, ip));
}

export function portInRange(port: number, range: readonly [number, number]): boolean {
  return port >= range[0] && port <= range[1];
}
