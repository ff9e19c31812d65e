import { formatDiagnostic, type Diagnostic } from '../../src/diagnostics.js';
import { mutate } from './mutate.js';
import { caseSeed, Random } from './random.js';
import { FILE, type FuzzTarget } from './targets.js';

/** A case that broke a rule of the harness, with what is needed to run it again. */
export interface FuzzFailure {
  target: string;
  caseIndex: number;
  kind: 'exception' | 'slow' | 'diagnostic';
  detail: string;
  input: string;
}

export interface FuzzReport {
  target: string;
  cases: number;
  failures: FuzzFailure[];
  /** The slowest case and how long it took. */
  slowestMs: number;
  slowestCase: number;
  /** The largest input, in characters. */
  largestInput: number;
  /** The highest resident memory seen after a case, and the case after which it was seen. */
  peakRss: number;
  peakRssCase: number;
}

export interface FuzzOptions {
  cases: number;
  /** The run's seed: the same seed and case number give the same input. */
  seed: number;
  /** The first case number (to run one case again, or to continue a run). */
  from?: number;
  /** A case slower than this is a failure. */
  slowMs?: number;
  /** Called every thousand cases, and after any case when a second has passed, with the number done. */
  progress?(done: number): void;
}

/** The input of one case: a seed of the target, mutated. */
export function caseInput(target: FuzzTarget, seed: number, index: number): string {
  const rng = new Random(caseSeed(target.name, seed, index));
  const base = rng.pick(target.seeds);
  return mutate(base, rng, target.dictionary, target.seeds);
}

// Control characters, the Unicode line and paragraph separators, and the bidirectional
// overrides: none may reach a diagnostic line as it is printed.
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** How many lines a text has. */
export function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** What is wrong with one diagnostic of a case (whose input has `lines` lines), or undefined. */
export function badDiagnostic(d: Diagnostic, lines: number): string | undefined {
  if (d.file !== FILE && !d.file.startsWith(`${FILE}`)) return `diagnostic names another file: ${JSON.stringify(d.file)}`;
  if (!Number.isInteger(d.line) || d.line < 1 || d.line > lines + 1) return `line ${d.line} outside the input's ${lines} lines`;
  if (!Number.isInteger(d.column) || d.column < 1) return `column ${d.column}`;
  if (!/^RC\d{3}$/.test(d.code)) return `code ${JSON.stringify(d.code)}`;
  if (d.message.length === 0) return 'empty message';
  const printed = formatDiagnostic(d);
  if (UNPRINTABLE.test(printed)) return `printed diagnostic holds a control character: ${JSON.stringify(printed.slice(0, 300))}`;
  if (printed.length > 2_000) return `printed diagnostic is ${printed.length} characters long`;
  return undefined;
}

/** Runs `cases` mutated inputs through a target and reports every case that broke a rule. */
export function fuzzTarget(target: FuzzTarget, options: FuzzOptions): FuzzReport {
  const slowMs = options.slowMs ?? 5_000;
  const from = options.from ?? 0;
  let lastProgress = performance.now();
  const report: FuzzReport = { target: target.name, cases: 0, failures: [], slowestMs: 0, slowestCase: -1, largestInput: 0, peakRss: 0, peakRssCase: -1 };
  for (let i = from; i < from + options.cases; i++) {
    const input = caseInput(target, options.seed, i);
    report.largestInput = Math.max(report.largestInput, input.length);
    const started = performance.now();
    let diagnostics: readonly Diagnostic[] = [];
    try {
      diagnostics = target.run(input, i).diagnostics;
    } catch (err) {
      const detail = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
      report.failures.push({ target: target.name, caseIndex: i, kind: 'exception', detail, input });
    }
    const ms = performance.now() - started;
    if (ms > report.slowestMs) {
      report.slowestMs = ms;
      report.slowestCase = i;
    }
    if (ms > slowMs) report.failures.push({ target: target.name, caseIndex: i, kind: 'slow', detail: `${Math.round(ms)} ms`, input });
    const lines = diagnostics.length > 0 ? lineCount(input) : 0;
    for (const d of diagnostics) {
      const bad = badDiagnostic(d, lines);
      if (bad !== undefined) {
        report.failures.push({ target: target.name, caseIndex: i, kind: 'diagnostic', detail: bad, input });
        break;
      }
    }
    const rss = process.memoryUsage.rss();
    if (rss > report.peakRss) {
      report.peakRss = rss;
      report.peakRssCase = i;
    }
    report.cases++;
    if (options.progress && (report.cases % 1000 === 0 || performance.now() - lastProgress > 1_000)) {
      lastProgress = performance.now();
      options.progress(report.cases);
    }
  }
  return report;
}
