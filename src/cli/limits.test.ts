import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/run-cli.js';
import { wideService } from '../../test/support/wide-service.js';
import { inMemoryLimit } from './output-size.js';

const root = join(import.meta.dirname, '..', '..');

/** Runs bin/rulec.js with standard input fed `line` for ever (as `yes | rulec …`). */
function runOnEndlessInput(args: string[], line: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/rulec.js', ...args], { cwd: root, env: { ...process.env, RULEC_LARGE_PAGES: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const block = line.repeat(4096);
  let open = true;
  child.stdin.on('error', () => (open = false));
  const feed = (): void => {
    while (open && child.stdin.write(block));
    if (open) child.stdin.once('drain', feed);
  };
  feed();
  return new Promise((resolve) =>
    child.on('close', (code) => {
      open = false;
      child.stdin.destroy();
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('--max-input-size', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-limits-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stops reading an endless standard input at the limit: a diagnostic, exit 2, nothing written', async () => {
    const out = join(dir, 'out.iptables');
    const r = await runOnEndlessInput(['compile', '-', '--max-input-size', '1K', '-o', out], 'y\n');
    expect(r).toEqual({ code: 2, stdout: '', stderr: '<stdin>:1:1: error RC003: input is larger than --max-input-size (1 KiB)\n' });
    expect(readdirSync(dir)).toEqual([]);
    const parse = await runOnEndlessInput(['parse', '-', '--max-input-size', '64K'], '-A KUBE-SERVICES -j RETURN\n');
    expect(parse).toEqual({ code: 2, stdout: '', stderr: '<stdin>:1:1: error RC003: input is larger than --max-input-size (64 KiB)\n' });
  });

  it('refuses a file over the limit', async () => {
    const file = join(dir, 'wide.json');
    writeFileSync(file, wideService(20, 20));
    const r = await runCli(['compile', file, '--max-input-size', '1K']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${file}:1:1: error RC003: input is larger than --max-input-size (1 KiB)\n` });
    expect((await runCli(['compile', file, '--max-input-size', '1M'])).code).toBe(0);
  });

  it('counts the inputs of a run together', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, wideService(2, 2));
    writeFileSync(b, wideService(2, 2).replaceAll('wide', 'other'));
    const limit = String(Math.ceil(wideService(2, 2).length * 1.5));
    const r = await runCli(['compile', a, b, '--max-input-size', limit]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${b}:1:1: error RC003: inputs together are larger than --max-input-size (${limit} bytes)\n`);
  });

  it('is a flag of every command', async () => {
    const dump = 'examples/dumps/worker-1.iptables-save';
    const runs: [string[], string][] = [
      [['parse', dump], dump],
      [['fmt', dump], dump],
      [['trace', dump, '--dst', '10.96.0.10:53', '--proto', 'udp'], dump],
      [['explain', dump], dump],
      [['diff', dump, dump], dump],
      [['graph', dump], dump],
      [['lint', dump], dump],
      [['check', 'examples/cluster/kube-dns.yaml'], 'kube-dns.yaml'],
    ];
    for (const [args, file] of runs) {
      const r = await runCli([...args, '--max-input-size', '100']);
      // lint reports in its own format, on stdout.
      const said = r.stderr + r.stdout;
      expect(r.code, args.join(' ')).toBe(2);
      expect(said, args.join(' ')).toMatch(/RC003/);
      expect(said, args.join(' ')).toContain(file);
      expect(said, args.join(' ')).toContain('larger than --max-input-size (100 bytes)');
    }
  });

  it('takes sizes with suffixes, and says when a size is not one', async () => {
    const r = await runCli(['compile', 'examples/cluster', '--max-input-size', '12x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--max-input-size <size>' argument '12x' is invalid");
    expect((await runCli(['compile', 'examples/cluster', '--max-input-size', '1M', '--max-output-size', '64M'])).code).toBe(0);
  });
});

describe('--max-output-size', () => {
  it('stops before compiling when the estimated rules are over it: a diagnostic at the heaviest object, exit 2, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-limits-'));
    try {
      const out = join(dir, 'out.iptables');
      const r = await runCli(['compile', 'examples/cluster', '--max-output-size', '1K', '-o', out]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^examples\/cluster\/\S+\.yaml:\d+:\d+: error RC004: the rules would take up to \d+ MiB, most of it for \S+ .*: more than --max-output-size \(1 KiB\)\n$/);
      expect(existsSync(out)).toBe(false);
      for (const mode of [['--as-saved'], ['--mode', 'ipvs'], ['--mode', 'nftables']]) {
        const m = await runCli(['compile', 'examples/cluster', ...mode, '--max-output-size', '1K']);
        expect(m.code).toBe(2);
        expect(m.stderr).toContain('error RC004');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps --as-saved of 1,500 ports × 1,500 endpoints (664 MB of rules) from running out of memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-limits-'));
    try {
      const file = join(dir, 'wide.json');
      writeFileSync(file, wideService(1500, 1500));
      const r = await runCli(['compile', file, '--as-saved']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/error RC004: the rules would take up to 2205 MiB, most of it for EndpointSlice default\/wide-1 \(1500 endpoints × 1500 ports\): more than /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds text made in memory to a fifth of the heap and to the longest string', () => {
    expect(inMemoryLimit(4 * 2 ** 30)).toBeLessThanOrEqual(2 ** 29);
    expect(inMemoryLimit(1 * 2 ** 30)).toBe(Math.floor(2 ** 30 / 5));
    expect(inMemoryLimit()).toBeGreaterThan(100 * 2 ** 20);
  });
});
