import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { FORMATTERS } from '../../lint/formatters/index.js';
import { lint } from '../../lint/runner.js';
import { ALL_RULES } from '../../lint/rules/index.js';

/** Names, kinds and dump text made to forge or garble what rulec prints for people. */

const dir = mkdtempSync(join(tmpdir(), 'rulec-hostile-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const FORGED = 'a\nsrc/x.yaml:1:1: error RC999: forged';
const FORGED_YAML = JSON.stringify(FORGED);
/** Anything that would move the cursor, colour the terminal, ring a bell or reorder text. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The warning of an input none of whose objects rulec compiles. */
const nothingCompiled = (where: string): string =>
  `${where}:1:1: warning RC006: the one object read is not one rulec compiles (Service, EndpointSlice, Endpoints, Node, KubeProxyConfiguration, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController, Pod, PodTemplate): the rules have no service (--verbose lists what was skipped)`;

function stderrLines(stderr: string): string[] {
  expect(stderr.endsWith('\n')).toBe(true);
  return stderr.slice(0, -1).split('\n');
}

describe('diagnostics cannot forge lines', () => {
  it('a name with a newline under another apiVersion is one RC103 line, the name quoted', async () => {
    const p = file('api.yaml', `apiVersion: v2\nkind: Service\nmetadata:\n  name: ${FORGED_YAML}\n`);
    const r = await runCli(['compile', p]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = stderrLines(r.stderr);
    expect(lines).toEqual([`${p}:1:13: error RC103: Service "a\\nsrc/x.yaml:1:1: error RC999: forged": apiVersion "v2" is not read; use v1`]);
  });

  it('a skipped object with such a name is one RC900 note with --verbose', async () => {
    const p = file('skip.yaml', `apiVersion: v1\nkind: Widget\nmetadata:\n  name: ${FORGED_YAML}\n`);
    const r = await runCli(['compile', '--verbose', p]);
    expect(r.code).toBe(0);
    expect(stderrLines(r.stderr)).toEqual([nothingCompiled(p), `${p}:1:1: note RC900: skipped Widget "a\\nsrc/x.yaml:1:1: error RC999: forged": not an object rulec reads`]);
  });

  it('a kind with a newline and escape bytes is quoted too', async () => {
    const p = file('kind.yaml', `apiVersion: v1\nkind: "W\\e[2J\\nx"\nmetadata: {name: ok}\n`);
    const r = await runCli(['compile', '--verbose', p]);
    expect(stderrLines(r.stderr)).toEqual([nothingCompiled(p), `${p}:1:1: note RC900: skipped "W\\u001b[2J\\nx" ok: not an object rulec reads`]);
  });

  it('plain names print as before', async () => {
    const r = await runCli(['compile', '--verbose', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: b}\n');
    expect(r.stderr).toBe(`${nothingCompiled('<stdin>')}\n<stdin>:1:1: note RC900: skipped ConfigMap app: not an object rulec reads\n`);
  });

  it('the stylish lint report keeps one line per problem', async () => {
    const p = file('lint-api.yaml', `apiVersion: v2\nkind: Service\nmetadata:\n  name: ${FORGED_YAML}\n`);
    const r = await runCli(['lint', '--no-config', p]);
    expect(r.code).toBe(2);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(rows).toEqual([`  1:13  error  Service "a\\nsrc/x.yaml:1:1: error RC999: forged": apiVersion "v2" is not read; use v1  RC103`]);
    expect(r.stdout).not.toMatch(/^src\/x\.yaml/m);
  });
});

describe('control characters are escaped in every text output', () => {
  const ESC_LINE = 'A KUBE-SERVICES hello \u001b[31mred\u001b[0m \u0007 \u202e reversed';
  const dump = `*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j RETURN\nCOMMIT\n${ESC_LINE}\n`;

  it('a dump warning echoes ESC and BEL as \\u001b and \\u0007', async () => {
    const r = await runCli(['parse', '--summary', '-'], dump);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('\\u001b[31mred');
    expect(r.stderr).toContain('\\u0007');
    expect(r.stderr).toContain('\\u202e');
  });

  it('formatDiagnostic and the lint formatters escape file names and messages', () => {
    const result = lint([{ file: '/x/\u001b]0;title\u0007.iptables', text: dump }]);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const format of ['stylish', 'github'] as const) {
      const out = FORMATTERS[format]?.({ ...result, rules: ALL_RULES, cwd: '/x', color: false, version: '0' }) ?? '';
      expect(out, format).not.toMatch(RAW_CONTROL);
      expect(out, format).toContain('\\u001b[31mred');
    }
    for (const format of ['json', 'sarif'] as const) {
      const out = FORMATTERS[format]?.({ ...result, rules: ALL_RULES, cwd: '/x', color: false, version: '0' }) ?? '';
      expect(out, format).not.toMatch(RAW_CONTROL);
      expect(JSON.stringify(JSON.parse(out))).toContain('red');
    }
  });

  it('github output encodes a newline as %0A and escapes other controls', () => {
    const out =
      FORMATTERS.github?.({
        findings: [],
        diagnostics: [{ file: 'a.yaml', line: 1, column: 1, severity: 'error', code: 'RC103', message: 'one\ntwo\r\u001b[0m 100%' }],
        rules: ALL_RULES,
        cwd: '/',
        color: false,
        version: '0',
      }) ?? '';
    expect(out).toBe('::error file=a.yaml,line=1,col=1,endLine=1,endColumn=1,title=rulec RC103::one%0Atwo%0D\\u001b[0m 100%25 (RC103)\n');
  });
});

describe('kinds are not looked up through the prototype chain', () => {
  for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`kind: ${kind} is skipped like any unknown kind`, async () => {
      const r = await runCli(['compile', '--verbose', '-'], `apiVersion: v1\nkind: ${kind}\nmetadata: {name: x}\n`);
      expect(r.code).toBe(0);
      // Not a plain name (it starts with '_'): shown quoted.
      const shown = kind === '__proto__' ? '"__proto__"' : kind;
      expect(r.stderr).toBe(`${nothingCompiled('<stdin>')}\n<stdin>:1:1: note RC900: skipped ${shown} x: not an object rulec reads\n`);
    });
  }
  it('and lint reads them as unknown kinds too', async () => {
    const p = file('proto.yaml', 'apiVersion: v1\nkind: constructor\nmetadata: {name: x}\n---\napiVersion: v1\nkind: __proto__\nmetadata: {name: y}\n');
    const r = await runCli(['lint', '--no-config', p]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('dump names are not looked up through the prototype chain', () => {
  for (const table of ['constructor', '__proto__']) {
    const dump = `*${table}\n:__proto__ - [0:0]\n:constructor - [0:0]\n:X - [0:0]\n-A X -j constructor\n-A constructor -j X\nCOMMIT\n`;
    it(`fmt and the summary read table ${table} with chains __proto__ and constructor`, async () => {
      const fmt = await runCli(['fmt', '-'], dump);
      expect(fmt.code).toBe(0);
      expect(fmt.stdout).toContain(':__proto__ - [0:0]');
      const summary = await runCli(['parse', '--summary', '--json', '-'], dump);
      const tables = (JSON.parse(summary.stdout) as { tables: Record<string, { chains: Record<string, unknown> }> }).tables;
      expect(Object.keys(Object.values(tables)[0]?.chains ?? {}).sort()).toEqual(['X', '__proto__', 'constructor']);
    });
  }
  it('a __proto__ key in YAML is data, not a prototype', async () => {
    const r = await runCli(['compile', '-'], 'apiVersion: v1\nkind: Service\nmetadata:\n  __proto__:\n    name: web\nspec:\n  clusterIP: 10.96.0.1\n  ports:\n  - port: 80\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/RC10[01]: Service .*metadata\.name/);
  });
});

describe('graph labels cannot break out'
, () => {
  const HOSTILE = 'KUBE-SVC-%%{init}%%';
  const MARKUP = 'A];x[<b>#35;&`|\\';
  const dump = ['*nat', ':KUBE-SERVICES - [0:0]', `:${HOSTILE} - [0:0]`, `:${MARKUP} - [0:0]`, `-A KUBE-SERVICES -j ${HOSTILE}`, `-A KUBE-SERVICES -j ${MARKUP}`, 'COMMIT', ''].join('\n');

  it('the grammar reads the hostile chain names', async () => {
    const r = await runCli(['parse', '-'], dump);
    expect(r.code).toBe(0);
    const names = (JSON.parse(r.stdout) as { ruleSets: { tables: { chains: { name: string }[] }[] }[] }).ruleSets[0]?.tables[0]?.chains.map((c) => c.name);
    expect(names).toEqual(['KUBE-SERVICES', HOSTILE, MARKUP]);
  });

  it('Mermaid labels are quoted, entity-escaped and hold no %%', async () => {
    const p = file('hostile.iptables', dump);
    const r = await runCli(['graph', p, '--format', 'mermaid']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('%%');
    expect(r.stdout).toBe(
      [
        'flowchart LR',
        '  n1["nat KUBE-SERVICES"]',
        '  n2["nat KUBE-SVC-#37;%{init}#37;%"]',
        '  n3["nat A];x[#lt;b#gt;#35;35;#38;#96;#124;#92;"]',
        '  n1 --> n2',
        '  n1 --> n3',
        '',
      ].join('\n'),
    );
  });

  it('DOT strings escape quotes, backslashes and controls', async () => {
    const p = file('hostile-dot.iptables', dump);
    const r = await runCli(['graph', p]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  "nat/KUBE-SVC-%%{init}%%" [label="nat KUBE-SVC-%%{init}%%", shape=box];\n');
    expect(r.stdout).toContain('  "nat/A];x[<b>#35;&`|\\\\" [label="nat A];x[<b>#35;&`|\\\\", shape=box];\n');
  });
});

describe('long tokens', () => {
  // Long, yet within the longest line a dump may have (longer lines are skipped unread, RC205).
  const big = 'x'.repeat(60_000);
  const ipvs = `-A -t 10.0.0.1:80 -s ${big}\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1\n-A -t 10.0.0.3:80 -s rr\n`;

  it('are capped in lint messages', () => {
    const { findings } = lint([{ file: '/n.ipvs', text: ipvs }]);
    const f = findings.find((x) => x.ruleId === 'ipvs-unknown-scheduler');
    expect(f?.message).toBe(
      `virtual service TCP 10.0.0.1:80 uses scheduler "${'x'.repeat(79)}… (60000 characters)", which Linux IPVS does not have (known: rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)`,
    );
  });

  it('render in stylish output in well under a second', () => {
    const result = lint([{ file: '/n.ipvs', text: ipvs }]);
    const long = { file: '/n.ipvs', line: 1, column: 1, endLine: 1, endColumn: 2, ruleId: 'x', severity: 'warning' as const, message: `m ${'y'.repeat(1_000_000)}` };
    const started = performance.now();
    const out = FORMATTERS.stylish?.({ ...result, findings: [...result.findings, long], rules: ALL_RULES, cwd: '/', color: false, version: '0' }) ?? '';
    expect(performance.now() - started).toBeLessThan(500);
    expect(out.includes('… (60000 characters)')).toBe(true);
    for (const line of out.split('\n')) expect(line).not.toMatch(/ $/);
  });
});
