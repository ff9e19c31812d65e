import { CONFORMANCE as VECTORS } from '../../test/support/vectors.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IpvsRuleSet, VirtualService } from './types.js';
import { canonicalIpvs, canonicalSchedulerFlags, compareIpvsAddresses } from './canonical-ipvs.js';
import { printIpvsadmList, printIpvsadmSave } from './print-ipvs.js';
import { parseIpvsadmList, parseIpvsadmSave } from '../grammar/ipvsadm/index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/dumps/ipvs/', import.meta.url));
const CONFORMANCE = `${VECTORS}/ipvs/`;

function parseSave(text: string): IpvsRuleSet {
  return parseIpvsadmSave(text, 'x').ruleSets[0] as IpvsRuleSet;
}

const vectors = readdirSync(CONFORMANCE).filter((d) => existsSync(`${CONFORMANCE}${d}/expected.ipvs`));

describe('canonical IPVS order is the order of the reference dumps', () => {
  it('finds the vectors', () => expect(vectors.length).toBeGreaterThanOrEqual(8));
  for (const name of vectors) {
    it(`conformance ${name}: already canonical`, () => {
      const text = readFileSync(`${CONFORMANCE}${name}/expected.ipvs`, 'utf8');
      expect(printIpvsadmSave(canonicalIpvs(parseSave(text)))).toBe(text);
    });
    it(`conformance ${name}: canonical again after reversing every list`, () => {
      const text = readFileSync(`${CONFORMANCE}${name}/expected.ipvs`, 'utf8');
      const rs = parseSave(text);
      const reversed = { ...rs, services: [...rs.services].reverse().map((s) => ({ ...s, realServers: [...s.realServers].reverse() })) };
      expect(printIpvsadmSave(canonicalIpvs(reversed))).toBe(text);
    });
  }
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.save'))) {
    it(`fixture ${name}: already canonical`, () => {
      const text = readFileSync(FIXTURES + name, 'utf8');
      expect(printIpvsadmSave(canonicalIpvs(parseSave(text)))).toBe(text);
    });
  }
  for (const name of ['kube-proxy-node.list', 'kube-proxy-ipv6.list', 'lvs-director.list', 'kube-proxy-node.stats']) {
    it(`listing ${name}: already canonical`, () => {
      const text = readFileSync(FIXTURES + name, 'utf8');
      const rs = parseIpvsadmList(text, name).ruleSets[0] as IpvsRuleSet;
      expect(printIpvsadmList(canonicalIpvs(rs))).toBe(text);
    });
  }
});

describe('canonical IPVS order: the rules', () => {
  const order = (lines: string[]) => printIpvsadmSave(canonicalIpvs(parseSave(`${lines.join('\n')}\n`))).trimEnd().split('\n');

  it('protocol before address: TCP, then UDP, then SCTP', () => {
    expect(order(['-A --sctp-service 10.0.0.1:80 -s rr', '-A -u 10.0.0.1:80 -s rr', '-A -t 192.168.0.1:80 -s rr', '-A -u 10.0.0.0:80 -s rr'])).toEqual([
      '-A -t 192.168.0.1:80 -s rr',
      '-A -u 10.0.0.0:80 -s rr',
      '-A -u 10.0.0.1:80 -s rr',
      '-A --sctp-service 10.0.0.1:80 -s rr',
    ]);
  });

  it('addresses numerically, not as text; then ports numerically', () => {
    expect(order(['-A -t 10.96.10.1:80 -s rr', '-A -t 10.96.9.1:443 -s rr', '-A -t 10.96.9.1:8080 -s rr', '-A -t 10.96.9.1:9000 -s rr'])).toEqual([
      '-A -t 10.96.9.1:443 -s rr',
      '-A -t 10.96.9.1:8080 -s rr',
      '-A -t 10.96.9.1:9000 -s rr',
      '-A -t 10.96.10.1:80 -s rr',
    ]);
  });

  it('IPv4 before IPv6; IPv6 by its 32-bit words; fwmark services last, by mark', () => {
    expect(order(['-A -f 3 -s rr', '-A -t [2020::1]:80 -s rr', '-A -f 2 -6 -s rr', '-A -u 10.0.0.1:53 -s rr', '-A -t [2001:db8::1:1]:3001 -s rr', '-A -f 2 -s rr'])).toEqual([
      '-A -u 10.0.0.1:53 -s rr',
      '-A -t [2001:db8::1:1]:3001 -s rr',
      '-A -t [2020::1]:80 -s rr',
      '-A -f 2 -s rr',
      '-A -f 2 -6 -s rr',
      '-A -f 3 -s rr',
    ]);
  });

  it('real servers by address, then port', () => {
    expect(
      order([
        '-A -t 10.0.0.1:80 -s rr',
        '-a -t 10.0.0.1:80 -r 10.244.10.2:80 -m -w 1',
        '-a -t 10.0.0.1:80 -r 10.244.9.2:8080 -m -w 1',
        '-a -t 10.0.0.1:80 -r 10.244.9.2:443 -m -w 1',
      ]),
    ).toEqual(['-A -t 10.0.0.1:80 -s rr', '-a -t 10.0.0.1:80 -r 10.244.9.2:443 -m -w 1', '-a -t 10.0.0.1:80 -r 10.244.9.2:8080 -m -w 1', '-a -t 10.0.0.1:80 -r 10.244.10.2:80 -m -w 1']);
  });

  it('scheduler flags by bit, named after the scheduler', () => {
    expect(canonicalSchedulerFlags('mh', ['flag-2'])).toEqual(['mh-port']);
    expect(canonicalSchedulerFlags('sh', ['sh-port', 'sh-fallback'])).toEqual(['sh-fallback', 'sh-port']);
    expect(canonicalSchedulerFlags('rr', ['flag-3', 'flag-1'])).toEqual(['flag-1', 'flag-3']);
    expect(canonicalSchedulerFlags('mh', ['flag-3', 'mh-fallback'])).toEqual(['mh-fallback', 'flag-3']);
  });

  it('host names (listings without -n) come after literal addresses', () => {
    expect(['b.example', '10.0.0.2', 'a.example', '10.0.0.1'].sort(compareIpvsAddresses)).toEqual(['10.0.0.1', '10.0.0.2', 'a.example', 'b.example']);
  });

  it('does not change the rule set it is given', () => {
    const rs = parseSave('-A -u 10.0.0.1:53 -s rr\n-A -t 10.0.0.1:53 -s rr\n');
    canonicalIpvs(rs);
    expect(rs.services.map((s) => s.protocol)).toEqual(['udp', 'tcp']);
  });
});

describe('canonical IPVS order (property)', () => {
  const base = parseSave(readFileSync(`${FIXTURES}lvs-director.save`, 'utf8') + readFileSync(`${FIXTURES}kube-proxy-node.save`, 'utf8'));

  it('is the same for any order of services and real servers, and idempotent', () => {
    const expected = printIpvsadmSave(canonicalIpvs(base));
    fc.assert(
      fc.property(fc.shuffledSubarray(base.services, { minLength: base.services.length }), fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), (services, seeds) => {
        const shuffled: VirtualService[] = services.map((s, i) => {
          const k = (seeds[i % seeds.length] ?? 0) % (s.realServers.length + 1);
          return { ...s, realServers: [...s.realServers.slice(k), ...s.realServers.slice(0, k)] };
        });
        const once = canonicalIpvs({ ...base, services: shuffled });
        expect(printIpvsadmSave(once)).toBe(expected);
        expect(canonicalIpvs(once)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});
