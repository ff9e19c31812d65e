// Shared by the benchmarks: run a command as a child process and report its wall time, and for
// node scripts the child's CPU time and peak resident memory (the child reports them itself).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * How many times each command runs. The best (shortest) time is reported, for rulec and for the
 * tools it is compared with alike, so that a moment of load on the machine does not decide a
 * figure; peak memory is the highest of the runs. `RULEC_BENCH_RUNS=1` gives a quick look.
 */
export const RUNS = Math.max(1, Number(process.env.RULEC_BENCH_RUNS) || 3);

function bestOf(run) {
  let best;
  for (let i = 0; i < RUNS; i++) {
    const r = run();
    // A failed run is reported as it is (exit 1 is rulec lint's "findings", not a failure).
    if (r.status !== 0 && r.status !== 1) return r;
    if (best === undefined) best = r;
    else best = { ...(r.ms < best.ms ? r : best), peakMiB: Math.max(r.peakMiB ?? 0, best.peakMiB ?? 0) };
  }
  return best;
}

/**
 * Runs two measurements in turn, RUNS times each (A, B, A, B…), and returns the best of each: for
 * a ratio between rulec and another tool, both sides see the same moments of the machine. Each
 * run is followed by a pause of SETTLE_MS: what a run leaves to the kernel (a network namespace
 * and its nftables tables torn down after `unshare -n` exits) must not land on the next one.
 * `a` and `b` are functions returning a single run (see runNodeOnce, runCommandOnce).
 */
const SETTLE_MS = 1000;

function settle() {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_MS);
}

export function bestOfPair(a, b) {
  let bestA;
  let bestB;
  for (let i = 0; i < RUNS; i++) {
    const ra = a();
    settle();
    const rb = b();
    settle();
    if (ra.status !== 0 && ra.status !== 1) return [ra, rb];
    if (rb.status !== 0) return [ra, rb];
    bestA = bestA === undefined || ra.ms < bestA.ms ? { ...ra, peakMiB: Math.max(ra.peakMiB ?? 0, bestA?.peakMiB ?? 0) } : { ...bestA, peakMiB: Math.max(ra.peakMiB ?? 0, bestA.peakMiB ?? 0) };
    bestB = bestB === undefined || rb.ms < bestB.ms ? rb : bestB;
  }
  return [bestA, bestB];
}

/**
 * Runs `node <script> args…` in a child process that reports its own CPU time and peak RSS on
 * exit, RUNS times. Returns { ms, cpuMs, peakMiB, status, stdout, stderr } of the fastest run
 * (peakMiB: the highest of all runs). rulec may run a large input in a process of its own (see
 * src/cli/large-pages.ts): every process of the run reports, through a file its environment
 * names, and the figures are the sum of the CPU times and the highest peak.
 */
export function runNode(script, args, options = {}) {
  return bestOf(() => runNodeOnce(script, args, options));
}

export function runNodeOnce(script, args, options = {}) {
  const wrapper = `
    process.on('exit', () => {
      const u = process.resourceUsage();
      try { require('node:fs').appendFileSync(process.env.RULEC_BENCH_USAGE, JSON.stringify({ cpuUs: u.userCPUTime + u.systemCPUTime, maxRSS: u.maxRSS }) + '\\n'); } catch {}
    });
    process.argv = [process.argv[0], ${JSON.stringify(script)}, ...${JSON.stringify(args)}];
    import(${JSON.stringify('file://' + script)});
  `;
  const usageFile = join(mkdtempSync(join(tmpdir(), 'rulec-bench-usage-')), 'usage');
  // options.stdoutFile: standard output goes to that file, as a user's `> FILE` would.
  const out = options.stdoutFile === undefined ? 'pipe' : openSync(options.stdoutFile, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', wrapper], {
    stdio: [options.stdin ? 'pipe' : 'ignore', out, 'pipe'],
    input: options.stdin,
    maxBuffer: 1 << 30,
    encoding: 'buffer',
    env: { ...process.env, RULEC_BENCH_USAGE: usageFile },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (typeof out === 'number') closeSync(out);
  let cpuUs = 0;
  let maxRSS = 0;
  if (existsSync(usageFile)) {
    for (const line of readFileSync(usageFile, 'utf8').split('\n').filter(Boolean)) {
      const u = JSON.parse(line);
      cpuUs += u.cpuUs;
      maxRSS = Math.max(maxRSS, u.maxRSS);
    }
  }
  rmSync(dirname(usageFile), { recursive: true, force: true });
  return { ms, cpuMs: cpuUs / 1000, peakMiB: maxRSS / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr?.toString() ?? '' };
}

/** Runs any command RUNS times; returns the fastest run's wall time in ms and its exit status. */
export function runCommand(cmd, args, options = {}) {
  return bestOf(() => runCommandOnce(cmd, args, options));
}

export function runCommandOnce(cmd, args, options = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], input: options.stdin, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr?.toString() ?? '' };
}

export function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}
