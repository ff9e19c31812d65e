import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { vectors } from '../../../test/support/vectors.js';
import { dedent } from '../../lint/testing/rule-tester.js';
import { CLUSTER_IP_JUMP, SEP1, SEP2, SVC, sepRules, svc1Manifests, svcJump } from '../../lint/testing/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'rulec-lint-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const GOOD = dedent(`
  *nat
  :KUBE-SERVICES - [0:0]
  :KUBE-MARK-MASQ - [0:0]
  :${SVC} - [0:0]
  :${SEP1} - [0:0]
  :${SEP2} - [0:0]
  ${CLUSTER_IP_JUMP}
  -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
  ${svcJump(SEP1, '10.180.0.1', '0.5000000000')}
  ${svcJump(SEP2, '10.180.0.2')}
  ${sepRules(SEP1, '10.180.0.1')}
  ${sepRules(SEP2, '10.180.0.2')}
  COMMIT
`);
const SKEWED = GOOD.replace('0.5000000000', '0.9000000000');
const WARNING_ONLY = GOOD.replace(`-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000`, `-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000`);

describe('rulec lint', () => {
  it('with no paths and nothing on standard input says so and exits 2', async () => {
    for (const stdin of ['', '\n  \n']) {
      const r = await runCli(['lint'], stdin);
      expect(r).toEqual({ code: 2, stdout: '', stderr: 'rulec lint: nothing to lint: name dump or manifest files or folders, or pipe a dump into standard input\n' });
    }
  });

  it('exits 0 and prints nothing for a clean dump (kube-proxy output of a conformance vector)', async () => {
    const v = vectors('iptables').find((x) => x.name === 'overall-iptables-rules');
    const r = await runCli(['lint', '--no-config', v?.expected.iptables ?? '']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 on errors, with the stylish report', async () => {
    const p = file('skewed.iptables', SKEWED);
    const r = await runCli(['lint', '--no-config', p]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        '',
        p,
        `  9:${svcJump(SEP1, '10.180.0.1', '0.9000000000').indexOf('--probability') + 1}  error  --probability 0.9000000000 on the jump to ${SEP1} (endpoint 1 of 2) sends it 90.00% of new connections; an even split needs 1/2 (0.5000000000) here  probability-cascade`,
        '',
        '✖ 1 problem (1 error, 0 warnings)',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 on warnings, 1 when there are more than --max-warnings', async () => {
    const p = file('dup.iptables', WARNING_ONLY);
    const r = await runCli(['lint', '--no-config', p]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('duplicate-rule');
    const strict = await runCli(['lint', '--no-config', '--max-warnings', '0', p]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('rulec lint: 1 warning, more than --max-warnings 0\n');
    expect((await runCli(['lint', '--no-config', '--max-warnings', '1', p])).code).toBe(0);
  });

  it('notes what it could not judge in an excerpt; notes are no problems and leave the exit code at 0', async () => {
    const p = file('excerpt.txt', `${CLUSTER_IP_JUMP}\n${svcJump(SEP1, '10.180.0.1', '0.5000000000')}\n`);
    const r = await runCli(['lint', '--no-config', '--max-warnings', '0', p]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => / note /.test(l)).map((l) => l.trim().split(/ {2,}/))).toEqual(
      ['dangling-jump', 'nodeports-not-last', 'probability-cascade', 'unused-chain'].map((id) => ['1:1', 'note', expect.stringMatching(/^not judged: table nat is an excerpt \(.+\)$/), id]),
    );
    expect(lines.some((l) => / error /.test(l))).toBe(false);
    expect(r.stdout.endsWith('\n4 notes (rules could not judge parts of the inputs; not problems)\n')).toBe(true);
    const json = await runCli(['lint', '--no-config', '--format', 'json', p]);
    expect(json.code).toBe(0);
    const notes = (JSON.parse(json.stdout) as { severity: string; ruleId: string }[]).filter((f) => f.severity === 'note');
    expect(notes.map((f) => f.ruleId)).toEqual(['dangling-jump', 'nodeports-not-last', 'probability-cascade', 'unused-chain']);
  });

  it('--rule turns rules off or up', async () => {
    const p = file('dup2.iptables', WARNING_ONLY);
    expect(await runCli(['lint', '--no-config', '--rule', 'duplicate-rule=off', p])).toEqual({ code: 0, stdout: '', stderr: '' });
    const up = await runCli(['lint', '--no-config', '--rule', 'duplicate-rule=error', '--format', 'json', p]);
    expect(up.code).toBe(1);
    expect((JSON.parse(up.stdout) as { severity: string }[]).map((f) => f.severity)).toEqual(['error']);
  });

  it('reads standard input and prints JSON', async () => {
    const r = await runCli(['lint', '--no-config', '--format', 'json', '-'], SKEWED);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { file: string; line: number; ruleId: string }[];
    expect(out.map((f) => [f.file, f.line, f.ruleId])).toEqual([['<stdin>', 9, 'probability-cascade']]);
  });

  it('prints GitHub workflow commands', async () => {
    const r = await runCli(['lint', '--no-config', '--format', 'github', '-'], SKEWED);
    expect(r.stdout).toMatch(/^::error file=<stdin>,line=9,col=\d+,endLine=9,endColumn=\d+,title=rulec probability-cascade::--probability 0\.9000000000 /);
  });

  it('compares a dump with --manifests', async () => {
    const dump = file('node.iptables', GOOD);
    const m = file('app.yaml', svc1Manifests(['10.180.0.1', '10.180.0.7']));
    const r = await runCli(['lint', '--no-config', '--format', 'json', dump, '--manifests', m]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { ruleId: string; message: string }[]).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([
      `stale-sep: ${SEP2} sends ns1/svc1:p80 traffic to 10.180.0.2:80, which is not an endpoint of ns1/svc1:p80 in the manifests`,
      'drift: ns1/svc1:p80 (tcp): endpoint 10.180.0.7:80 in the manifests but not in the dump; endpoint 10.180.0.2:80 in the dump but not in the manifests',
    ]);
  });

  it('lints manifests and dumps given together, and honours rulec.io/ignore', async () => {
    const dump = file('mixed.iptables', SKEWED);
    const m = file(
      'svc.yaml',
      dedent(`
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
          annotations: {rulec.io/ignore: "selectorless-without-endpoints"}
        spec:
          type: NodePort
          clusterIP: 10.96.0.20
          ports: [{port: 80, nodePort: 8080}]
      `),
    );
    const r = await runCli(['lint', '--no-config', '--format', 'json', dump, m]);
    expect((JSON.parse(r.stdout) as { ruleId: string }[]).map((f) => f.ruleId).sort()).toEqual(['nodeport-range', 'probability-cascade']);
  });

  it('reads the configuration given with -c', async () => {
    const p = file('dup3.iptables', WARNING_ONLY);
    const c = file('rulec.yaml', 'rules:\n  duplicate-rule: error\n');
    expect((await runCli(['lint', '-c', c, p])).code).toBe(1);
  });

  it('writes the report to -o', async () => {
    const p = file('skewed2.iptables', SKEWED);
    const out = join(dir, 'report.sarif');
    const r = await runCli(['lint', '--no-config', '--format', 'sarif', '-o', out, p]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: '' });
    const log = JSON.parse(readFileSync(out, 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.results).toHaveLength(1);
  });

  it('exits 2 on unreadable input, unknown rules and bad flags', async () => {
    const missing = await runCli(['lint', '--no-config', join(dir, 'nope.iptables')]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('no such file or directory');
    expect((await runCli(['lint', '--no-config', '--rule', 'no-such-rule=error', '-'], GOOD)).code).toBe(2);
    expect((await runCli(['lint', '--no-config', '--max-warnings', 'many', '-'], GOOD)).code).toBe(2);
    expect((await runCli(['lint', '--no-config', '--format', 'xml', '-'], GOOD)).code).toBe(2);
    expect((await runCli(['lint', '--no-config', '-'], 'not a dump\n')).code).toBe(2);
  });
});
