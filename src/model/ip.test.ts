import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, compareIps, isLoopback, joinHostPort, parseCidr, parseIp } from './ip.js';

describe('parseIp', () => {
  it('reads IPv4 octets with leading zeros as decimal, like kube-proxy', () => {
    expect(parseIp('010.180.00.001')?.text).toBe('10.180.0.1');
    expect(parseIp('172.30.0.041')?.text).toBe('172.30.0.41');
  });
  it('prints IPv6 in RFC 5952 form and IPv4-mapped addresses as IPv4', () => {
    expect(parseIp('FD00:AB34:0:0:0:0:0:20')?.text).toBe('fd00:ab34::20');
    expect(parseIp('2001:db8:0:0:1:0:0:1')?.text).toBe('2001:db8::1:0:0:1');
    expect(parseIp('::ffff:1.2.3.4')).toMatchObject({ family: 'ipv4', text: '1.2.3.4' });
  });
  it.each(['', '1.2.3', '1.2.3.256', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4\n-A X', 'a::g', '1.2.3.4/32', 'localhost', '::1%eth0'])(
    'rejects %j',
    (s) => {
      expect(parseIp(s)).toBeNull();
    },
  );
  it('reads dotted quads as the regular-expression definition does (property)', () => {
    // The definition: four groups of 1-3 decimal digits, each group at most 255, read as decimal.
    const reference = (s: string): string | null => {
      const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
      if (!m) return null;
      const bytes = m.slice(1).map((o) => Number.parseInt(o, 10));
      return bytes.every((b) => b <= 255) ? bytes.join('.') : null;
    };
    const group = fc.stringMatching(/^[0-9]{0,4}$/);
    const sep = fc.constantFrom('.', '.', '.', '..', 'x', '', ' ');
    const quad = fc.tuple(group, sep, group, sep, group, sep, group, fc.constantFrom('', '', '.', '.1')).map((parts) => parts.join(''));
    fc.assert(
      fc.property(quad, (s) => {
        const ip = parseIp(s);
        expect(ip === null ? null : ip.text).toBe(reference(s));
        if (ip) expect(ip.bytes.join('.')).toBe(ip.text);
      }),
      { numRuns: 3000 },
    );
  });
  it('never accepts text with white space or quotes (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(' ', '"', '\n', '\t', "'", '#'), fc.string(), (a, bad, b) => {
        expect(parseIp(a + bad + b)).toBeNull();
      }),
    );
  });
});

describe('parseCidr', () => {
  it('clears host bits and canonicalises', () => {
    expect(parseCidr('203.0.113.000/025')?.text).toBe('203.0.113.0/25');
    expect(parseCidr('10.1.2.3/8')?.text).toBe('10.0.0.0/8');
    expect(parseCidr('fd00:10::1/64')?.text).toBe('fd00:10::/64');
  });
  it('rejects bad prefixes', () => {
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0/')).toBeNull();
    expect(parseCidr('10.0.0.0')).toBeNull();
  });
  it('tests containment within one family only', () => {
    const c = parseCidr('10.0.0.0/8');
    expect(c && cidrContains(c, parseIp('10.200.3.4') ?? (null as never))).toBe(true);
    expect(c && cidrContains(c, parseIp('11.0.0.1') ?? (null as never))).toBe(false);
    expect(c && cidrContains(c, parseIp('::a00:1') ?? (null as never))).toBe(false);
  });
});

describe('helpers', () => {
  it('joins host and port like Go', () => {
    expect(joinHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(joinHostPort('fd00::1', 80)).toBe('[fd00::1]:80');
  });
  it('knows loopback and orders numerically', () => {
    expect(isLoopback(parseIp('127.0.0.53') ?? (null as never))).toBe(true);
    expect(isLoopback(parseIp('::1') ?? (null as never))).toBe(true);
    const a = parseIp('10.0.0.2') ?? (null as never);
    const b = parseIp('10.0.0.10') ?? (null as never);
    expect(compareIps(a, b)).toBeLessThan(0);
  });
});
