/**
 * One fuzz target in a process of its own, run by `npm run fuzz` (scripts/fuzz.mjs):
 * `--target NAME --cases N --seed S [--from K] [--out DIR]`. Prints a `progress N` line now and
 * then (the parent's watchdog reads them), writes each failing case's input to DIR, and ends
 * with one JSON line: the report with the process's peak resident memory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzzTarget } from './fuzz.js';
import { fuzzTargets } from './targets.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const name = flag('target');
const target = fuzzTargets().find((t) => t.name === name);
if (target === undefined) {
  process.stderr.write(`fuzz: no target ${JSON.stringify(name)}; targets: ${fuzzTargets().map((t) => t.name).join(', ')}\n`);
  process.exit(2);
}
const cases = Number(flag('cases') ?? 1000);
const seed = Number(flag('seed') ?? 1);
const from = Number(flag('from') ?? 0);
const out = flag('out');

const report = fuzzTarget(target, {
  cases,
  seed,
  from,
  progress: (done) => process.stdout.write(`progress ${from + done}\n`),
});
if (out !== undefined && report.failures.length > 0) {
  mkdirSync(out, { recursive: true });
  for (const f of report.failures.slice(0, 50)) {
    writeFileSync(join(out, `${f.target}-${f.caseIndex}.input`), f.input);
    writeFileSync(join(out, `${f.target}-${f.caseIndex}.txt`), `${f.kind}: ${f.detail}\n`);
  }
}
const summary = {
  target: report.target,
  cases: report.cases,
  failures: report.failures.length,
  kinds: [...new Set(report.failures.map((f) => f.kind))],
  firstFailures: report.failures.slice(0, 5).map((f) => ({ caseIndex: f.caseIndex, kind: f.kind, detail: f.detail.split('\n')[0]?.slice(0, 300) })),
  slowestMs: Math.round(report.slowestMs),
  slowestCase: report.slowestCase,
  largestInput: report.largestInput,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  peakRssCase: report.peakRssCase,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
