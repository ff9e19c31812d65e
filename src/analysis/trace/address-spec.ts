import { cidrContains, parseCidr, parseIp, type ParsedCidr, type ParsedIp } from '../../model/ip.js';

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

/** A port or range `80`, `80:90`, `:1024`, `1024:` (also `80-90` in multiport lists). */
export function parsePortRange(text: string): [number, number] | null {
  const m = /^(\d{0,5})(?:[:-](\d{0,5}))?$/.exec(text.trim());
  if (!m) return null;
  if (m[2] === undefined) {
    if (m[1] === '') return null;
    const p = Number(m[1]);
    return p <= 65535 ? [p, p] : null;
  }
  const lo = m[1] === '' ? 0 : Number(m[1]);
  const hi = m[2] === '' ? 65535 : Number(m[2]);
  if (lo > 65535 || hi > 65535) return null;
  return [lo, hi];
}

export function portInRange(port: number, range: readonly [number, number]): boolean {
  return port >= range[0] && port <= range[1];
}

/** A number as iptables writes it: decimal or `0x` hexadecimal. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^\d+$/.test(t)) return Number(t);
  return null;
}

/** `VALUE[/MASK]` of the mark match and MARK target. */
export function parseMarkMask(text: string): { value: number; mask: number } | null {
  const [v, m] = text.split('/');
  const value = parseNumber(v ?? '');
  const mask = m === undefined ? 0xffffffff : parseNumber(m);
  if (value === null || mask === null) return null;
  return { value: value >>> 0, mask: mask >>> 0 };
}
