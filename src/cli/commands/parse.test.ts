import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { parseDump } from '../../grammar/detect.js';
import { writeJson } from './parse.js';

const DUMPS = 'test/fixtures/dumps';

describe('rulec parse', () => {
  it('prints the JSON AST with positions', async () => {
    const r = await runCli(['parse', '-'], '*nat\n:X - [0:0]\n-A X -j RETURN\nCOMMIT\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      file: '<stdin>',
      sections: [{ format: 'iptables-save', firstLine: 1, lastLine: 4 }],
      diagnostics: [],
      ruleSets: [
        {
          kind: 'iptables',
          family: 'ipv4',
          origin: 'iptables-save',
          fidelity: 'exact',
          pos: { file: '<stdin>', line: 1, column: 1 },
          tables: [
            {
              name: 'nat',
              committed: true,
              deletedChains: [],
              pos: { file: '<stdin>', line: 1, column: 1 },
              chains: [
                {
                  name: 'X',
                  policy: '-',
                  counters: { packets: 0, bytes: 0 },
                  pos: { file: '<stdin>', line: 2, column: 1 },
                  rules: [{ pos: { file: '<stdin>', line: 3, column: 1 }, args: [{ flag: '-j', negated: false, values: ['RETURN'], column: 6 }] }],
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('writes the same text as JSON.stringify, piece by piece, for every fixture', () => {
    for (const name of ['iptables/kube-node.save', 'iptables/kube-node.rules', 'pasted-node.txt', 'iptables/odd-comments.save']) {
      const p = parseDump(readFileSync(join(DUMPS, name), 'utf8'), name);
      const doc = { file: name, sections: p.sections, ruleSets: p.ruleSets, diagnostics: p.diagnostics };
      let out = '';
      writeJson(doc, (s) => {
        out += s;
      });
      expect(out).toBe(JSON.stringify(doc, null, 2));
    }
  });

  it('writes any JSON value as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (v) => {
        let out = '';
        writeJson(v, (s) => {
          out += s;
        });
        expect(out).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('is stable: the same file gives the same JSON', async () => {
    const a = await runCli(['parse', join(DUMPS, 'iptables/kube-node.save')]);
    const b = await runCli(['parse', join(DUMPS, 'iptables/kube-node.save')]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(100_000);
  });

  it('prints the summary as text and as JSON', async () => {
    const text = await runCli(['parse', '--summary', join(DUMPS, 'iptables/ipv6-node.save')]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').slice(0, 3)).toEqual(['format: iptables-save  [iptables-save (lines 1-76)]', 'family: ipv6', '']);
    expect(text.stdout).toContain('services: 3\n');
    const json = await runCli(['parse', '--summary', '--json', join(DUMPS, 'iptables/ipv6-node.save')]);
    const s = JSON.parse(json.stdout) as { format: string; services: { endpoints: unknown[] }[]; tables: Record<string, unknown> };
    expect(s.format).toBe('iptables-save');
    expect(Object.keys(s.tables)).toEqual(['filter', 'nat']);
    expect(s.services.map((x) => x.endpoints.length)).toEqual([1, 2, 4]);
  });

  it('prints diagnostics on stderr and nothing on stdout, exit 2, when the input has errors', async () => {
    const r = await runCli(['parse', '-'], '*nat\n:X - [0:0]\n-A X --bogus\n');
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "<stdin>:3:6: error RC206: unknown option '--bogus': no match (-m), protocol (-p) or target (-j) before it could take it\n" +
        "<stdin>:3:13: warning RC201: table 'nat' has no COMMIT: the dump ends before the table does (truncated?)\n",
    });
  });

  it('prints warnings and still succeeds', async () => {
    const r = await runCli(['parse', '--summary', '-'], '$ iptables-save\n*nat\n:X - [0:0]\n:X - [0:0]\nCOMMIT\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("<stdin>:4:1: warning RC209: chain 'X' is declared twice in table 'nat' (first at line 3)\n");
    expect(r.stdout).toContain('table nat: 1 chain, 0 rules');
  });

  it('honours --format and --table, and refuses unknown formats and files', async () => {
    const r = await runCli(['parse', '--summary', '--format', 'iptables-rules', '--table', 'raw', '-'], '-N X\n');
    expect(r.stdout).toContain('table raw: 1 chain, 0 rules');
    const bad = await runCli(['parse', '--format', 'pf', '-'], '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error: option '--format <format>' argument 'pf' is invalid");
    const missing = await runCli(['parse', 'no/such/file.txt']);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'rulec: cannot read no/such/file.txt: no such file\n' });
  });
});
