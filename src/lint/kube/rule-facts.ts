import type { IpFamily } from '../../ast/types.js';
import type { RuleView } from '../../ast/rule-view.js';
import { matchesOf, optionOf } from '../../ast/rule-view.js';
import { parseMarkMask, parseNet, parseProtocol, protocolName, type Net } from '../../ast/xtables/values.js';
import { joinHostPort, parseIp } from '../../kube/ip.js';
import { servicePortNameTextOfComment } from '../../kube/rule-comments.js';

/**
 * Small facts read off one rule's view, the way kube-proxy's rules use them: the service port
 * name in a comment, the protocol, addresses as networks, marks.
 */

/**
 * The service port name (`ns/name` or `ns/name:port`) a kube-proxy comment names, as the comment
 * writes it, e.g. `ns1/svc1:p80` in `"ns1/svc1:p80 cluster IP"`, `"ns1/svc1:p80 -> 10.0.0.1:80"` or
 * `"masquerade traffic for ns1/svc1:p80 external destinations"`.
 */
export function servicePortNameIn(comment: string): string | undefined {
  return servicePortNameTextOfComment(comment);
}

/** The rule's protocol in lower case (`tcp`), if it names one and does not negate it. */
export function protocolOf(view: RuleView): string | undefined {
  const p = view.protocol;
  if (!p || p.negated) return undefined;
  const num = parseProtocol(p.value);
  return num === undefined ? p.value.toLowerCase() : (protocolName(num) ?? p.value.toLowerCase());
}

/** `IP:port` / `[IP]:port` with the address in canonical form; other text as written. */
const CANONICAL_V4_ENDPOINT = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d):[1-9]\d{0,4}$/;

export function canonicalEndpoint(text: string): string {
  if (CANONICAL_V4_ENDPOINT.test(text)) return text;
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) return text;
  const ip = parseIp(m[1] ?? '');
  return ip ? joinHostPort(ip.text, Number(m[2])) : text;
}

/** The address part of an endpoint `IP:port` / `[IP]:port`. */
export function endpointAddress(endpoint: string): string {
  const colon = endpoint.lastIndexOf(':');
  if (colon < 0) return endpoint;
  if (endpoint.startsWith('[')) return endpoint.charCodeAt(colon - 1) === 93 /* ] */ ? endpoint.slice(1, colon - 1) : endpoint;
  return endpoint.indexOf(':') === colon ? endpoint.slice(0, colon) : endpoint;
}

/** A `-s`/`-d` value as a network (`10.0.0.1` is `10.0.0.1/32`). */
export function netOf(text: string, family: IpFamily): Net | undefined {
  return parseNet(text, family) ?? parseNet(text, family === 'ipv4' ? 'ipv6' : 'ipv4');
}

/** Whether network `outer` contains network `inner`. */
export function netContains(outer: Net, inner: Net): boolean {
  if (outer.family !== inner.family) return false;
  return (inner.mask & outer.mask) === outer.mask && (inner.addr & outer.mask) === outer.addr;
}

/** Whether two networks share no address. */
export function netsDisjoint(a: Net, b: Net): boolean {
  if (a.family !== b.family) return true;
  const common = a.mask & b.mask;
  return (a.addr & common) !== (b.addr & common);
}

/** Whether a `-s`/`-d` value is one host address (`10.0.0.1`, `10.0.0.1/32`) equal to `ip`. */
export function isHostAddress(text: string, ip: string, family: IpFamily): boolean {
  if (text.startsWith(ip) && (text.length === ip.length || (text.charCodeAt(ip.length) === 47 /* / */ && (text.endsWith('/32') || text.endsWith('/128'))))) {
    const rest = text.slice(ip.length);
    if (rest === '' || (family === 'ipv4' ? rest === '/32' : rest === '/128')) return true;
  }
  const a = netOf(text, family);
  const b = netOf(ip, family);
  if (!a || !b) return false;
  const all = a.family === 'ipv4' ? 0xffffffffn : (1n << 128n) - 1n;
  return a.mask === all && b.mask === all && a.addr === b.addr;
}

/** A rule's `-m mark --mark V/M` test, if it has one. */
export function markTest(view: RuleView): { value: number; mask: number; negated: boolean; text: string } | undefined {
  for (const m of matchesOf(view, 'mark')) {
    const o = optionOf(m, '--mark');
    const text = o?.values[0];
    if (!o || text === undefined) continue;
    const mm = parseMarkMask(text);
    if (mm) return { value: mm.value >>> 0, mask: mm.mask >>> 0, negated: o.negated, text };
  }
  return undefined;
}

/**
 * What a `-j MARK` target does to the mark, as `--set-xmark V/M` (clear the bits of M, then XOR
 * V): `--or-mark B` is `B/B`, `--xor-mark B` is `B/0`, `--and-mark B` is `0/~B`,
 * `--set-mark V/M` is `V/(M|V)`.
 */
export function markTarget(view: RuleView): { value: number; mask: number; text: string } | undefined {
  const t = view.target;
  if (!t || t.name !== 'MARK') return undefined;
  for (const o of t.options) {
    const text = o.values[0];
    if (text === undefined) continue;
    const mm = parseMarkMask(text);
    if (!mm) continue;
    const v = mm.value >>> 0;
    switch (o.flag) {
      case '--or-mark':
        return { value: v, mask: v, text: `${o.flag} ${text}` };
      case '--xor-mark':
        return { value: v, mask: 0, text: `${o.flag} ${text}` };
      case '--and-mark':
        return { value: 0, mask: ~v >>> 0, text: `${o.flag} ${text}` };
      case '--set-xmark':
        return { value: v, mask: mm.mask >>> 0, text: `${o.flag} ${text}` };
      case '--set-mark':
        return { value: v, mask: (mm.mask | v) >>> 0, text: `${o.flag} ${text}` };
    }
  }
  return undefined;
}


