import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatIPv6,
  formatKernelProbability,
  formatNetWithLength,
  maskToCidr,
  parseIPv4,
  parseIPv6,
  parseNet,
  parseProtocol,
  parseUint,
  probabilityToKernel,
  protocolName,
  saveString,
} from './values.js';

describe('numbers, addresses and protocols as libxtables reads and prints them', () => {
  it('reads C numbers in any base', () => {
    expect([parseUint('0x4000'), parseUint('010'), parseUint('16384'), parseUint('0'), parseUint('08'), parseUint('-1'), parseUint('0x1_0')]).toEqual([
      0x4000,
      8,
      16384,
      0,
      undefined,
      undefined,
      undefined,
    ]);
    expect(parseUint('256', 255)).toBeUndefined();
  });

  it('reads IPv4 the xtables way (short forms, octal parts)', () => {
    expect(parseIPv4('10.1')).toBe(0x0a010000n);
    expect(parseIPv4('010.001.2.3')).toBe(0x08010203n);
    expect(parseIPv4('1.2.3.256')).toBeUndefined();
    expect(parseIPv4('1.2.3.4.5')).toBeUndefined();
  });

  it('prints networks with their length, host bits cleared, odd masks as masks', () => {
    const net = (s: string, f: 'ipv4' | 'ipv6' = 'ipv4') => formatNetWithLength(parseNet(s, f) as never);
    expect(net('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(net('10.0.0.0/255.0.255.0')).toBe('10.0.0.0/255.0.255.0');
    expect(net('fd00::1/ffff:ffff::', 'ipv6')).toBe('fd00::/32');
    expect(net('::ffff:1.2.3.4', 'ipv6')).toBe('::ffff:1.2.3.4/128');
    expect(maskToCidr(0xffffff00n, 'ipv4')).toBe(24);
    expect(maskToCidr(0xff00ff00n, 'ipv4')).toBe(-1);
  });

  it('prints IPv6 like inet_ntop (property: same as the WHATWG URL serialiser outside the dotted forms)', () => {
    const words = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(words, (w) => {
        const n = w.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n);
        const text = formatIPv6(n);
        expect(parseIPv6(text)).toBe(n);
        const dotted = w.slice(0, 5).every((x) => x === 0) && (w[5] === 0 || w[5] === 0xffff) && !(w[5] === 0 && w[6] === 0);
        if (!dotted) expect(text).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
      }),
      { numRuns: 2000 },
    );
    for (const bad of [':::1', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '::ffff:1.2.3', '::1.2.3.400', 'fe80::1%eth0', '1::2:3:4:5:6:7:8']) {
      expect(parseIPv6(bad), bad).toBeUndefined();
    }
    expect(parseIPv6('::')).toBe(0n);
    expect(parseIPv6('1:2:3:4:5:6:1.2.3.4')).toBe(0x0001000200030004000500060102_0304n);
    expect(formatIPv6(parseIPv6('::1.2.3.4') as bigint)).toBe('::1.2.3.4');
    expect(formatIPv6(parseIPv6('::1') as bigint)).toBe('::1');
    expect(formatIPv6(parseIPv6('1:0:0:1:0:0:0:1') as bigint)).toBe('1:0:0:1::1');
    expect(formatIPv6(parseIPv6('1:0:1:1:1:1:1:1') as bigint)).toBe('1:0:1:1:1:1:1:1');
  });

  it('names protocols as iptables-save does', () => {
    expect([6, 17, 58, 135, 47, 4, 200].map((n) => protocolName(n))).toEqual(['tcp', 'udp', 'ipv6-icmp', 'mobility-header', 'gre', 'ipencap', '200']);
    expect(protocolName(0)).toBeUndefined();
    expect([parseProtocol('TCP'), parseProtocol('icmpv6'), parseProtocol('GRE'), parseProtocol('all'), parseProtocol('nope')]).toEqual([6, 58, 47, 0, undefined]);
  });
});

describe('probability', () => {
  it('is kept as a 31-bit fraction and printed with 11 decimals, ties to even', () => {
    const p = (s: string) => formatKernelProbability(probabilityToKernel(s) as number);
    expect(['0.3333333333', '0.5000000000', '0.25', '1', '0', '0.000244140625', '0.0000000001', '.2', '1e-1'].map(p)).toEqual([
      '0.33333333349',
      '0.50000000000',
      '0.25000000000',
      '1.00000000000',
      '0.00000000000',
      '0.00024414062',
      '0.00000000000',
      '0.20000000019',
      '0.10000000009',
    ]);
    expect(probabilityToKernel('1.5')).toBeUndefined();
    expect(probabilityToKernel('abc')).toBeUndefined();
  });

  it('reloading a printed probability keeps the kernel value (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x80000000 }), (k) => {
        expect(probabilityToKernel(formatKernelProbability(k))).toBe(k);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('saveString (xtables_save_string)', () => {
  it.each([
    ['abc', 'abc'],
    ['a_b-C9', 'a_b-C9'],
    ['ns1/svc1:p80', '"ns1/svc1:p80"'],
    ['a b', '"a b"'],
    ['', '""'],
    [`a"b`, `"a\\"b"`],
    [`it's`, `"it\\'s"`],
    ['back\\slash', '"back\\\\slash"'],
  ])('%s', (input, expected) => {
    expect(saveString(input)).toBe(expected);
  });
});

describe('IPv6 text as glibc prints it', () => {
  it('compresses the first longest zero run and ends compatible and mapped addresses in a dotted quad', () => {
    const cases: [string, string][] = [
      ['0:0:0:0:0:0:a9fe:a9fe', '::169.254.169.254'],
      ['0:0:0:0:0:ffff:a00:1', '::ffff:10.0.0.1'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['fd00:0:0:1:0:0:0:5', 'fd00:0:0:1::5'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:1:1:1:1:0:1', '2001:db8:1:1:1:1:0:1'],
      ['0:0:0:0:0:0:1:0', '::0.1.0.0'],
      ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ];
    for (const [groups, text] of cases) {
      const n = groups.split(':').reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
      expect(formatIPv6(n), groups).toBe(text);
    }
  });
});
