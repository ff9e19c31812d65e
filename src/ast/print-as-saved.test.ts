import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printIptablesSave, savedRuleTexts, type SaveBackend } from './print-as-saved.js';
import type { IpFamily, IptablesRuleSet } from './types.js';
import { vectors } from '../../test/support/vectors.js';
import { compileFiles } from '../compiler/index.js';
import type { SettingFlags } from '../model/settings.js';
import {
  canDump,
  kernelDump,
  readFixture,
  ruleSetFixtures,
  UPDATE,
  vectorDumpPath,
  writeFixture,
} from '../../test/fixtures/as-saved/kernel-setup.js';
import { readRestoreText, readRule } from '../../test/fixtures/as-saved/restore-text.js';

const familyOf = (ext: string): IpFamily => (ext === 'ip6tables' ? 'ipv6' : 'ipv4');

/** The saved text of one rule written as restore input (without `-A CHAIN`). */
function saved(text: string, family: IpFamily = 'ipv4', backend: SaveBackend = 'nft'): string[] {
  return savedRuleTexts(readRule(text), family, { backend }).map((t) => t.trimStart());
}

describe('printIptablesSave on the conformance vectors (dumps of iptables-nft-save)', () => {
  for (const v of vectors('iptables')) {
    for (const [ext, path] of Object.entries(v.expected)) {
      if (ext !== 'iptables' && ext !== 'ip6tables') continue;
      const family = familyOf(ext);
      const fixture = vectorDumpPath(v.name, ext);

      it.skipIf(!canDump(family, 'nft'))(`${v.name} (${ext}): the kernel's dump equals the stored one and the printer`, () => {
        const text = readFileSync(path, 'utf8');
        const r = kernelDump(text, family, 'nft');
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        if (UPDATE) writeFixture(fixture, r.dump);
        expect(r.dump).toBe(readFixture(fixture));
        expect(printIptablesSave(readRestoreText(text, family))).toBe(r.dump);
      });

      it(`${v.name} (${ext}): byte for byte equal to the stored dump`, () => {
        const stored = readFixture(fixture);
        expect(stored, `missing fixture ${fixture}`).toBeDefined();
        const ruleSet = readRestoreText(readFileSync(path, 'utf8'), family);
        expect(printIptablesSave(ruleSet)).toBe(stored);
      });
    }
  }
});

describe('printIptablesSave on Docker, Calico, flannel, kube-proxy and module-by-module rule sets', () => {
  for (const f of ruleSetFixtures()) {
    for (const backend of ['nft', 'legacy'] as const) {
      it.skipIf(!canDump(f.family, backend))(`${f.name} (${backend}): the kernel's dump equals the stored one and the printer`, () => {
        const text = readFileSync(f.input, 'utf8');
        const r = kernelDump(text, f.family, backend);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        if (UPDATE) writeFixture(f.saved(backend), r.dump);
        expect(r.dump).toBe(readFixture(f.saved(backend)));
        expect(printIptablesSave(readRestoreText(text, f.family), { backend })).toBe(r.dump);
      });

      it(`${f.name} (${backend}): byte for byte equal to the stored dump`, () => {
        const stored = readFixture(f.saved(backend));
        expect(stored).toBeDefined();
        const got = printIptablesSave(readRestoreText(readFileSync(f.input, 'utf8'), f.family), { backend });
        // compare line by line first for a readable failure, then the whole text
        expect(got.split('\n')).toEqual((stored as string).split('\n'));
        expect(got).toBe(stored);
      });
    }
  }
});

describe('printIptablesSave: loading semantics', () => {
  const print = (text: string, backend: SaveBackend = 'nft', family: IpFamily = 'ipv4'): string =>
    printIptablesSave(readRestoreText(text, family), { backend });

  it('orders tables mangle, security, raw, filter, nat (nft) or in reverse order of creation (legacy)', () => {
    const text = '*nat\n:A - [0:0]\nCOMMIT\n*filter\n:B - [0:0]\nCOMMIT\n*raw\n:C - [0:0]\nCOMMIT\n*mangle\n:D - [0:0]\nCOMMIT\n';
    const tables = (s: string) => s.split('\n').filter((l) => l.startsWith('*'));
    expect(tables(print(text))).toEqual(['*mangle', '*raw', '*filter', '*nat']);
    expect(tables(print(text, 'legacy'))).toEqual(['*mangle', '*raw', '*filter', '*nat']);
    const text2 = '*filter\n:B - [0:0]\nCOMMIT\n*nat\n:A - [0:0]\nCOMMIT\n';
    expect(tables(print(text2))).toEqual(['*filter', '*nat']);
    expect(tables(print(text2, 'legacy'))).toEqual(['*nat', '*filter']);
  });

  it('prints built-in chains with their policy, then user chains in byte order', () => {
    const text = '*filter\n:zeta - [0:0]\n:FORWARD DROP [7:9]\n:Alpha - [1:2]\n:KUBE-a - [0:0]\n:KUBE-B - [0:0]\n-A FORWARD -j zeta\nCOMMIT\n';
    expect(print(text)).toBe(
      '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:Alpha - [0:0]\n:KUBE-B - [0:0]\n:KUBE-a - [0:0]\n:zeta - [0:0]\n-A FORWARD -j zeta\nCOMMIT\n',
    );
    expect(printIptablesSave(readRestoreText(text), { counters: true })).toBe(
      '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [7:9]\n:OUTPUT ACCEPT [0:0]\n:Alpha - [0:0]\n:KUBE-B - [0:0]\n:KUBE-a - [0:0]\n:zeta - [0:0]\n[0:0] -A FORWARD -j zeta\nCOMMIT\n',
    );
  });

  it('drops deleted chains, empty tables (nft only) and tables without COMMIT', () => {
    const text = '*filter\nCOMMIT\n*nat\n:KEEP - [0:0]\n:GONE - [0:0]\n-X GONE\nCOMMIT\n';
    expect(print(text)).toBe('*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KEEP - [0:0]\nCOMMIT\n');
    expect(print(text, 'legacy')).toBe(
      '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KEEP - [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n',
    );
    const rs = readRestoreText('*nat\n:A - [0:0]\nCOMMIT\n');
    const truncated: IptablesRuleSet = { ...rs, tables: rs.tables.map((t) => ({ ...t, committed: false })) };
    expect(printIptablesSave(truncated)).toBe('');
  });

  it('places -I rules, and splits multi-address rules (inserted ones in reverse order)', () => {
    const text = '*nat\n:A - [0:0]\n-A A -j RETURN\n-I A -j ACCEPT\n-I A 2 -s 1.1.1.1,2.2.2.2 -j RETURN\n-A A -d 3.3.3.3,4.4.4.4/8 -j RETURN\nCOMMIT\n';
    const rules = print(text).split('\n').filter((l) => l.startsWith('-A'));
    expect(rules).toEqual([
      '-A A -j ACCEPT',
      '-A A -s 2.2.2.2/32 -j RETURN',
      '-A A -s 1.1.1.1/32 -j RETURN',
      '-A A -j RETURN',
      '-A A -d 3.3.3.3/32 -j RETURN',
      '-A A -d 4.0.0.0/8 -j RETURN',
    ]);
  });
});

describe('savedRuleTexts: one rule as iptables-save prints it', () => {
  it.each([
    // built-ins: order, /32, host bits, /0, protocol names
    ['-m comment --comment x -m tcp -p tcp -d 10.0.0.1 --dport 80 -j ACCEPT', '-d 10.0.0.1/32 -p tcp -m comment --comment x -m tcp --dport 80 -j ACCEPT'],
    ['-d 1.2.3.4 -s 5.6.7.8/255.255.0.0 -o eth1 -i eth0 -p 17 -j ACCEPT', '-s 5.6.0.0/16 -d 1.2.3.4/32 -i eth0 -o eth1 -p udp -j ACCEPT'],
    ['-s 0.0.0.0/0 -p all -j ACCEPT', '-j ACCEPT'],
    ['-s 10.0.0.0/255.0.255.0 -p 47 ! -f -j ACCEPT', '-s 10.0.0.0/255.0.255.0 -p gre ! -f -j ACCEPT'],
    ['-d 010.1 -j ACCEPT', '-d 8.1.0.0/32 -j ACCEPT'],
    // implicit protocol module, folded by nf_tables
    ['-p tcp --dport 80 -m comment --comment c -m tcp --sport 9 -j DROP', '-p tcp -m tcp --sport 9 --dport 80 -m comment --comment c -j DROP'],
    ['-p tcp -m tcp --sport 9 -m tcp --tcp-option 3 -m tcp --dport 80 -j DROP', '-p tcp -m tcp --sport 9 --dport 80 -m tcp --tcp-option 3 -j DROP'],
    ['-p tcp -m tcp ! --dport 0:65535 -j DROP', '-p tcp -j DROP'],
    ['-p tcp --syn -j DROP', '-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j DROP'],
    // marks and targets
    ['-j MARK --or-mark 0x00004000', '-j MARK --set-xmark 0x4000/0x4000'],
    ['-j MARK --xor-mark 0x4000', '-j MARK --set-xmark 0x4000/0x0'],
    ['-j MARK --and-mark 0xff', '-j MARK --set-xmark 0x0/0xffffff00'],
    ['-j MARK --set-mark 0x1/0x2', '-j MARK --set-xmark 0x1/0x3'],
    ['-m mark ! --mark 0x00004000/0x00004000 -j RETURN', '-m mark ! --mark 0x4000/0x4000 -j RETURN'],
    ['-j CONNMARK --save-mark --mask 0xff', '-j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff'],
    ['-j REJECT', '-j REJECT --reject-with icmp-port-unreachable'],
    ['-p tcp -j REJECT --reject-with tcp-rst', '-p tcp -j REJECT --reject-with tcp-reset'],
    ['-j LOG --log-level warning --log-prefix "a b"', '-j LOG --log-prefix "a b"'],
    ['-j NFLOG --nflog-group 0 --nflog-prefix calico-drop --nflog-range 80', '-j NFLOG --nflog-prefix calico-drop'],
    // statistic, recent, conntrack, addrtype, nfacct, set, multiport, limit
    ['-m statistic --mode random --probability 0.3333333333', '-m statistic --mode random --probability 0.33333333349'],
    ['-m statistic --mode random --probability 0.000244140625', '-m statistic --mode random --probability 0.00024414062'],
    ['-m recent --name X --rcheck --seconds 10800 --reap', '-m recent --rcheck --seconds 10800 --reap --name X --mask 255.255.255.255 --rsource'],
    ['-m conntrack --ctstate DNAT,ESTABLISHED,RELATED,new --ctdir REPLY', '-m conntrack --ctstate NEW,RELATED,ESTABLISHED,DNAT --ctdir REPLY'],
    ['-m addrtype --dst-type local,UNICAST --src-type LOCAL', '-m addrtype --src-type LOCAL --dst-type UNICAST,LOCAL'],
    ['-m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP', '-m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP'],
    ['-m set --set KUBE-CLUSTER-IP dst,dst', '-m set --match-set KUBE-CLUSTER-IP dst,dst'],
    ['-p tcp -m multiport --destination-ports http,443,1000:2000', '-p tcp -m multiport --dports 80,443,1000:2000'],
    ['-m limit --limit 60/min --limit-burst 5', '-m limit --limit 1/sec'],
    ['-m limit --limit 1/day', '-m limit --limit 1/day'],
    // what rulec cannot read is printed as written
    ['-m statistic --mode random --probability half', '-m statistic --mode random --probability half'],
    ['-m frobnicate --level "a b" --x -j ACCEPT', '-m frobnicate --level "a b" --x -j ACCEPT'],
  ])('%s', (input, expected) => {
    expect(saved(input)).toEqual([expected]);
  });

  it('keeps separate tcp matches and --nflog-range with the legacy backend', () => {
    expect(saved('-p tcp --dport 80 -m tcp --sport 9 -j DROP', 'ipv4', 'legacy')).toEqual(['-p tcp -m tcp --dport 80 -m tcp --sport 9 -j DROP']);
    expect(saved('-j NFLOG --nflog-range 80', 'ipv4', 'legacy')).toEqual(['-j NFLOG --nflog-range 80']);
  });

  it('prints IPv6 rules as ip6tables-save does', () => {
    expect(saved('-s FD00:0:0::1/64 -d fd00::1 -p icmpv6 --icmpv6-type echo-request -j REJECT', 'ipv6')).toEqual([
      '-s fd00::/64 -d fd00::1/128 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j REJECT --reject-with icmp6-port-unreachable',
    ]);
    expect(saved('-p udp -j DNAT --to-destination [fd00:0::1]:53', 'ipv6')).toEqual(['-p udp -j DNAT --to-destination [fd00::1]:53']);
    expect(saved('-m recent --set --name X', 'ipv6')).toEqual([
      '-m recent --set --name X --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource',
    ]);
  });
});

describe('printIptablesSave is a fixed point', () => {
  // Loading iptables-save's output again gives the same output: printing a printed dump changes
  // nothing. (The legacy backend lists tables in reverse order of creation, so a reload reverses
  // them: two reloads give the same text back.)
  for (const f of ruleSetFixtures()) {
    for (const backend of ['nft', 'legacy'] as const) {
      it(`${f.name} (${backend})`, () => {
        const reload = (text: string): string => printIptablesSave(readRestoreText(text, f.family), { backend });
        const once = reload(readFileSync(f.input, 'utf8'));
        expect(backend === 'nft' ? reload(once) : reload(reload(once))).toBe(once);
      });
    }
  }
});

describe('compiled rule sets printed as saved', () => {
  // What `rulec compile --as-saved` prints: the compiler's AST through this printer equals the
  // kernel's dump of the expected restore text, byte for byte.
  for (const v of vectors('iptables')) {
    for (const ext of Object.keys(v.expected)) {
      if (ext !== 'iptables' && ext !== 'ip6tables') continue;
      it(`${v.name} (${ext})`, () => {
        const flags: SettingFlags = ext === 'ip6tables' ? { family: 'ipv6' } : {};
        const compiled = compileFiles([v.input], { flags });
        expect(compiled.ruleSet).toBeDefined();
        expect(printIptablesSave(compiled.ruleSet as IptablesRuleSet)).toBe(readFixture(vectorDumpPath(v.name, ext)));
      });
    }
  }
});
