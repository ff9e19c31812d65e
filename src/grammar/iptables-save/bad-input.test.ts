import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IptablesRuleSet } from '../../ast/types.js';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics.js';
import { parseDump } from '../detect.js';
import { parseIptablesRules, parseIptablesSave } from './parse.js';

/** Every diagnostic as `line:col severity CODE message`. */
function diags(text: string): string[] {
  return parseIptablesSave(text, 'bad.txt').diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
}

const HEAD = '*filter\n:INPUT ACCEPT [0:0]\n:X - [0:0]\n';

describe('bad iptables-save input', () => {
  it('a dump cut off in the middle of a rule: the table without COMMIT is named at the end', () => {
    const text = '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -m comment --comment ns1/svc1:p80 -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPG';
    expect(diags(text)).toEqual(["3:107 warning RC201 table 'nat' has no COMMIT: the dump ends before the table does (truncated?)"]);
  });

  it('a dump cut off inside a quoted comment', () => {
    const text = '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 clus';
    expect(diags(text)).toEqual([
      '3:39 error RC204 unterminated quoted value: the closing " is missing',
      "3:57 warning RC201 table 'nat' has no COMMIT: the dump ends before the table does (truncated?)",
    ]);
  });

  it('a table that ends without COMMIT before the next one', () => {
    expect(diags('*filter\n:INPUT ACCEPT [0:0]\n*nat\n:X - [0:0]\nCOMMIT\n')).toEqual(["3:1 warning RC201 table 'filter' has no COMMIT before '*nat'"]);
  });

  it('stray bytes: NUL, a terminal escape, an invalid UTF-8 byte', () => {
    const bytes = Buffer.concat([Buffer.from(`${HEAD}-A X -j ACCEPT\u0000\n-A X \u001b[0m-j DROP\n-A X -m comment --comment "caf`), Buffer.from([0xe9]), Buffer.from('" -j ACCEPT\nCOMMIT\n')]);
    expect(diags(bytes.toString('utf8'))).toEqual([
      '4:15 error RC203 stray byte 0x00 (NUL)',
      '5:6 error RC203 stray byte 0x1B (ESC)',
      '6:31 error RC203 invalid UTF-8 byte sequence (shown as U+FFFD)',
    ]);
  });

  it('unknown options where only iptables itself reads options', () => {
    expect(diags(`${HEAD}-A X --dport 80 -j ACCEPT\n-A X -x 1 -j ACCEPT\n-A X -p tcp --dport 80 -j ACCEPT\n-A X -j DNAT --to-destination 10.0.0.1:80\nCOMMIT\n`)).toEqual([
      "4:6 error RC206 unknown option '--dport': no match (-m), protocol (-p) or target (-j) before it could take it",
      "5:6 error RC206 unknown option '-x'",
    ]);
  });

  it('lines that start with something no dump line starts with', () => {
    expect(diags(`${HEAD}iptables -A INPUT -j ACCEPT\nACCEPT all -- 0.0.0.0/0\n  --dport 80\n! -s 1.2.3.4\nCOMMIT\n`)).toEqual([
      "4:1 error RC202 line starts with 'iptables'; expected *table, :CHAIN, a command (-A, -I, -N, -X, -F, -P), COMMIT or a # comment",
      "5:1 error RC202 line starts with 'ACCEPT'; expected *table, :CHAIN, a command (-A, -I, -N, -X, -F, -P), COMMIT or a # comment",
      "6:3 error RC202 line starts with '--dport'; expected *table, :CHAIN, a command (-A, -I, -N, -X, -F, -P), COMMIT or a # comment",
      "7:1 error RC202 line starts with '!'; expected *table, :CHAIN, a command (-A, -I, -N, -X, -F, -P), COMMIT or a # comment",
    ]);
  });

  it('a 1 MB line is skipped with an error, and reading goes on after it', () => {
    const long = `-A X -m comment --comment ${'x'.repeat(1 << 20)} -j ACCEPT`;
    const r = parseIptablesSave(`${HEAD}${long}\n-A X -j DROP\nCOMMIT\n`, 'bad.txt');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      `4:1 RC205 line is ${long.length} characters long, longer than any dump line can be (limit 65536); skipped`,
    ]);
    expect((r.ruleSets[0] as IptablesRuleSet).tables[0]?.chains[1]?.rules.map((x) => x.args.map((a) => a.values[0]))).toEqual([['DROP']]);
  });

  it('unbalanced quotes, double and single', () => {
    expect(diags(`${HEAD}-A X -m comment --comment "a b -j ACCEPT\n-A X -m comment --comment 'a b -j ACCEPT\n-A X -m comment --comment "a \\" -j ACCEPT\nCOMMIT\n`)).toEqual([
      '4:27 error RC204 unterminated quoted value: the closing " is missing',
      "5:27 error RC204 unterminated quoted value: the closing ' is missing",
      '6:27 error RC204 unterminated quoted value: the closing " is missing',
    ]);
  });

  it('missing and malformed operands', () => {
    expect(
      diags(`${HEAD}-A\n-I X abc -j ACCEPT\n-P INPUT\n-A X -j\n-A X -s 1.2.3.4 5.6.7.8 -j ACCEPT\n-A X extra -j ACCEPT\n-N X Y\n:\n:Y\nCOMMIT\n`),
    ).toEqual([
      "4:1 error RC208 '-A' needs a chain name",
      "5:6 error RC208 rule number 'abc' after '-I X' is not a positive number",
      "6:1 error RC208 '-P INPUT' needs a policy",
      "7:6 error RC208 '-j' needs a target",
      "8:17 error RC208 unexpected '5.6.7.8': '-s' takes one value",
      "9:6 error RC208 unexpected 'extra' after '-A X'",
      "10:6 error RC208 unexpected 'Y' after '-N X'",
      "11:1 error RC208 missing chain name after ':'",
      "12:3 error RC208 chain line ':Y' needs a policy (ACCEPT, DROP, or - for a user chain), found the end of the line",
    ]);
  });

  it('interface names the kernel would not give', () => {
    expect(diags(`${HEAD}-A X -i eth0:1 -j ACCEPT\n-A X ! -o a/b -j ACCEPT\n-A X --in-interface ${'x'.repeat(16)} -j ACCEPT\n-A X -i cali+ -o eth0.100 -j ACCEPT\n-A X -i + -j ACCEPT\nCOMMIT\n`)).toEqual([
      "4:9 error RC208 'eth0:1' after '-i' is not an interface name (1 to 15 printable ASCII characters, not '.' or '..', not starting with '-' or '!', without '/', ':', '*', '+', quotes, backslashes or white space; a trailing '+' matches a prefix)",
      "5:11 error RC208 'a/b' after '-o' is not an interface name (1 to 15 printable ASCII characters, not '.' or '..', not starting with '-' or '!', without '/', ':', '*', '+', quotes, backslashes or white space; a trailing '+' matches a prefix)",
      `6:21 error RC208 '${'x'.repeat(16)}' after '--in-interface' is not an interface name (1 to 15 printable ASCII characters, not '.' or '..', not starting with '-' or '!', without '/', ':', '*', '+', quotes, backslashes or white space; a trailing '+' matches a prefix)`,
    ]);
  });

  it('malformed counters', () => {
    expect(diags(`${HEAD}:Y - [a:b]\n-A X -c 1 x -j ACCEPT\n[123456789012345678901:0] -A X -j ACCEPT\n[1:2] -A X -c 1 2 -j ACCEPT\nCOMMIT\n`)).toEqual([
      "4:6 error RC200 unexpected '[a:b]' after the chain line",
      "5:11 error RC215 counter 'x' is not a decimal number",
      "6:1 error RC215 counters '[123456789012345678901:0]' are not [packets:bytes]",
      '7:12 error RC215 counters are given twice',
    ]);
  });

  it('lines outside a table, and COMMIT without one', () => {
    expect(diags(':X - [0:0]\n-A X -j ACCEPT\nCOMMIT\n')).toEqual([
      "1:1 error RC207 chain line ':X' outside a table: a '*table' line must come first",
      "2:1 error RC207 '-A X' outside a table: a '*table' line must come first",
      "3:1 error RC207 COMMIT without a table: no '*table' line is open",
    ]);
  });

  it("a '!' that negates nothing, a second command on a line, commands a dump never holds", () => {
    expect(diags(`${HEAD}-A X -j ACCEPT !\n-A X ! ! -s 1.2.3.4\n-A X -j ACCEPT -A Y\n-D X 1\n-Z X\n--rename-chain X Y\nCOMMIT\n`)).toEqual([
      "4:17 error RC213 '!' must be followed by the option it negates, found the end of the line",
      "5:8 error RC213 '!' must be followed by the option it negates, found '!'",
      "6:16 error RC200 unexpected '-A': a line holds one command",
      "7:1 error RC211 command '-D' changes rules one at a time and is not part of a dump",
      "8:1 error RC211 command '-Z' changes rules one at a time and is not part of a dump",
      "9:1 error RC211 command '--rename-chain' changes rules one at a time and is not part of a dump",
    ]);
  });

  it('warnings: a chain declared twice, an ignore comment with no rule after it, an unknown table', () => {
    expect(diags(`*filter\n:X - [0:0]\n:X - [0:0]\n# rulec-ignore-next-line dup\n\n-A X -j ACCEPT\nCOMMIT\n*nonsense\nCOMMIT\n*\n`)).toEqual([
      "3:1 warning RC209 chain 'X' is declared twice in table 'filter' (first at line 2)",
      "4:1 warning RC212 '# rulec-ignore-next-line' is not followed by a rule on the next line",
      "8:1 warning RC214 unknown table 'nonsense' (iptables has filter, nat, mangle, raw and security)",
      "10:1 error RC214 missing table name after '*'",
    ]);
  });

  it('reports every bad line and keeps every good one', () => {
    const text = `${HEAD}-A X -j ACCEPT\n-A X --bogus\n-A X -j DROP\nfoo\n-A X "open\n-A X -j RETURN\nCOMMIT\n`;
    const r = parseIptablesSave(text, 'bad.txt');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['5:6 RC206', '7:1 RC202', '8:6 RC204']);
    expect((r.ruleSets[0] as IptablesRuleSet).tables[0]?.chains[1]?.rules.map((x) => x.args[0]?.values[0])).toEqual(['ACCEPT', 'DROP', 'RETURN']);
  });
});

describe('no input makes a parser throw', () => {
  const chars = fc.constantFrom('*', ':', '-', 'A', 'X', 'C', 'O', 'M', 'I', 'T', ' ', '\t', '\n', '\r', '"', "'", '\\', '!', '[', ']', '0', '#', '\u0000', 'é', '\ufffd', 'j', 'P', 'N', 'S', '\u00a0');
  const text = fc.array(chars, { maxLength: 200 }).map((cs) => cs.join(''));
  it('iptables-save, iptables -S and detection, with positions inside the text', () => {
    fc.assert(
      fc.property(text, (t) => {
        const lines = t.split('\n').length;
        for (const r of [parseIptablesSave(t, 'f'), parseIptablesRules(t, 'f'), parseDump(t, 'f')]) {
          for (const d of r.diagnostics) {
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.line).toBeLessThanOrEqual(lines);
            expect(d.column).toBeGreaterThanOrEqual(1);
            expect(d.code).toMatch(/^RC\d{3}$/);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('a text that is not a dump at all', () => {
  it('stops being read after 1,000 lines that cannot be read, quickly', () => {
    const text = `*nat\n${'BE-PROXY-CANARY - [0:0]\n'.repeat(50_000)}COMMIT\n`;
    const started = performance.now();
    const r = parseIptablesSave(text, 'junk.save');
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(r.diagnostics).toHaveLength(1001);
    expect(formatDiagnostic(r.diagnostics[1000] as Diagnostic)).toBe('junk.save:1002:1: error RC217: 1000 lines could not be read; the rest of the dump from here is not read');
  });
});
