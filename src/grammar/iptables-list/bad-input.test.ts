import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IptablesRuleSet } from '../../ast/types.js';
import { formatDiagnostic } from '../../diagnostics.js';
import { parseIptablesList } from './parse.js';

/** The diagnostics of a text, printed as rulec prints them. */
function diags(text: string): string[] {
  return parseIptablesList(text, 'bad.txt').diagnostics.map(formatDiagnostic);
}

function ruleCount(text: string): number {
  return (parseIptablesList(text, 'bad.txt').ruleSets as IptablesRuleSet[]).reduce(
    (n, rs) => n + rs.tables.reduce((m, t) => m + t.chains.reduce((k, c) => k + c.rules.length, 0), 0),
    0,
  );
}

const HEAD = ['$ iptables -t nat -L -n -v --line-numbers', 'Chain KUBE-SEP-A (1 references)', 'num   pkts bytes target     prot opt in     out     source               destination'];
const ROW = '1        0     0 KUBE-MARK-MASQ  0    --  *      *       10.244.1.5           0.0.0.0/0            /* ns/svc:p */';
const listing = (...rows: string[]): string => [...HEAD, ...rows].join('\n');

describe('bad input: every problem is a diagnostic at its place, and reading goes on', () => {
  it('match text broken the same way many times names each reason once', () => {
    const row = `1        0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            ${'tcp flags:!SYNp '.repeat(200)}`;
    const found = diags(listing(row));
    expect(found).toHaveLength(1);
    expect(found).toEqual(['bad.txt:4:95: warning RC230: match text "tcp flags:!SYNp tcp flags:!SYNp tcp flags:!SYNp tcp flags..." not understood (bad TCP flags "flags:!SYNp"); kept as --rulec-unparsed']);
  });

  it('a row cut short (a truncated paste)', () => {
    const text = listing(ROW, '2        0     0 DNAT       6    --  *      *       0.0.0.0/0');
    expect(diags(text)).toEqual(['bad.txt:5:62: error RC231: bad rule row: destination column missing']);
    expect(ruleCount(text)).toBe(1);
  });

  it('a counter that is not a number, and one too large to keep exactly', () => {
    expect(diags(listing('1      12X     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0'))).toEqual([
      'bad.txt:4:8: error RC234: bad packet counter "12X"',
    ]);
    expect(diags(listing('1    18446744073709551615 0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0'))).toEqual([
      'bad.txt:4:6: warning RC234: packet counter 18446744073709551615 is too large to keep exactly',
    ]);
    expect(diags(['Chain INPUT (policy ACCEPT 12 packets, 3x bytes)', ' pkts bytes target     prot opt in     out     source               destination'].join('\n'))).toEqual([
      "bad.txt:1:1: note RC236: the listing does not name its table; read as the filter table (from iptables' default table)",
      'bad.txt:1:40: error RC234: bad byte counter "3x"',
    ]);
  });

  it('rows under a malformed chain line are skipped with one error', () => {
    const text = ['Chain A (1 references)', 'target     prot opt source               destination', 'ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0',
      'Chain B (policy)', 'DROP       0    --  0.0.0.0/0            0.0.0.0/0', 'DROP       6    --  0.0.0.0/0            0.0.0.0/0'].join('\n');
    expect(diags(text)).toEqual([
      "bad.txt:1:1: note RC236: the listing does not name its table; read as the filter table (from a jump to ACCEPT)",
      'bad.txt:4:1: error RC233: bad chain line: expected "(policy …)" or "(N references)" after the chain name',
      'bad.txt:5:1: error RC232: rule row under a bad "Chain" line; rows skipped',
    ]);
    expect(ruleCount(text)).toBe(1);
    expect(diags('\ufeffChain X (1 references)\ntarget     prot opt source               destination\nACCEPT     0    --  0.0.0.0/0            0.0.0.0/0')).toEqual([
      'bad.txt:1:1: note RC236: the listing does not name its table; read as the filter table (from a jump to ACCEPT)',
    ]);
  });

  it('malformed chain lines', () => {
    expect(diags('Chain\nChain FOO\nChain BAR (policy ACCEPT 5 packets)\nChain BAZ (lots of references)')).toEqual([
      'bad.txt:1:1: error RC233: bad chain line: chain name missing',
      'bad.txt:2:1: error RC233: bad chain line: expected "(policy …)" or "(N references)" after the chain name',
      'bad.txt:3:1: error RC233: bad chain line: expected "policy ACCEPT N packets, M bytes"',
      'bad.txt:4:1: error RC233: bad chain line: expected "(policy …)" or "(N references)" after the chain name',
    ]);
  });

  it('a malformed column header, and rows under no header', () => {
    const text = ['Chain X (1 references)', 'target     prot opt source', 'ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0', 'DROP       0    --  0.0.0.0/0            0.0.0.0/0'].join('\n');
    expect(diags(text)).toEqual([
      "bad.txt:1:1: note RC236: the listing does not name its table; read as the filter table (from iptables' default table)",
      'bad.txt:2:1: error RC239: bad column header: expected "source destination"',
      'bad.txt:3:1: error RC232: rule row before the column header of chain X; rows skipped',
    ]);
    expect(ruleCount(text)).toBe(0);
  });

  it('a chain without its header reads its rows with the previous header, after one error', () => {
    const text = [
      'Chain A (1 references)',
      'target     prot opt source               destination',
      'ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0',
      'Chain B (1 references)',
      'DROP       0    --  0.0.0.0/0            0.0.0.0/0',
      'DROP       6    --  0.0.0.0/0            0.0.0.0/0',
    ].join('\n');
    expect(diags(text)).toEqual([
      'bad.txt:1:1: note RC236: the listing does not name its table; read as the filter table (from a jump to DROP)',
      "bad.txt:5:1: error RC232: rule row before the column header of chain B; read with the previous header's columns",
    ]);
    expect(ruleCount(text)).toBe(3);
  });

  it('lines a person pasted around the listing are warnings, and the rows around them are read', () => {
    const text = ['hello, here is the output:', ...HEAD, ROW, '---', '...', 'root@node:~#', '# note to self', ROW.replace(/^1 /, '2 ')].join('\n');
    expect(diags(text)).toEqual([
      'bad.txt:1:1: warning RC235: text before the first "Chain" line; skipped',
      'bad.txt:6:1: warning RC235: not part of an iptables listing; skipped',
      'bad.txt:7:1: warning RC235: not part of an iptables listing; skipped',
      'bad.txt:8:1: warning RC235: not part of an iptables listing; skipped',
      'bad.txt:9:1: warning RC235: not part of an iptables listing; skipped',
    ]);
    expect(ruleCount(text)).toBe(2);
  });

  it('rule numbers out of sequence (rows missing from a paste)', () => {
    expect(diags(listing(ROW, ROW.replace(/^1 /, '3 '), ROW.replace(/^1 /, 'x ')))).toEqual([
      'bad.txt:5:1: warning RC237: rule number 3 where 2 was expected',
      'bad.txt:6:1: error RC231: bad rule row: rule number "x"',
    ]);
  });

  it('bad addresses and protocols', () => {
    expect(diags(listing('1        0     0 ACCEPT     0    --  *      *       10.0.0.1/99          0.0.0.0/0'))).toEqual([
      'bad.txt:4:53: error RC231: bad rule row: source "10.0.0.1/99"',
    ]);
    expect(diags(listing('1        0     0 ACCEPT     @@   --  *      *       0.0.0.0/0            ::/0::'))).toEqual([
      'bad.txt:4:74: error RC231: bad rule row: destination "::/0::"',
    ]);
    expect(diags(listing('1        0     0 ACCEPT     @@   --  *      *       0.0.0.0/0            0.0.0.0/0'))).toEqual([
      'bad.txt:4:29: error RC231: bad rule row: protocol "@@"',
    ]);
  });

  it('stray bytes: control characters and U+FFFD', () => {
    expect(diags(listing(`1        0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0  /* a\u0000b */`))).toEqual([
      'bad.txt:4:89: error RC238: stray character U+0000 in the line; line skipped',
    ]);
    expect(diags(listing(`1        0     0 ACC\ufffdEPT  0    --  *      *       0.0.0.0/0            0.0.0.0/0`))).toEqual([
      'bad.txt:4:21: error RC238: stray character U+FFFD in the line; line skipped',
    ]);
  });

  it('unbalanced quotes and comments are kept as unparsed text', () => {
    const text = [
      'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
      ' pkts bytes target     prot opt in     out     source               destination',
      '    0     0 LOG        0    --  *      *       0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 4 prefix "abc',
      '    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* unterminated tcp dpt:22',
    ].join('\n');
    expect(diags(text)).toEqual([
      'bad.txt:1:1: note RC236: the listing does not name its table; read as the filter table (from a jump to ACCEPT)',
      'bad.txt:3:90: warning RC230: match text "LOG flags 0 level 4 prefix "abc" not understood (quoted prefix missing); kept as --rulec-unparsed',
      'bad.txt:4:90: warning RC230: match text "/* unterminated" not understood; kept as --rulec-unparsed',
    ]);
    const rs = parseIptablesList(text, 'bad.txt').ruleSets[0] as IptablesRuleSet;
    expect(rs.fidelity).toBe('lossy');
    expect(rs.tables[0]?.chains[0]?.rules[1]?.args.map((a) => `${a.flag} ${a.values.join(' ')}`)).toEqual([
      '--rulec-unparsed /* unterminated',
      '-m tcp',
      '--dport 22',
      '-j ACCEPT',
    ]);
  });

  it('1 MB lines are read in linear time', () => {
    const big = 'x '.repeat(500_000);
    const t0 = performance.now();
    const text = listing(`1        0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ${big}`, `2 ${'y'.repeat(1_000_000)}`, ROW.replace(/^1 /, '3 '));
    const d = diags(text);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(d).toEqual([
      `bad.txt:4:95: warning RC230: match text "${'x '.repeat(28)}x..." not understood; kept as --rulec-unparsed`,
      'bad.txt:5:1000003: error RC231: bad rule row: bytes column missing',
      'bad.txt:6:1: warning RC237: rule number 3 where 2 was expected',
    ]);
    expect(ruleCount(text)).toBe(2);
  });

  it('a 1 MB comment and a 1 MB target name', () => {
    const text = listing(
      `1        0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* ${'c'.repeat(1_000_000)} */`,
      `2        0     0 ${'T'.repeat(1_000_000)}  0    --  *      *       0.0.0.0/0            0.0.0.0/0`,
    );
    expect(diags(text)).toEqual([]);
    const rules = (parseIptablesList(text, 'bad.txt').ruleSets[0] as IptablesRuleSet).tables[0]?.chains[0]?.rules ?? [];
    expect(rules[0]?.args[1]?.values[0]).toHaveLength(1_000_000);
    expect(rules[1]?.args[0]?.values[0]).toHaveLength(1_000_000);
  });

  it('never throws, and every diagnostic points into the text', () => {
    const pieces = [
      'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
      'Chain X (1 references)',
      'Chain (',
      HEAD[2] ?? '',
      'target     prot opt source               destination',
      ROW,
      '    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:22',
      'ACCEPT     all  --  anywhere             anywhere             state NEW',
      '$ iptables -t nat -L -n',
      '---',
      '',
    ];
    const line = fc.oneof(
      fc.constantFrom(...pieces),
      fc.string({ maxLength: 60 }),
      fc.constantFrom(...pieces).chain((p) => fc.nat(p.length).map((n) => p.slice(0, n))),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
        const text = lines.join('\n');
        const r = parseIptablesList(text, 'f.txt', 1);
        const rows = text.split('\n');
        for (const d of r.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(rows.length);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeLessThanOrEqual((rows[d.line - 1] ?? '').length + 1);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
