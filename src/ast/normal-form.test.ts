import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  diffNormalRuleSets,
  normalRule,
  normalRuleSet,
  printNormalRuleSet,
  rulesEqual,
  ruleSetsEqual,
} from './normal-form.js';
import { printIptablesSave } from './print-as-saved.js';
import type { IpFamily } from './types.js';
import { vectors } from '../../test/support/vectors.js';
import { canDump, kernelDump, readFixture, ruleSetFixtures, vectorDumpPath } from '../../test/fixtures/as-saved/kernel-setup.js';
import { readRestoreText, readRule } from '../../test/fixtures/as-saved/restore-text.js';

const familyOf = (ext: string): IpFamily => (ext === 'ip6tables' ? 'ipv6' : 'ipv4');

describe('normal form: what kube-proxy writes equals what iptables-save prints back', () => {
  for (const v of vectors('iptables')) {
    for (const [ext, path] of Object.entries(v.expected)) {
      if (ext !== 'iptables' && ext !== 'ip6tables') continue;
      it(`${v.name} (${ext})`, () => {
        const family = familyOf(ext);
        const dump = readFixture(vectorDumpPath(v.name, ext));
        expect(dump).toBeDefined();
        const written = readRestoreText(readFileSync(path, 'utf8'), family);
        const saved = readRestoreText(dump as string, family);
        expect(diffNormalRuleSets(normalRuleSet(written), normalRuleSet(saved))).toEqual([]);
        expect(printNormalRuleSet(normalRuleSet(written))).toBe(printNormalRuleSet(normalRuleSet(saved)));
        expect(ruleSetsEqual(written, saved)).toBe(true);
      });

      for (const backend of ['nft', 'legacy'] as const) {
        it.skipIf(!canDump(familyOf(ext), backend))(`${v.name} (${ext}): equal to a fresh ${backend} kernel dump`, () => {
          const family = familyOf(ext);
          const text = readFileSync(path, 'utf8');
          const r = kernelDump(text, family, backend);
          expect(r.status).toBe(0);
          expect(diffNormalRuleSets(normalRuleSet(readRestoreText(text, family)), normalRuleSet(readRestoreText(r.dump, family)))).toEqual([]);
        });
      }
    }
  }

  for (const f of ruleSetFixtures()) {
    it(`${f.name}: the input and both backends' dumps`, () => {
      const written = normalRuleSet(readRestoreText(readFileSync(f.input, 'utf8'), f.family));
      for (const backend of ['nft', 'legacy'] as const) {
        const saved = normalRuleSet(readRestoreText(readFixture(f.saved(backend)) as string, f.family));
        expect(diffNormalRuleSets(written, saved)).toEqual([]);
      }
    });
  }
});

describe('normalRule', () => {
  const key = (text: string, family: IpFamily = 'ipv4'): string => normalRule(readRule(text), family);

  it.each([
    // kube-proxy's input form vs iptables-save's form
    [
      '-m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
      '-d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
    ],
    // quoted vs bare comment
    ['-m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ', '-s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ'],
    // probability as the kernel keeps it
    ['-m statistic --mode random --probability 0.3333333333 -j X', '-m statistic --mode random --probability 0.33333333349 -j X'],
    // --or-mark / --xor-mark / --set-mark and --set-xmark; hex spellings
    ['-j MARK --or-mark 0x00004000', '-j MARK --set-xmark 0x4000/0x4000'],
    ['-j MARK --xor-mark 0x4000', '-j MARK --set-xmark 0x4000/0x0'],
    ['-m mark --mark 0x00004000/0x00004000 -j ACCEPT', '-m mark --mark 16384/16384 -j ACCEPT'],
    // host bits of CIDRs, /32 and /128
    ['-s 10.1.2.3/8 -j ACCEPT', '-s 10.0.0.0/8 -j ACCEPT'],
    // conntrack state lists, state vs conntrack
    ['-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
    ['-m state --state ESTABLISHED,RELATED -j ACCEPT', '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
    // --dport in tcp vs a one-port multiport; an empty tcp match
    ['-p tcp -m multiport --dports 80 -j ACCEPT', '-p tcp -m tcp --dport 80 -j ACCEPT'],
    ['-p udp -m multiport ! --sports 1000:2000 -j ACCEPT', '-p udp --sport ! 1000:2000 -j ACCEPT'],
    ['-m tcp -p tcp -j DNAT --to-destination 10.0.0.1:80', '-p tcp -j DNAT --to-destination 10.0.0.1:80'],
    // target defaults and aliases
    ['-j REJECT', '-j REJECT --reject-with icmp-port-unreachable'],
    ['-p tcp -j DNAT --to 10.0.0.1:80', '-p tcp -j DNAT --to-destination 10.0.0.1:80'],
  ])('%s == %s', (a, b) => {
    expect(key(a)).toBe(key(b));
    expect(rulesEqual(readRule(a), readRule(b), 'ipv4')).toBe(true);
  });

  it.each([
    ['-s 10.0.0.1 -j ACCEPT', '-s 10.0.0.2 -j ACCEPT'],
    ['-m statistic --mode random --probability 0.5 -j X', '-m statistic --mode random --probability 0.25 -j X'],
    ['-p tcp -m multiport --dports 80,443 -j ACCEPT', '-p tcp -m tcp --dport 80 -j ACCEPT'],
    ['-m mark --mark 0x4000/0x4000 -j ACCEPT', '-m mark ! --mark 0x4000/0x4000 -j ACCEPT'],
    ['-m comment --comment a -m comment --comment b', '-m comment --comment b -m comment --comment a'],
    ['-j MARK --set-mark 0x4000', '-j MARK --or-mark 0x4000'],
  ])('%s != %s', (a, b) => {
    expect(key(a)).not.toBe(key(b));
  });

  it('gives the exact key text', () => {
    expect(key('-m comment --comment "x y" -m tcp -p tcp -d 10.0.0.1 --dport 80 -j ACCEPT')).toBe(
      '-d 10.0.0.1/32 -p tcp -m comment --comment "x y" -m tcp --dport 80 -j ACCEPT',
    );
    expect(key('-s fd00::1 -j ACCEPT', 'ipv6')).toBe('-s fd00::1/128 -j ACCEPT');
    expect(key('-s 1.1.1.1,2.2.2.2 -j ACCEPT')).toBe('-s 1.1.1.1/32 -j ACCEPT\n-s 2.2.2.2/32 -j ACCEPT');
  });

  it('is idempotent: the key of a key is the key (property)', () => {
    const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(32)).map(([a, b, c, d, l]) => `${a}.${b}.${c}.${d}/${l}`);
    const word = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9 _:/.-]{0,19}$/);
    const ruleText = fc
      .record({
        src: fc.option(ip, { nil: undefined }),
        proto: fc.constantFrom('tcp', 'udp'),
        port: fc.nat(65535),
        comment: word,
        prob: fc.double({ min: 0, max: 1, noNaN: true }),
        mark: fc.nat(0xffff),
      })
      .map(
        (r) =>
          `-m comment --comment "${r.comment}" -m ${r.proto} -p ${r.proto}${r.src ? ` -s ${r.src}` : ''} --dport ${r.port} ` +
          `-m statistic --mode random --probability ${r.prob.toFixed(10)} -m mark --mark ${r.mark}/0xffff -j MARK --or-mark 0x${r.mark.toString(16)}`,
      );
    fc.assert(
      fc.property(ruleText, (text) => {
        const k = key(text);
        expect(key(k)).toBe(k);
      }),
      { numRuns: 200 },
    );
  });
});

describe('normalRuleSet', () => {
  it('leaves out empty ACCEPT built-in chains and deleted chains, keeps policies and -I order', () => {
    const a = readRestoreText('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [3:4]\n:A - [0:0]\n:B - [0:0]\n-A A -j RETURN\n-I A -j ACCEPT\n-X B\nCOMMIT\n');
    expect(printNormalRuleSet(normalRuleSet(a))).toBe('*filter\n:A -\n:FORWARD DROP\n-A A -j ACCEPT\n-A A -j RETURN\nCOMMIT\n');
  });

  it('reports what differs', () => {
    const a = normalRuleSet(readRestoreText('*nat\n:A - [0:0]\n:B - [0:0]\n-A A -s 1.1.1.1 -j RETURN\n-A A -j ACCEPT\nCOMMIT\n'));
    const b = normalRuleSet(readRestoreText('*nat\n:A - [0:0]\n:C - [0:0]\n-A A -j ACCEPT\n-A A -s 1.1.1.1 -j RETURN\nCOMMIT\n*filter\n:X - [0:0]\nCOMMIT\n'));
    expect(diffNormalRuleSets(a, b)).toEqual([
      { table: 'filter', kind: 'extra-table' },
      { table: 'nat', chain: 'A', kind: 'rules', missing: [], extra: [], orderOnly: true },
      { table: 'nat', chain: 'B', kind: 'missing-chain' },
      { table: 'nat', chain: 'C', kind: 'extra-chain' },
    ]);
  });

  it('equals the normal form of its own as-saved print (property over the fixtures)', () => {
    for (const f of ruleSetFixtures()) {
      const rs = readRestoreText(readFileSync(f.input, 'utf8'), f.family);
      const printed = readRestoreText(printIptablesSave(rs), f.family);
      expect(diffNormalRuleSets(normalRuleSet(rs), normalRuleSet(printed))).toEqual([]);
    }
  });
});
