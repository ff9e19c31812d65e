import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The program users run: bin/rulec.js and the bundle it loads (dist/cli-bundle, made by
 * `npm run build`). The other tests run the sources; these check that the bundle runs every path
 * that loads code at run time: a command's own chunk, chevrotain for lines only the grammar reads,
 * the yaml package for a diagnostic's position, package.json for the version.
 */
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'rulec.js');

function rulec(args: string[], input?: string, env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, bin, ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/** Whether the kernel gives huge pages on request, the one setting in which rulec starts a child for them. */
const hugePagesOnRequest = (() => {
  try {
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[madvise]');
  } catch {
    return false;
  }
})();

describe('the bundled rulec program', () => {
  it('is built', () => {
    expect(existsSync(join(root, 'dist', 'cli-bundle', 'main.js'))).toBe(true);
  });

  it('compiles the example cluster to its golden file', () => {
    const r = rulec(['compile', 'examples/cluster']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(root, 'test', 'golden', 'cluster', 'expected.iptables'), 'utf8'));
  });

  it('reports a bad manifest at its line and column (the yaml package, loaded on demand)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bin-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "A b"\nspec:\n  ports: [{port: 80}]\n');
    const r = rulec(['compile', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${file}:4:9: error RC101: Service default/A b: metadata.name: "A b" is not a valid DNS-1035 label (a lower-case letter, then letters, digits and '-', at most 63)\n`);
  });

  it('reads a line only the grammar reads (chevrotain, loaded at run time)', () => {
    const r = rulec(['fmt', '-'], '*nat\n:X - [0:0]\n-A X\t-j RETURN\nCOMMIT\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('*nat\n:X - [0:0]\n-A X -j RETURN\nCOMMIT\n');
  });

  it('lints the drifted example dump with exit code 1', () => {
    const r = rulec(['lint', '--no-config', '--format', 'json', 'examples/dumps/worker-1-drifted.iptables-save']);
    expect(r.code).toBe(1);
    const ids = (JSON.parse(r.stdout) as { ruleId: string }[]).map((f) => f.ruleId).sort();
    expect(ids).toEqual(['nodeports-not-last', 'stale-sep']);
  });

  it("gives package.json's version, in --version and in SARIF (read from package.json at run time)", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(rulec(['--version']).stdout.trim()).toBe(pkg.version);
    const sarif = JSON.parse(rulec(['lint', '--no-config', '--format', 'sarif', 'examples/dumps/worker-1.iptables-save']).stdout) as {
      runs: { tool: { driver: { version: string } } }[];
    };
    expect(sarif.runs[0]?.tool.driver.version).toBe(pkg.version);
  });
});

describe.runIf(hugePagesOnRequest)('rulec in a child process with huge pages (RULEC_LARGE_PAGES=1, as for a large input)', () => {
  const child = { RULEC_LARGE_PAGES: '1' };
  // Node's own options reach the child: this one has each process say what GLIBC_TUNABLES it got.
  const tell = ['--import', 'data:text/javascript,process.stderr.write(`tunables=${process.env.GLIBC_TUNABLES}\\n`)'];

  it('runs the command in a child whose allocator asks for huge pages, with the same output', () => {
    const r = rulec(['compile', 'examples/cluster'], undefined, child, tell);
    expect(r.stderr).toBe('tunables=undefined\ntunables=glibc.malloc.hugetlb=1\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(root, 'test', 'golden', 'cluster', 'expected.iptables'), 'utf8'));
  });

  it("passes on standard input, the child's diagnostics and its exit code", () => {
    const r = rulec(['compile', '-'], 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "A b"\nspec:\n  ports: [{port: 80}]\n', child);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^<stdin>:4:9: error RC101: Service default\/A b: metadata.name: "A b" is not a valid DNS-1035 label/);
    const lint = rulec(['lint', '--no-config', '--format', 'json', 'examples/dumps/worker-1-drifted.iptables-save'], undefined, child);
    expect(lint.code).toBe(1);
    expect((JSON.parse(lint.stdout) as unknown[]).length).toBe(2);
  });

  it('ends by the signal that ended the child', () => {
    // The child kills itself; the parent must not report success.
    const r = rulec(['--version'], undefined, child, ['--import', 'data:text/javascript,if(process.env.GLIBC_TUNABLES)process.kill(process.pid,"SIGTERM")']);
    expect(r.signal).toBe('SIGTERM');
  });
});
