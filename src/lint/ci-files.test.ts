import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../test/support/run-cli.js';

/**
 * The GitHub Action and the pre-commit hooks at the repository root: their shape, and the
 * action's lint step run for real with bash — its arguments recorded by a stand-in for rulec,
 * then given to rulec's CLI.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'rulec-action-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Step {
  id?: string;
  name?: string;
  run?: string;
  env?: Record<string, string>;
  uses?: string;
  if?: string;
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; description: string }>;
  runs: { using: string; steps: Step[] };
};

/** Runs the action's lint step with `inputs` (the rest at their defaults); returns the rulec calls. */
function runLintStep(inputs: Record<string, string>): { calls: string[][]; output: string; status: number } {
  const step = action.runs.steps.find((s) => s.id === 'lint');
  if (!step?.run || !step.env) throw new Error('no lint step');
  const log = join(work, `calls-${Math.random().toString(36).slice(2)}.jsonl`);
  const fake = join(work, 'fake-rulec.mjs');
  writeFileSync(fake, `import { appendFileSync } from 'node:fs';\nappendFileSync(process.env.CALLS, JSON.stringify(process.argv.slice(2)) + '\\n');\nprocess.exit(Number(process.env.FAKE_CODE ?? 0));\n`);
  const output = join(work, 'github-output');
  writeFileSync(output, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', RULEC: fake, CALLS: log, GITHUB_OUTPUT: output, FAKE_CODE: inputs.FAKE_CODE ?? '0' };
  for (const [name, value] of Object.entries(step.env)) {
    const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value);
    if (m?.[1]) env[name] = inputs[m[1]] ?? action.inputs[m[1]]?.default ?? '';
  }
  const r = spawnSync('bash', ['-e', '-c', step.run], { env, cwd: work, encoding: 'utf8' });
  let calls: string[][] = [];
  try {
    calls = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  } catch {
    calls = [];
  }
  return { calls, output: readFileSync(output, 'utf8'), status: r.status ?? -1 };
}

describe('action.yml', () => {
  it('is a composite action with the documented inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['check', 'config', 'format', 'manifests', 'max-warnings', 'paths', 'rules', 'sarif-file', 'working-directory']);
    expect(action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))?.if).toBe("${{ inputs.sarif-file != '' }}");
  });

  it('turns its inputs into rulec lint arguments without letting the shell evaluate them', () => {
    const r = runLintStep({
      paths: 'deploy/ dumps/node-1.iptables',
      manifests: 'deploy/',
      rules: 'duplicate-rule=off\n  stale-sep = error\n',
      'max-warnings': '3',
      config: 'ci/.rulecrc.yaml',
      'sarif-file': 'out $(touch pwned).sarif',
    });
    expect(r.status).toBe(0);
    const common = ['lint', '--max-warnings', '3', '--manifests', 'deploy/', '--rule', 'duplicate-rule=off', '--rule', 'stale-sep=error', '--config', 'ci/.rulecrc.yaml'];
    expect(r.calls).toEqual([
      [...common, '--format', 'sarif', '-o', 'out $(touch pwned).sarif', '--', 'deploy/', 'dumps/node-1.iptables'],
      [...common, '--format', 'github', '--', 'deploy/', 'dumps/node-1.iptables'],
    ]);
    expect(r.output).toBe('exit-code=0\n');
    expect(existsSync(join(work, 'pwned'))).toBe(false);
  });

  it('reports the exit code of the lint run', () => {
    const r = runLintStep({ FAKE_CODE: '1' });
    expect(r.calls).toEqual([['lint', '--max-warnings', '-1', '--format', 'github', '--', '.']]);
    expect(r.output).toBe('exit-code=1\n');
  });

  it("builds arguments rulec's CLI accepts", async () => {
    const dir = mkdtempSync(join(work, 'repo-'));
    writeFileSync(join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  clusterIP: 10.96.0.20\n  selector: {app: web}\n  ports: [{port: 80}]\n');
    const [call] = runLintStep({ paths: dir, rules: 'duplicate-rule=off' }).calls;
    const args = call ?? [];
    const r = await runCli([...args.slice(0, args.indexOf('--')), '--no-config', ...args.slice(args.indexOf('--'))]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files?: string; pass_filenames?: boolean }[];
  it('defines the lint hooks', () => {
    expect(hooks.map((h) => [h.id, h.entry, h.language])).toEqual([
      ['rulec-lint', 'rulec lint', 'node'],
      ['rulec-lint-all', 'rulec lint .', 'node'],
      ['rulec-check', 'rulec check', 'node'],
    ]);
    const files = new RegExp(hooks[0]?.files ?? '$^');
    expect(['deploy/svc.yaml', 'a.yml', 'list.json', 'node-1.iptables', 'x.ipvs'].every((f) => files.test(f))).toBe(true);
    expect(['README.md', 'main.go'].some((f) => files.test(f))).toBe(false);
  });
});
