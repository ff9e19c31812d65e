import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IpSet, IpsetRuleSet } from './types.js';
import { ipsetAddLine, ipsetCreateLine, printIpsetList, printIpsetSave } from './print-ipset.js';
import { parseIpsetList, parseIpsetSave } from '../grammar/ipset/index.js';

function ruleSet(sets: IpSet[]): IpsetRuleSet {
  return { kind: 'ipset', sets, origin: 'compiled', fidelity: 'exact' };
}

const clusterIp: IpSet = {
  name: 'KUBE-CLUSTER-IP',
  type: 'hash:ip,port',
  options: ['family', 'inet', 'hashsize', '1024', 'maxelem', '65536'],
  members: [
    { value: '10.96.0.1,tcp:443', options: [] },
    { value: '10.96.0.10,udp:53', options: [] },
  ],
};
const nodePorts: IpSet = { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', options: ['range', '0-65535'], members: [] };

describe('printIpsetSave', () => {
  it('prints create lines followed by their add lines, as ipset save does', () => {
    expect(printIpsetSave(ruleSet([clusterIp, nodePorts]))).toBe(
      [
        'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536',
        'add KUBE-CLUSTER-IP 10.96.0.1,tcp:443',
        'add KUBE-CLUSTER-IP 10.96.0.10,udp:53',
        'create KUBE-NODE-PORT-UDP bitmap:port range 0-65535',
        '',
      ].join('\n'),
    );
  });

  it('quotes member comments always, escapes quotes and backslashes, and leaves the create flag `comment` bare', () => {
    const set: IpSet = { name: 'c', type: 'hash:ip', options: ['family', 'inet', 'comment'], members: [] };
    expect(ipsetCreateLine(set)).toBe('create c hash:ip family inet comment');
    expect(ipsetAddLine(set, { value: '10.0.0.1', options: ['comment', 'web'] })).toBe('add c 10.0.0.1 comment "web"');
    expect(ipsetAddLine(set, { value: '10.0.0.1', options: ['nomatch', 'comment', 'say "hi" \\o/'] })).toBe('add c 10.0.0.1 nomatch comment "say \\"hi\\" \\\\o/"');
    expect(ipsetAddLine(set, { value: '10.0.0.1', options: ['comment', ''] })).toBe('add c 10.0.0.1 comment ""');
  });
});

describe('printIpsetList', () => {
  it('prints a compiled set (no listing fields) with its entry count', () => {
    expect(printIpsetList(ruleSet([clusterIp, nodePorts]))).toBe(
      [
        'Name: KUBE-CLUSTER-IP',
        'Type: hash:ip,port',
        'Header: family inet hashsize 1024 maxelem 65536',
        'Number of entries: 2',
        'Members:',
        '10.96.0.1,tcp:443',
        '10.96.0.10,udp:53',
        '',
        'Name: KUBE-NODE-PORT-UDP',
        'Type: bitmap:port',
        'Header: range 0-65535',
        'Number of entries: 0',
        'Members:',
        '',
      ].join('\n'),
    );
  });

  it('prints the listing fields a set carries, and no Members: section for ipset list -t', () => {
    const set: IpSet = { ...nodePorts, listing: { revision: 3, sizeInMemory: 8264, references: 1, entries: 1, membersListed: false } };
    expect(printIpsetList(ruleSet([set]))).toBe('Name: KUBE-NODE-PORT-UDP\nType: bitmap:port\nRevision: 3\nHeader: range 0-65535\nSize in memory: 8264\nReferences: 1\nNumber of entries: 1\n');
  });
});

// Property: the parsers read back whatever the printers print.
const comment = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '\\', ',', ':', '1', '#'), maxLength: 12 });
const member = fc
  .record({ ip: fc.ipV4(), proto: fc.constantFrom('tcp', 'udp', 'sctp'), port: fc.integer({ min: 0, max: 65535 }), comment: fc.option(comment, { nil: undefined }), nomatch: fc.boolean() })
  .map(({ ip, proto, port, comment: c, nomatch }) => ({ value: `${ip},${proto}:${port}`, options: [...(nomatch ? ['timeout', '30'] : []), ...(c === undefined ? [] : ['comment', c])] }));
const setArb = fc
  .record({ name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,30}$/), members: fc.uniqueArray(member, { maxLength: 8, selector: (m) => m.value }) })
  .map(({ name, members }): IpSet => ({ name, type: 'hash:ip,port', options: ['family', 'inet', 'hashsize', '1024', 'maxelem', '65536', 'timeout', '0', 'comment'], members }));

function strip(rs: IpsetRuleSet): unknown {
  return rs.sets.map((s) => ({ name: s.name, type: s.type, options: s.options, members: s.members.map((m) => ({ value: m.value, options: m.options })) }));
}

describe('ipset printers and parsers agree (property)', () => {
  const sets = fc.uniqueArray(setArb, { maxLength: 5, selector: (s) => s.name });
  it('parse(printIpsetSave(x)) gives x back', () => {
    fc.assert(
      fc.property(sets, (s) => {
        const result = parseIpsetSave(printIpsetSave(ruleSet(s)), 'p');
        expect(result.diagnostics).toEqual([]);
        expect(strip(result.ruleSets[0] as IpsetRuleSet)).toEqual(strip(ruleSet(s)));
      }),
      { numRuns: 300 },
    );
  });
  it('parse(printIpsetList(x)) gives x back and prints the same text', () => {
    fc.assert(
      fc.property(sets, (s) => {
        const text = printIpsetList(ruleSet(s));
        const result = parseIpsetList(text, 'p');
        expect(result.diagnostics).toEqual([]);
        const parsed = result.ruleSets[0] as IpsetRuleSet;
        expect(strip(parsed)).toEqual(strip(ruleSet(s)));
        expect(printIpsetList(parsed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
