import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IpSet, IpsetRuleSet } from '../../ast/types.js';
import { printIpsetList, printIpsetSave } from '../../ast/print-ipset.js';
import { parseIpsetList, parseIpsetSave } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/dumps/ipset/', import.meta.url));

function fixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

function parse(text: string, file = 'list.txt'): { rs: IpsetRuleSet; diagnostics: ReturnType<typeof parseIpsetList>['diagnostics'] } {
  const result = parseIpsetList(text, file);
  expect(result.ruleSets).toHaveLength(1);
  return { rs: result.ruleSets[0] as IpsetRuleSet, diagnostics: result.diagnostics };
}

/** What `ipset save` and `ipset list` both show of a set. */
function comparable(sets: IpSet[]): unknown[] {
  return sets.map((s) => ({ name: s.name, type: s.type, options: s.options, members: s.members.map((m) => [m.value, m.options]) }));
}

describe('ipset list: fixtures round trip', () => {
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.list'))) {
    it(`${name}: parse -> print is the identity`, () => {
      const text = fixture(name);
      const { rs, diagnostics } = parse(text, name);
      expect(diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
      expect(rs.origin).toBe('ipset-list');
      expect(printIpsetList(rs)).toBe(text);
    });
  }
});

describe('ipset list gives the same sets as ipset save of the same node', () => {
  for (const base of ['kube-proxy-node', 'kube-proxy-ipv6', 'calico-and-firewall']) {
    it(base, () => {
      const saved = parseIpsetSave(fixture(`${base}.save`), 's').ruleSets[0] as IpsetRuleSet;
      const { rs: listed, diagnostics } = parse(fixture(`${base}.list`));
      expect(diagnostics).toEqual([]);
      expect(listed.fidelity).toBe('exact');
      expect(comparable(listed.sets)).toEqual(comparable(saved.sets));
      expect(printIpsetSave(listed)).toBe(fixture(`${base}.save`));
    });
  }
});

describe('ipset list: facts', () => {
  it('kube-proxy node: header fields of each block', () => {
    const { rs } = parse(fixture('kube-proxy-node.list'));
    expect(rs.sets).toHaveLength(17);
    const cluster = rs.sets.find((s) => s.name === 'KUBE-CLUSTER-IP');
    expect(cluster?.listing).toEqual({ revision: 7, sizeInMemory: 696, references: 3, entries: 10, membersListed: true });
    expect(cluster?.pos).toEqual({ file: 'list.txt', line: 16, column: 1 });
    expect(cluster?.members[0]).toEqual({ value: '10.96.0.1,tcp:443', options: [], pos: { file: 'list.txt', line: 24, column: 1 } });
    expect(rs.sets.map((s) => s.listing?.references)).toEqual([1, 3, 2, 1, 3, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 2, 1]);
    expect(rs.sets.find((s) => s.name === 'KUBE-NODE-PORT-UDP')?.members.map((m) => m.value)).toEqual(['30514']);
  });

  it('ipset list -t: no members, so the rule set is lossy', () => {
    const { rs, diagnostics } = parse(fixture('kube-proxy-node-terse.list'));
    expect(rs.fidelity).toBe('lossy');
    expect(rs.lossyBecause).toEqual(['sets listed without their members (ipset list -t)']);
    expect(rs.sets).toHaveLength(17);
    expect(rs.sets.every((s) => s.members.length === 0 && s.listing?.membersListed === false)).toBe(true);
    expect(rs.sets.find((s) => s.name === 'KUBE-CLUSTER-IP')?.listing?.entries).toBe(10);
    expect(diagnostics).toEqual([
      { file: 'list.txt', line: 1, column: 1, severity: 'note', code: 'RC268', message: 'set KUBE-LOOP-BACK is listed without members (ipset list -t); the rule set is marked lossy' },
    ]);
  });

  it('older ipset (6.x): no Number of entries, no bucketsize; empty sets', () => {
    const { rs } = parse(fixture('old-ipset-node.list'));
    expect(rs.sets.map((s) => [s.name, s.members.length])).toEqual([
      ['KUBE-CLUSTER-IP', 5],
      ['KUBE-LOOP-BACK', 2],
      ['KUBE-NODE-PORT-TCP', 1],
      ['KUBE-NODE-PORT-LOCAL-TCP', 0],
      ['KUBE-EXTERNAL-IP', 0],
    ]);
    expect(rs.sets[0]?.listing).toEqual({ revision: 5, sizeInMemory: 17024, references: 2, membersListed: true });
    expect(rs.sets[0]?.options).toEqual(['family', 'inet', 'hashsize', '1024', 'maxelem', '65536']);
  });

  it('comments with spaces in member lines', () => {
    const { rs } = parse(fixture('calico-and-firewall.list'));
    expect(rs.sets.find((s) => s.name === 'blocklist-v4')?.members.map((m) => m.options[m.options.length - 1])).toEqual([
      'scanner range, ticket OPS-4411',
      'allow the office NAT',
      'abuse report 2024-03-02',
    ]);
  });
});

interface Expected {
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

const BLOCK = 'Name: s\nType: hash:ip\nRevision: 6\nHeader: family inet hashsize 1024 maxelem 65536\nSize in memory: 216\nReferences: 0\n';

const BAD: Array<[string, string, Expected[]]> = [
  ['block cut after Type:', 'Name: s\nType: hash:ip\n', [{ line: 1, column: 1, severity: 'error', code: 'RC267', message: "set s is cut short: its block has no 'Header:' line" }]],
  ['block cut after Name:', 'Name: s\n\nName: t\nType: bitmap:port\nHeader: range 0-65535\nMembers:\n80\n', [{ line: 1, column: 1, severity: 'error', code: 'RC267', message: "set s is cut short: its block has no 'Type:' line" }]],
  ['fewer members than the header says', `${BLOCK}Number of entries: 3\nMembers:\n10.0.0.1\n10.0.0.2\n`, [{ line: 1, column: 1, severity: 'warning', code: 'RC267', message: "set s lists 2 members, but 'Number of entries:' says 3" }]],
  ['a field before any Name:', 'Type: hash:ip\n', [{ line: 1, column: 1, severity: 'error', code: 'RC267', message: "'Type:' comes before any 'Name:' line" }]],
  ['a field among the members', `${BLOCK}Members:\n10.0.0.1\nReferences: 2\n`, [{ line: 9, column: 1, severity: 'error', code: 'RC267', message: "'References:' among the members of set s; a blank line must end a block" }]],
  ['a number field that is not a number', 'Name: s\nType: hash:ip\nRevision: six\n', [
    { line: 3, column: 11, severity: 'error', code: 'RC262', message: "'Revision:' needs one number" },
    { line: 1, column: 1, severity: 'error', code: 'RC267', message: "set s is cut short: its block has no 'Header:' line" },
  ]],
  ['unknown type', 'Name: s\nType: hash:nope\nHeader: family inet\nMembers:\n', [{ line: 1, column: 7, severity: 'error', code: 'RC265', message: "unknown set type 'hash:nope'" }]],
  ['bad member', `${BLOCK}Members:\n10.0.0.1\n10.0.0.999\n`, [{ line: 9, column: 1, severity: 'error', code: 'RC261', message: "'10.0.0.999' is not an IP address" }]],
  ['unbalanced quote in a member line', `${BLOCK}Members:\n10.0.0.1 comment "oops\n`, [{ line: 8, column: 18, severity: 'error', code: 'RC260', message: 'unbalanced quote: the string has no closing "' }]],
  ['pasted prompt and separator', `root@node:~# ipset list\n${BLOCK}Members:\n10.0.0.1\n\n---\n`, [
    { line: 1, column: 1, severity: 'warning', code: 'RC266', message: "'root@node:~# ipset list' is not part of an ipset listing; line skipped" },
    { line: 11, column: 1, severity: 'warning', code: 'RC266', message: "'---' is not part of an ipset listing; line skipped" },
  ]],
];

describe('ipset list: protocols printed as numbers', () => {
  // ipset prints a protocol by number when the host it runs on has no /etc/protocols (a slim
  // container image): `17:53` is `udp:53`.
  const listing = [
    'Name: KUBE-CLUSTER-IP',
    'Type: hash:ip,port',
    'Revision: 6',
    'Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x4a3b2c1d',
    'Size in memory: 456',
    'References: 2',
    'Number of entries: 4',
    'Members:',
    '10.96.0.10,17:53',
    '10.96.0.10,6:53',
    '10.96.0.1,6:443',
    '10.96.87.3,132:3868',
    '',
  ].join('\n');

  it('are read as the names netdb gives them; the rule set stays exact', () => {
    const { rs, diagnostics } = parse(listing);
    expect(diagnostics).toEqual([]);
    expect(rs.fidelity).toBe('exact');
    expect(rs.sets[0]?.members.map((m) => m.value)).toEqual(['10.96.0.10,udp:53', '10.96.0.10,tcp:53', '10.96.0.1,tcp:443', '10.96.87.3,sctp:3868']);
    expect(rs.sets[0]?.members[0]?.pos).toEqual({ file: 'list.txt', line: 9, column: 1 });
  });

  it('a member printed once by number and once by name is the same member', () => {
    const text = listing.replace('Number of entries: 4', 'Number of entries: 5').replace('10.96.0.1,6:443\n', '10.96.0.1,6:443\n10.96.0.10,udp:53\n');
    expect(parse(text).diagnostics).toEqual([
      { file: 'list.txt', line: 12, column: 1, severity: 'error', code: 'RC264', message: '10.96.0.10,udp:53 is already in set KUBE-CLUSTER-IP (line 9)' },
      { file: 'list.txt', line: 1, column: 1, severity: 'warning', code: 'RC267', message: "set KUBE-CLUSTER-IP lists 4 members, but 'Number of entries:' says 5" },
    ]);
  });

  it('ICMP and numbers netdb has no name for', () => {
    const text = [
      'Name: ICMP-PORTS',
      'Type: hash:ip,port',
      'Header: family inet6 hashsize 1024 maxelem 65536',
      'Members:',
      'fd00::1,58:128/0',
      'fd00::2,ipv6-icmp:echo-request',
      'fd00::3,253:0',
      '',
    ].join('\n');
    const { rs, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(rs.sets[0]?.members.map((m) => m.value)).toEqual(['fd00::1,ipv6-icmp:128/0', 'fd00::2,ipv6-icmp:echo-request', 'fd00::3,253:0']);
  });
});

describe('ipset list: bad input gives exact diagnostics and never throws', () => {
  for (const [what, text, expected] of BAD) {
    it(what, () => {
      const { diagnostics } = parse(text, 'bad.txt');
      expect(diagnostics).toEqual(expected.map((e) => ({ file: 'bad.txt', ...e })));
    });
  }

  it('a listing cut in the middle of a fixture keeps every complete set', () => {
    const text = fixture('kube-proxy-node.list');
    const cut = text.slice(0, text.indexOf('Header:', text.indexOf('Name: KUBE-EXTERNAL-IP-LOCAL')));
    const { rs, diagnostics } = parse(cut);
    expect(rs.sets.map((s) => s.name)).toEqual(['KUBE-LOOP-BACK', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP']);
    expect(diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([[45, 'RC267', "set KUBE-EXTERNAL-IP-LOCAL is cut short: its block has no 'Header:' line"]]);
  });
});
