#!/usr/bin/env node
// `npm run fuzz`: every fuzz target of test/fuzz/ in a process of its own, a million mutated
// inputs each by default. Options: --cases N, --seed S, --target NAME (repeatable), --jobs N,
// --from K (the first case number; with --cases 1, runs one case again); --print with one
// --target and --from K writes that case's input to standard output instead of running it.
// A target fails on an exception, a case over 5 s, a badly formed diagnostic, a peak resident
// memory over 1 GiB, or a process that stops reporting progress for a minute (a hang); failing
// inputs are written under fuzz-out/. Prints a table and exits 1 when any target failed.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const cases = Number(option('cases', '1000000'));
const seed = Number(option('seed', String(Date.now() % 1_000_000)));
const from = Number(option('from', '0'));
const jobs = Math.max(1, Number(option('jobs', '2')));
const only = args.flatMap((a, i) => (a === '--target' ? [args[i + 1]] : []));
const RSS_LIMIT_MIB = 1024;
const HANG_MS = 60_000;

const outDir = join(root, 'fuzz-out');
if (!args.includes('--print')) rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// The harness is TypeScript under test/; one bundle of it runs in each child. chevrotain and
// yaml stay outside, loaded from node_modules as the program loads them.
const entry = join(outDir, 'fuzz-main.mjs');
const printer = join(outDir, 'print-case.mjs');
await build({
  entryPoints: { 'fuzz-main': join(root, 'test', 'fuzz', 'main.ts'), 'print-case': join(root, 'test', 'fuzz', 'print-case.ts') },
  outdir: outDir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['chevrotain', 'yaml'],
  banner: { js: "import { createRequire as fuzzCreateRequire } from 'node:module'; const require = fuzzCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
if (args.includes('--print')) {
  if (only.length !== 1) {
    console.error('fuzz: --print takes one --target');
    process.exit(2);
  }
  const r = spawn(process.execPath, [printer, '--target', only[0], '--seed', String(seed), '--case', String(from)], { cwd: root, stdio: 'inherit' });
  r.on('close', (code) => process.exit(code ?? 1));
} else {
  await runAll();
}

async function runAll() {
  // The bundles sit in fuzz-out/, below the package root, so chevrotain and yaml resolve from node_modules.
  const names = only.length > 0 ? only : await listTargets();

  async function listTargets() {
    const r = await runChild(['--target', '?'], () => {});
    const m = /targets: (.*)/.exec(r.stderr);
    if (!m) throw new Error(`cannot list the fuzz targets: ${r.stderr}`);
    return m[1].split(', ');
  }

  function runChild(extra, onLine) {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [entry, ...extra], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let last = Date.now();
      let hung = false;
      const watchdog = setInterval(() => {
        if (Date.now() - last > HANG_MS) {
          hung = true;
          child.kill('SIGKILL');
        }
      }, 1000);
      child.stdout.on('data', (d) => {
        last = Date.now();
        stdout += d;
        let nl;
        while ((nl = stdout.indexOf('\n')) >= 0) {
          onLine(stdout.slice(0, nl));
          stdout = stdout.slice(nl + 1);
        }
      });
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code, signal) => {
        clearInterval(watchdog);
        resolve({ code, signal, stderr, hung });
      });
    });
  }

  async function runTarget(name) {
    const started = Date.now();
    let done = from;
    let report;
    const r = await runChild(['--target', name, '--cases', String(cases), '--seed', String(seed), '--from', String(from), '--out', outDir], (line) => {
      if (line.startsWith('progress ')) done = Number(line.slice(9));
      else if (line.startsWith('{')) report = JSON.parse(line);
    });
    const seconds = (Date.now() - started) / 1000;
    const problems = [];
    if (r.hung) problems.push(`no progress for ${HANG_MS / 1000} s after case ${done} (a hang)`);
    else if (!report) problems.push(`the process ended without a report (${r.signal ?? `exit ${r.code}`}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    if (report && report.failures > 0) problems.push(`${report.failures} failing cases (${report.kinds.join(', ')}), e.g. ${JSON.stringify(report.firstFailures[0])}`);
    if (report && report.peakRssMiB > RSS_LIMIT_MIB) problems.push(`peak RSS ${report.peakRssMiB} MiB over ${RSS_LIMIT_MIB} MiB (highest after case ${report.peakRssCase})`);
    return { name, seconds, report, problems };
  }

  const queue = [...names];
  const results = [];
  async function worker() {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const result = await runTarget(name);
      results.push(result);
      const rep = result.report;
      process.stdout.write(
        `${name.padEnd(15)} ${String(rep?.cases ?? 0).padStart(8)} cases  ${result.seconds.toFixed(0).padStart(5)} s  slowest ${String(rep?.slowestMs ?? '?').padStart(5)} ms  peak RSS ${String(rep?.peakRssMiB ?? '?').padStart(5)} MiB  ${result.problems.length === 0 ? 'ok' : `FAILED: ${result.problems.join('; ')}`}\n`,
      );
    }
  }
  process.stdout.write(`fuzz: seed ${seed}, ${cases} cases per target from case ${from}, ${names.length} targets\n`);
  await Promise.all(Array.from({ length: Math.min(jobs, names.length) }, worker));
  const failed = results.filter((r) => r.problems.length > 0);
  process.stdout.write(failed.length === 0 ? 'fuzz: every target passed\n' : `fuzz: ${failed.length} targets failed; inputs in fuzz-out/\n`);
  process.exit(failed.length === 0 ? 0 : 1);
}
