import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, compareIps, ipFromBigInt, ipToBigInt, isLoopback, joinHostPort, parseCidr, parseIp } from './ip.js';

describe('parseIp', () => {
  it('reads IPv4 octets with leading zeros as decimal, like kube-proxy', () => {
    expect(parseIp('010.180.00.001')?.text).toBe('10.180.0.1');
    expect(parseIp('172.30.0.041')?.text).toBe('172.30.0.41');
  });
  it('rejects the other inet_aton forms: fewer than four parts, hex, one number', () => {
    for (const t of ['127.1', '127.0.1', '0x7f.0.0.1', '0X7F.0.0.1', '0x7f000001', '2130706433', '1.2.3.4.5', '1.2.3.0x4']) {
      expect(parseIp(t), t).toBeNull();
    }
    expect(parseIp('0.0.0.0')?.text).toBe('0.0.0.0');
  });
  it('prints IPv6 as Go prints it (RFC 5952)', () => {
    expect(parseIp('FD00:AB34:0:0:0:0:0:20')?.text).toBe('fd00:ab34::20');
    expect(parseIp('2001:db8:0:0:1:0:0:1')?.text).toBe('2001:db8::1:0:0:1');
    expect(parseIp('2001:db8:0:1:1:1:1:1')?.text).toBe('2001:db8:0:1:1:1:1:1');
    expect(parseIp('2001:0:0:1:0:0:0:1')?.text).toBe('2001:0:0:1::1');
    expect(parseIp('0:0:0:0:0:0:0:0')?.text).toBe('::');
    expect(parseIp('1:0:0:0:0:0:0:0')?.text).toBe('1::');
    expect(parseIp('0001:0002:0003:0004:0005:0006:0007:0008')?.text).toBe('1:2:3:4:5:6:7:8');
    expect(parseIp('1:2:3:4:5:6:1.2.3.4')?.text).toBe('1:2:3:4:5:6:102:304');
  });
  it('keeps IPv4-compatible addresses IPv6, printed in hex as Go prints them', () => {
    expect(parseIp('::169.254.169.254')).toEqual({ family: 'ipv6', text: '::a9fe:a9fe', bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 169, 254, 169, 254] });
    expect(parseIp('::6.6.6.6')).toMatchObject({ family: 'ipv6', text: '::606:606' });
    expect(parseIp('0:0:0:0:0:0:10.0.0.1')).toMatchObject({ family: 'ipv6', text: '::a00:1' });
    expect(parseIp('::0.0.0.1')).toMatchObject({ family: 'ipv6', text: '::1' });
  });
  it('keeps IPv4-mapped addresses IPv6, printed as ::ffff: and a dotted quad as Go prints them', () => {
    expect(parseIp('::ffff:1.2.3.4')).toEqual({ family: 'ipv6', text: '::ffff:1.2.3.4', bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4] });
    expect(parseIp('::FFFF:0a00:0001')).toMatchObject({ family: 'ipv6', text: '::ffff:10.0.0.1' });
    expect(parseIp('0:0:0:0:0:ffff:a9fe:a9fe')).toMatchObject({ family: 'ipv6', text: '::ffff:169.254.169.254' });
    expect(parseIp('::ffff:0:0')).toMatchObject({ family: 'ipv6', text: '::ffff:0.0.0.0' });
    // Not mapped: the ffff group is elsewhere.
    expect(parseIp('::ffff:0:0:0')).toMatchObject({ family: 'ipv6', text: '::ffff:0:0:0' });
    expect(parseIp('::1:ffff:a00:1')).toMatchObject({ family: 'ipv6', text: '::1:ffff:a00:1' });
  });
  it.each([
    '::010.0.0.1', // a leading zero in the dotted tail, as netip and inet_pton read it
    '::0x1.2.3.4',
    '::1.2.3',
    '::1.2.3.4.5',
    '::256.0.0.1',
    '1:2:3:4:5:6:7:1.2.3.4', // the tail makes nine groups
    '1:2:3:4:5:6:7:8:1.2.3.4',
    '::1.2.3.4:5',
    '1.2.3.4::',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    ':::',
    ':1::',
    '1:',
    ':1',
    '1::2:',
    '12345::',
    'fe80::1%eth0',
    '[::1]',
    '::g',
  ])('rejects the IPv6 text %j', (s) => {
    expect(parseIp(s)).toBeNull();
  });
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
  it('keeps IPv4-mapped and IPv4-compatible networks IPv6', () => {
    expect(parseCidr('::ffff:10.0.0.0/104')).toMatchObject({ family: 'ipv6', text: '::ffff:10.0.0.0/104', prefix: 104 });
    expect(parseCidr('::ffff:10.1.2.3/104')?.text).toBe('::ffff:10.0.0.0/104');
    expect(parseCidr('::ffff:0:0/96')).toMatchObject({ family: 'ipv6', text: '::ffff:0.0.0.0/96' });
    expect(parseCidr('::169.254.0.0/112')).toMatchObject({ family: 'ipv6', text: '::a9fe:0/112' });
    expect(parseCidr('::ffff:10.0.0.0/8')).toMatchObject({ family: 'ipv6', text: '::/8' });
    const mapped = parseCidr('::ffff:10.0.0.0/104');
    const v4 = parseIp('10.1.2.3');
    expect(mapped && v4 && cidrContains(mapped, v4)).toBe(false);
  });
  it('rejects networks that are not IP/LEN', () => {
    for (const t of ['::010.0.0.0/104', '10.0.0.0/+8', '10.0.0.0/0x8', '10/8', '10.0/16', '::ffff:10.0.0.0/1e2']) {
      expect(parseCidr(t), t).toBeNull();
    }
    expect(parseCidr('0.0.0.0/0')?.text).toBe('0.0.0.0/0');
    expect(parseCidr('::/0')?.text).toBe('::/0');
  });
  it('rejects bad prefixes', () => {
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0/')).toBeNull();
    expect(parseCidr('10.0.0.0')).toBeNull();
    expect(parseCidr('::ffff:10.0.0.0/129')).toBeNull();
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

describe('the family of an address (properties)', () => {
  const hexGroup = fc.stringMatching(/^[0-9a-fA-F]{0,5}$/);
  const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.stringMatching(/^[0-9]{1,4}$/));
  const quad = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
  const piece = fc.oneof(hexGroup, hexGroup, fc.constant(':'), fc.constant('::'), fc.constant('ffff'), fc.constant('0'), quad);
  /** Text shaped like IPv6, valid or not. */
  const ipv6ish = fc.array(piece, { maxLength: 12 }).map((p) => p.join(':').replace(/:{3,}/g, (m) => (m.length % 2 ? '::' : ':::')));
  /** 16 bytes, often with the IPv4-compatible or IPv4-mapped prefix, often with zero runs. */
  const bytes16 = fc
    .tuple(
      fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 255 })), { minLength: 16, maxLength: 16 }),
      fc.constantFrom('any', 'compat', 'mapped'),
    )
    .map(([b, kind]) => (kind === 'any' ? b : [...new Array<number>(10).fill(0), kind === 'mapped' ? 255 : 0, kind === 'mapped' ? 255 : 0, ...b.slice(12)]));
  const hex = (n: number) => n.toString(16);
  /** Spellings of the same 16 bytes: full, with leading zeros, and with a dotted-quad tail. */
  const spell = (b: number[], form: number): string => {
    const w = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ((b[2 * i] as number) << 8) | (b[2 * i + 1] as number));
    if (form === 0) return w.map(hex).join(':');
    if (form === 1) return w.map((x) => hex(x).padStart(4, '0').toUpperCase()).join(':');
    return `${w.slice(0, 6).map(hex).join(':')}:${b.slice(12).join('.')}`;
  };
  /** WHATWG URL host parsing: an independent IPv6 reader and RFC 5952 printer (without the mapped form). */
  const urlHost = (s: string): string | null => {
    try {
      return new URL(`http://[${s}]/`).hostname.slice(1, -1);
    } catch {
      return null;
    }
  };

  it('reads IPv6 text exactly as an independent reader does, and prints as Go does', () => {
    fc.assert(
      fc.property(ipv6ish.filter((s) => s.includes(':')), (s) => {
        const ip = parseIp(s);
        const url = urlHost(s);
        expect(ip === null, s).toBe(url === null);
        if (!ip || url === null) return;
        expect(ip.family).toBe('ipv6');
        const mapped = ip.bytes.slice(0, 10).every((x) => x === 0) && ip.bytes[10] === 255 && ip.bytes[11] === 255;
        if (mapped) {
          expect(ip.text).toBe(`::ffff:${ip.bytes.slice(12).join('.')}`);
          expect(url).toBe(`::ffff:${hex(((ip.bytes[12] as number) << 8) | (ip.bytes[13] as number))}:${hex(((ip.bytes[14] as number) << 8) | (ip.bytes[15] as number))}`);
        } else {
          expect(ip.text).toBe(url);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the family of the text (a colon means IPv6), and printing never changes it', () => {
    const anyText = fc.oneof(ipv6ish, quad, fc.tuple(bytes16, fc.integer({ min: 0, max: 2 })).map(([b, f]) => spell(b, f)));
    fc.assert(
      fc.property(anyText, (s) => {
        const ip = parseIp(s);
        if (!ip) return;
        expect(ip.family).toBe(s.includes(':') ? 'ipv6' : 'ipv4');
        expect(ip.bytes.length).toBe(ip.family === 'ipv6' ? 16 : 4);
        expect(ip.text.includes(':')).toBe(ip.family === 'ipv6');
        expect(parseIp(ip.text)).toEqual(ip);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads every spelling of an IPv6 address as that address, never as IPv4', () => {
    fc.assert(
      fc.property(bytes16, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 128 }), (b, form, prefix) => {
        const ip = parseIp(spell(b, form));
        expect(ip).toMatchObject({ family: 'ipv6', bytes: b });
        const cidr = parseCidr(`${spell(b, form)}/${prefix}`);
        expect(cidr).toMatchObject({ family: 'ipv6', prefix });
        expect(cidr && parseCidr(cidr.text)).toEqual(cidr);
        expect(cidr?.text.includes(':')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('addresses as numbers', () => {
  it('turns an address into its number and back', () => {
    expect(ipToBigInt(parseIp('10.96.0.1')!)).toBe(0x0a600001n);
    expect(ipFromBigInt('ipv4', 0x0a600001n).text).toBe('10.96.0.1');
    expect(ipFromBigInt('ipv6', 0xfd000010009600000000000000000abcn).text).toBe('fd00:10:96::abc');
    expect(ipToBigInt(parseIp('::1')!)).toBe(1n);
    expect(ipFromBigInt('ipv4', 2n ** 32n + 5n).text).toBe('0.0.0.5');
  });

  it('round-trips every address (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const ip = parseIp(text);
        if (!ip) return;
        expect(ipFromBigInt(ip.family, ipToBigInt(ip))).toEqual(ip);
      }),
    );
  });
});
