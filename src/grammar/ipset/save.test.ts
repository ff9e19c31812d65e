import { CONFORMANCE as VECTORS } from '../../../test/support/vectors.js';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IpsetRuleSet } from '../../ast/types.js';
import { printIpsetSave } from '../../ast/print-ipset.js';
import { ipsetListFormat, ipsetSaveFormat, parseIpsetSave } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/dumps/ipset/', import.meta.url));
const CONFORMANCE = `${VECTORS}/ipvs/`;

function fixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

function parse(text: string, file = 'sets.txt'): { rs: IpsetRuleSet; diagnostics: ReturnType<typeof parseIpsetSave>['diagnostics'] } {
  const result = parseIpsetSave(text, file);
  expect(result.ruleSets).toHaveLength(1);
  return { rs: result.ruleSets[0] as IpsetRuleSet, diagnostics: result.diagnostics };
}

function members(rs: IpsetRuleSet, name: string): string[] {
  return rs.sets.find((s) => s.name === name)?.members.map((m) => m.value) ?? [];
}

const vectorFiles = readdirSync(CONFORMANCE).flatMap((d) => readdirSync(`${CONFORMANCE}${d}`).filter((f) => f.endsWith('.ipset')).map((f) => `${d}/${f}`));

describe('ipset save: conformance and fixtures round trip', () => {
  it('finds the ipset lines of the IPVS vectors', () => expect(vectorFiles.length).toBeGreaterThanOrEqual(3));
  for (const file of vectorFiles) {
    it(`conformance ${file}: parse -> print is the identity`, () => {
      const text = readFileSync(CONFORMANCE + file, 'utf8');
      const { rs, diagnostics } = parse(text);
      expect(diagnostics).toEqual([]);
      expect(printIpsetSave(rs)).toBe(text);
    });
  }
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.save'))) {
    it(`fixture ${name}: parse -> print is the identity`, () => {
      const text = fixture(name);
      const { rs, diagnostics } = parse(text, name);
      expect(diagnostics).toEqual([]);
      expect(rs).toMatchObject({ kind: 'ipset', origin: 'ipset-save', fidelity: 'exact' });
      expect(printIpsetSave(rs)).toBe(text);
    });
  }
});

describe('ipset save: facts', () => {
  it('kube-proxy IPVS node: the 17 KUBE- sets and their members', () => {
    const { rs } = parse(fixture('kube-proxy-node.save'));
    expect(rs.sets).toHaveLength(17);
    expect(rs.sets.filter((s) => s.type === 'bitmap:port').map((s) => s.name)).toEqual([
      'KUBE-NODE-PORT-TCP',
      'KUBE-NODE-PORT-LOCAL-TCP',
      'KUBE-NODE-PORT-UDP',
      'KUBE-NODE-PORT-LOCAL-UDP',
      'KUBE-HEALTH-CHECK-NODE-PORT',
    ]);
    expect(members(rs, 'KUBE-CLUSTER-IP').sort()).toEqual([
      '10.96.0.1,tcp:443',
      '10.96.0.10,tcp:53',
      '10.96.0.10,tcp:9153',
      '10.96.0.10,udp:53',
      '10.96.112.34,tcp:80',
      '10.96.140.7,tcp:6379',
      '10.96.201.15,tcp:443',
      '10.96.33.33,tcp:8080',
      '10.96.45.200,udp:514',
      '10.96.87.3,sctp:3868',
    ]);
    expect(members(rs, 'KUBE-LOOP-BACK')).toHaveLength(6);
    expect(members(rs, 'KUBE-NODE-PORT-TCP')).toEqual(['30080', '31443']);
    expect(members(rs, 'KUBE-NODE-PORT-LOCAL-UDP')).toEqual([]);
    expect(members(rs, 'KUBE-IPVS-IPS')).toHaveLength(11);
    // ipset save prints a /32 source CIDR without its prefix length.
    expect(members(rs, 'KUBE-LOAD-BALANCER-SOURCE-CIDR')).toContain('10.0.100.21,tcp:80,10.60.7.21');
    const cluster = rs.sets.find((s) => s.name === 'KUBE-CLUSTER-IP');
    expect(cluster?.options.slice(0, 6)).toEqual(['family', 'inet', 'hashsize', '1024', 'maxelem', '65536']);
    expect(cluster?.options[6]).toBe('bucketsize');
    expect(cluster?.pos).toEqual({ file: 'sets.txt', line: 8, column: 1 });
    expect(cluster?.members[0]?.pos).toEqual({ file: 'sets.txt', line: 9, column: 1 });
  });

  it('IPv6 node: KUBE-6- names cut to 31 characters, family inet6', () => {
    const { rs } = parse(fixture('kube-proxy-ipv6.save'));
    expect(rs.sets.map((s) => s.name)).toContain('KUBE-6-LOAD-BALANCER-SOURCE-CID');
    expect(rs.sets.filter((s) => s.type.startsWith('hash:')).every((s) => s.options[1] === 'inet6')).toBe(true);
    expect(members(rs, 'KUBE-6-LOAD-BALANCER-SOURCE-CID').sort()).toEqual(['fd00:ffff::10,tcp:443,fd00:0:0:7::77', 'fd00:ffff::10,tcp:443,fd00:abcd::/48']);
  });

  it('other tools: comments with spaces, nomatch, counters, list:set, bitmap:ip', () => {
    const { rs } = parse(fixture('calico-and-firewall.save'));
    const block = rs.sets.find((s) => s.name === 'blocklist-v4');
    expect(block?.options).toEqual(['family', 'inet', 'hashsize', '4096', 'maxelem', '200000', 'counters', 'comment', 'bucketsize', '12', 'initval', '0xe420c0ed']);
    expect(block?.members.find((m) => m.value === '203.0.113.200')?.options).toEqual(['nomatch', 'packets', '0', 'bytes', '0', 'comment', 'allow the office NAT']);
    expect(members(rs, 'all-blocklists')).toEqual(['blocklist-v4', 'cali40all-ipam-pools']);
    expect(rs.sets.find((s) => s.name === 'dmz-hosts')?.options).toEqual(['range', '192.168.50.0-192.168.50.255']);
  });

  it('types this kernel may lack still parse: hash:ip,mac, hash:ip,mark, hash:net,iface, hash:mac, hash:net,net', () => {
    const { rs } = parse(fixture('other-types.save'));
    expect(rs.sets.map((s) => `${s.type}:${s.members.length}`)).toEqual([
      'hash:ip,mac:2',
      'hash:ip,mark:1',
      'hash:net,iface:2',
      'hash:mac:1',
      'hash:net,net:1',
      'hash:ip:2',
    ]);
    expect(rs.sets[5]?.members[0]?.options).toEqual(['timeout', '412']);
  });
});

describe('ipset restore input: commands applied in order', () => {
  it('del, flush, destroy, rename, swap and -exist', () => {
    const script = [
      'create a hash:ip family inet hashsize 1024 maxelem 65536',
      'add a 10.0.0.1',
      'add a 10.0.0.2',
      'add a 10.0.0.2 -exist',
      'create a hash:ip family inet hashsize 1024 maxelem 65536 -exist',
      'del a 10.0.0.1',
      'del a 10.0.0.9 -exist',
      'create b bitmap:port range 0-65535',
      'add b 80',
      'create c hash:net family inet hashsize 1024 maxelem 65536',
      'add c 10.0.0.0/8',
      'swap a c',
      'rename b ports',
      'flush ports',
      'create gone hash:ip family inet hashsize 1024 maxelem 65536',
      'destroy gone',
      '',
    ].join('\n');
    const { rs, diagnostics } = parse(script);
    expect(diagnostics).toEqual([]);
    expect(printIpsetSave(rs)).toBe(
      [
        'create c hash:ip family inet hashsize 1024 maxelem 65536',
        'add c 10.0.0.2',
        'create ports bitmap:port range 0-65535',
        'create a hash:net family inet hashsize 1024 maxelem 65536',
        'add a 10.0.0.0/8',
        '',
      ].join('\n'),
    );
  });

  it('protocols printed as numbers (no /etc/protocols on the host) are the named protocols', () => {
    const script = [
      'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536',
      'add KUBE-CLUSTER-IP 10.96.0.10,17:53',
      'add KUBE-CLUSTER-IP 10.96.0.10,6:53',
      'add KUBE-CLUSTER-IP 10.96.0.1,tcp:443',
      'del KUBE-CLUSTER-IP 10.96.0.1,6:443',
      '',
    ].join('\n');
    const { rs, diagnostics } = parse(script);
    expect(diagnostics).toEqual([]);
    expect(rs.sets[0]?.members.map((m) => m.value)).toEqual(['10.96.0.10,udp:53', '10.96.0.10,tcp:53']);
  });

  it('accepts blank lines, # comments, CRLF, and counts lines from the section start', () => {
    const result = parseIpsetSave('# ipset save\r\n\r\ncreate s hash:ip family inet hashsize 1024 maxelem 65536\r\nadd s 10.0.0.1\r\n', 'f', 20);
    expect(result.diagnostics).toEqual([]);
    const rs = result.ruleSets[0] as IpsetRuleSet;
    expect(rs.sets[0]?.pos).toEqual({ file: 'f', line: 22, column: 1 });
    expect(rs.sets[0]?.members[0]?.pos).toEqual({ file: 'f', line: 23, column: 1 });
  });

  it('section starts', () => {
    expect(ipsetSaveFormat.startsSection('create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536')).toBe(true);
    expect(ipsetSaveFormat.startsSection('create x list:set size 8')).toBe(true);
    expect(ipsetSaveFormat.startsSection('add KUBE-CLUSTER-IP 10.96.0.1,tcp:443')).toBe(false);
    expect(ipsetListFormat.startsSection('Name: KUBE-CLUSTER-IP')).toBe(true);
    expect(ipsetListFormat.startsSection('Name:')).toBe(false);
    expect([ipsetSaveFormat.id, ipsetListFormat.id]).toEqual(['ipset-save', 'ipset-list']);
  });
});

interface Expected {
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

const HASH = 'create s hash:ip,port family inet hashsize 1024 maxelem 65536\n';

const BAD: Array<[string, string, Expected[]]> = [
  ['unknown command', 'ad s 10.0.0.1\n', [{ line: 1, column: 1, severity: 'error', code: 'RC260', message: "unknown ipset command 'ad'" }]],
  ['unknown create option', 'create s hash:ip family inet sizehash 1024\n', [{ line: 1, column: 30, severity: 'error', code: 'RC260', message: "unknown create option 'sizehash'" }]],
  ['create option without its value', 'create s hash:ip family inet hashsize\n', [{ line: 1, column: 30, severity: 'error', code: 'RC260', message: "option 'hashsize' needs a value" }]],
  ['bad family', 'create s hash:ip family ipv4\n', [{ line: 1, column: 25, severity: 'error', code: 'RC260', message: "family 'ipv4' is neither inet nor inet6" }]],
  ['unbalanced quote', `${HASH}add s 10.0.0.1,tcp:80 comment "half open\n`, [{ line: 2, column: 31, severity: 'error', code: 'RC260', message: 'unbalanced quote: the string has no closing "' }]],
  ['unknown set type', 'create s hash:port family inet\n', [{ line: 1, column: 10, severity: 'error', code: 'RC265', message: "unknown set type 'hash:port'" }]],
  ['set name too long', 'create KUBE-6-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet6\n', [{ line: 1, column: 8, severity: 'error', code: 'RC269', message: "set name 'KUBE-6-LOAD-BALANCER-SOURCE-CIDR' is longer than 31 characters" }]],
  ['member of the wrong shape', `${HASH}add s 10.0.0.1\n`, [{ line: 2, column: 7, severity: 'error', code: 'RC261', message: "'10.0.0.1' does not fit a hash:ip,port set, whose members look like IP,PROTO:PORT" }]],
  ['bad address in a member', `${HASH}add s 10.0.0.256,tcp:80\n`, [{ line: 2, column: 7, severity: 'error', code: 'RC261', message: "'10.0.0.256' is not an IP address" }]],
  ['IPv6 member in an inet set', `${HASH}add s fd00::1,tcp:80\n`, [{ line: 2, column: 7, severity: 'error', code: 'RC261', message: "'fd00::1' is an IPv6 address in an inet set" }]],
  ['port out of range', `${HASH}add s 10.0.0.1,udp:70000\n`, [{ line: 2, column: 7, severity: 'error', code: 'RC261', message: 'port 70000 is out of range 0-65535' }]],
  ['bad prefix length', 'create n hash:net family inet\nadd n 10.0.0.0/33\n', [{ line: 2, column: 7, severity: 'error', code: 'RC261', message: "'/33' is not a prefix length from 1 to 32" }]],
  ['bitmap:port member that is not a port', 'create p bitmap:port range 0-65535\nadd p 10.0.0.1\n', [{ line: 2, column: 7, severity: 'error', code: 'RC261', message: "'10.0.0.1' is not a port" }]],
  ['non-numeric member option', `${HASH}add s 10.0.0.1,tcp:80 timeout soon\n`, [{ line: 2, column: 31, severity: 'error', code: 'RC262', message: "'soon' after 'timeout' is not a number" }]],
  ['add to a set never created', 'add nope 10.0.0.1\n', [{ line: 1, column: 5, severity: 'error', code: 'RC263', message: 'set nope does not exist (no create line for it before this one)' }]],
  ['list:set of an unknown set', 'create l list:set size 8\nadd l missing\n', [{ line: 2, column: 7, severity: 'error', code: 'RC263', message: 'set missing does not exist, so list:set l cannot hold it' }]],
  ['set created twice', `${HASH}${HASH}`, [{ line: 2, column: 8, severity: 'error', code: 'RC264', message: 'set s is already created (line 1)' }]],
  ['member added twice', `${HASH}add s 10.0.0.1,tcp:80\nadd s 10.0.0.1,tcp:80\n`, [{ line: 3, column: 7, severity: 'error', code: 'RC264', message: '10.0.0.1,tcp:80 is already in set s (line 2)' }]],
  [
    '/32 and bare address are the same member',
    'create c hash:ip,port,net family inet\nadd c 10.0.0.1,tcp:80,10.1.1.1/32\nadd c 10.0.0.1,tcp:80,10.1.1.1\n',
    [{ line: 3, column: 7, severity: 'error', code: 'RC264', message: '10.0.0.1,tcp:80,10.1.1.1 is already in set c (line 2)' }],
  ],
  ['deleting a member that is not there', `${HASH}del s 10.0.0.1,tcp:80\n`, [{ line: 2, column: 7, severity: 'error', code: 'RC261', message: '10.0.0.1,tcp:80 is not in set s' }]],
  [
    'pasted prompt, separator and dots',
    `$ sudo ipset save\n${HASH}---\n...\n`,
    [
      { line: 1, column: 1, severity: 'warning', code: 'RC266', message: "'$ sudo ipset save' is not an ipset command; line skipped" },
      { line: 3, column: 1, severity: 'warning', code: 'RC266', message: "'---' is not an ipset command; line skipped" },
      { line: 4, column: 1, severity: 'warning', code: 'RC266', message: "'...' is not an ipset command; line skipped" },
    ],
  ],
  [
    'every error in the file is reported',
    `${HASH}add s 10.0.0.1\nadd s 10.0.0.2,tcp:80\nadd s 10.0.0.3,tcp:80-\n`,
    [
      { line: 2, column: 7, severity: 'error', code: 'RC261', message: "'10.0.0.1' does not fit a hash:ip,port set, whose members look like IP,PROTO:PORT" },
      { line: 4, column: 7, severity: 'error', code: 'RC261', message: "'80-' is not a port" },
    ],
  ],
];

describe('ipset save: bad input gives exact diagnostics and never throws', () => {
  for (const [what, text, expected] of BAD) {
    it(what, () => {
      const { diagnostics } = parse(text, 'bad.txt');
      expect(diagnostics).toEqual(expected.map((e) => ({ file: 'bad.txt', ...e })));
    });
  }

  it('keeps the good lines of a bad file', () => {
    const { rs } = parse(BAD[BAD.length - 1]?.[1] ?? '');
    expect(members(rs, 's')).toEqual(['10.0.0.2,tcp:80']);
  });

  it('a 1 MB comment is read, and printed back', () => {
    const long = 'x'.repeat(1 << 20);
    const text = `create s hash:ip family inet hashsize 1024 maxelem 65536 comment\nadd s 10.0.0.1 comment "${long}"\n`;
    const { rs, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(printIpsetSave(rs)).toBe(text);
  });
});
