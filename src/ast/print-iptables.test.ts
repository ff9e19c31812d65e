import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainLine, printArgs, printIptablesRestore, printIptablesRules, quoteWord, ruleLine } from './print-iptables.js';
import type { IptablesRuleSet, Rule } from './types.js';

/** The quoting rule as a regular expression: bare when non-empty without blanks, quotes or `\`. */
function referenceQuote(value: string): string {
  if (/^[^\s"'\\]+$/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

describe('quoteWord', () => {
  it('writes plain words bare and quotes the rest', () => {
    expect(quoteWord('10.0.0.1/32')).toBe('10.0.0.1/32');
    expect(quoteWord('ns/svc:p80 cluster IP')).toBe('"ns/svc:p80 cluster IP"');
    expect(quoteWord('')).toBe('""');
    expect(quoteWord('a"b')).toBe('"a\\"b"');
    expect(quoteWord('a\\b')).toBe('"a\\\\b"');
    expect(quoteWord("it's")).toBe('"it\'s"');
    expect(quoteWord('tab\there')).toBe('"tab\there"');
    expect(quoteWord('no\u00a0break')).toBe('"no\u00a0break"');
    expect(quoteWord('caf\u00e9')).toBe('caf\u00e9');
  });

  it('agrees with the regular-expression definition on any text', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '\t', '\n', '\r', '\v', '\f', '"', "'", '\\', '\u0001', '\u00a0', '\u2028', '\ufeff', '\u00e9', '/', ':', '-') });
    fc.assert(fc.property(text, (s) => quoteWord(s) === referenceQuote(s)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => quoteWord(s) === referenceQuote(s)), { numRuns: 2000 });
  });
});

describe('ruleLine', () => {
  const rule: Rule = {
    args: [
      { flag: '-s', negated: true, values: ['10.0.0.0/8'] },
      { flag: '-m', negated: false, values: ['comment'] },
      { flag: '--comment', negated: false, values: ['ns/svc:http cluster IP'] },
      { flag: '-j', negated: false, values: ['KUBE-MARK-MASQ'] },
    ],
  };

  it('writes -A, the chain and the arguments with single spaces', () => {
    expect(ruleLine('KUBE-SVC-X', rule)).toBe('-A KUBE-SVC-X ! -s 10.0.0.0/8 -m comment --comment "ns/svc:http cluster IP" -j KUBE-MARK-MASQ');
  });

  it('writes -I with its position, and counters when asked', () => {
    expect(ruleLine('INPUT', { ...rule, insertAt: 1 })).toMatch(/^-I INPUT ! -s /);
    expect(ruleLine('INPUT', { ...rule, insertAt: 3 })).toMatch(/^-I INPUT 3 ! -s /);
    expect(ruleLine('X', { args: [], counters: { packets: 5, bytes: 300 } }, { ruleCounters: true })).toBe('[5:300] -A X');
    expect(ruleLine('X', { args: [], counters: { packets: 5, bytes: 300 } })).toBe('-A X');
  });

  it('prints arguments without values and several values', () => {
    expect(printArgs([{ flag: '--set', negated: false, values: [] }, { flag: '--tcp-flags', negated: true, values: ['SYN,ACK', 'SYN'] }])).toBe('--set ! --tcp-flags SYN,ACK SYN');
    expect(printArgs([])).toBe('');
  });
});

describe('chains whose counters the text did not show', () => {
  // An `iptables -L` listing without -v prints no policy counters: none are made up.
  const rs: IptablesRuleSet = {
    kind: 'iptables',
    family: 'ipv4',
    origin: 'iptables-list',
    fidelity: 'lossy',
    tables: [
      {
        name: 'nat',
        deletedChains: [],
        committed: true,
        chains: [
          { name: 'PREROUTING', policy: 'ACCEPT', rules: [{ args: [{ flag: '-j', negated: false, values: ['KUBE-SERVICES'] }] }] },
          { name: 'KUBE-SERVICES', policy: '-', counters: { packets: 0, bytes: 0 }, rules: [] },
        ],
      },
    ],
  };
  const [prerouting, services] = rs.tables[0]?.chains ?? [];

  it('print no [pkts:bytes] on the chain line, which iptables-restore reads as well', () => {
    expect(prerouting && chainLine(prerouting)).toBe(':PREROUTING ACCEPT\n');
    expect(services && chainLine(services)).toBe(':KUBE-SERVICES - [0:0]\n');
    expect(chainLine({ name: 'INPUT', policy: 'DROP', counters: { packets: 7, bytes: 420 }, rules: [] })).toBe(':INPUT DROP [7:420]\n');
    expect(printIptablesRestore(rs)).toBe('*nat\n:PREROUTING ACCEPT\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -j KUBE-SERVICES\nCOMMIT\n');
  });

  it('print no -c on the policy line of iptables -v -S', () => {
    expect(printIptablesRules(rs, { counters: true })).toBe('-P PREROUTING ACCEPT\n-N KUBE-SERVICES\n-A PREROUTING -j KUBE-SERVICES\n');
  });
});
