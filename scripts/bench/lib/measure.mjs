// Shared by the benchmarks: run a command as a child process and report wall time and the
// child's peak resident memory (read from /proc via GNU-time-like wrapper in Node itself).
import { spawnSync } from 'node:child_process';

/**
 * Runs `node <script> args…` in a child process that reports its own peak RSS on exit.
 * Returns { ms, peakMiB, status, stdout, stderr }.
 */
export function runNode(script, args, options = {}) {
  const wrapper = `
    process.on('exit', () => { try { require('node:fs').writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });
    process.argv = [process.argv[0], ${JSON.stringify(script)}, ...${JSON.stringify(args)}];
    import(${JSON.stringify('file://' + script)});
  `;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', wrapper], {
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
    input: options.stdin,
    maxBuffer: 1 << 30,
    encoding: 'buffer',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const peakKiB = Number(r.output[3]?.toString() || 0);
  return { ms, peakMiB: peakKiB / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr?.toString() ?? '' };
}

/** Runs any command and returns its wall time in ms and exit status. */
export function runCommand(cmd, args, options = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], input: options.stdin, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr?.toString() ?? '' };
}

export function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}
