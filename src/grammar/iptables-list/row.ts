import type { Layout, Word } from './lines.js';
import { isBlank, skipBlanks } from './scan.js';

/**
 * Splits one rule row of a listing into its columns, following the layout of the column
 * header: `[num] [pkts bytes] target prot [opt] [in out] source destination match-text`.
 *
 * Columns are separated by blanks, but the target column is empty for a rule without `-j`, so
 * it is found by shape: the `opt` column (`--`, `-f`, `!f`) follows `prot`, which follows the
 * target. Old ip6tables print no opt value; there the target's absence shows as blanks where
 * its column starts.
 */
export interface RowColumns {
  num: Word | undefined;
  pkts: Word | undefined;
  bytes: Word | undefined;
  /** Undefined when the target column is empty. */
  target: Word | undefined;
  prot: Word;
  opt: Word | undefined;
  in: Word | undefined;
  out: Word | undefined;
  source: Word;
  destination: Word;
  /** Offset of the match text in the line (the line's length when there is none). */
  matchStart: number;
}

export interface RowError {
  error: string;
  /** Offset the error points at. */
  at: number;
}

export function isOptColumn(text: string): boolean {
  return text === '--' || text === '-f' || text === '!f';
}

/** Word offsets of the row, reused between calls (rows are split one at a time). */
const starts = new Int32Array(12);
const ends = new Int32Array(12);

export function splitRow(line: string, layout: Layout): RowColumns | RowError {
  // The fixed columns are at most 10 words; one more is read to see past an empty target.
  let n = 0;
  let p = 0;
  while (n < 12) {
    while (p < line.length && isBlank(line.charCodeAt(p))) p++;
    if (p >= line.length) break;
    starts[n] = p;
    while (p < line.length && !isBlank(line.charCodeAt(p))) p++;
    ends[n] = p;
    n++;
  }
  let i = 0;
  const word = (k: number): Word => ({ text: line.slice(starts[k] ?? 0, ends[k] ?? 0), start: starts[k] ?? 0 });
  const textAt = (k: number): string => (k < n ? line.slice(starts[k] ?? 0, ends[k] ?? 0) : '');
  const missing = (what: string): RowError => ({ error: `${what} column missing`, at: line.trimEnd().length });

  let num: Word | undefined;
  let pkts: Word | undefined;
  let bytes: Word | undefined;
  if (layout.num) {
    if (i >= n) return missing('num');
    num = word(i++);
  }
  if (layout.counters) {
    if (i >= n) return missing('pkts');
    pkts = word(i++);
    if (i >= n) return missing('bytes');
    bytes = word(i++);
  }
  let target: Word | undefined;
  if (!targetIsEmpty(line, layout, i, n, textAt, num, bytes)) {
    if (i >= n) return missing('target');
    target = word(i++);
  }
  if (i >= n) return missing('prot');
  const prot = word(i++);
  if (isOptColumn(prot.text)) return { error: `"${prot.text}" where the protocol belongs`, at: prot.start };
  let opt: Word | undefined;
  if (layout.opt && i < n && isOptColumn(textAt(i))) opt = word(i++);
  let inIf: Word | undefined;
  let outIf: Word | undefined;
  if (layout.via) {
    if (i >= n) return missing('in');
    inIf = word(i++);
    if (i >= n) return missing('out');
    outIf = word(i++);
  }
  if (i >= n) return missing('source');
  const source = word(i++);
  if (i >= n) return missing('destination');
  const destination = word(i++);
  const matchStart = i < n ? (starts[i] ?? line.length) : line.length;
  return { num, pkts, bytes, target, prot, opt, in: inIf, out: outIf, source, destination, matchStart };
}

function targetIsEmpty(
  line: string,
  layout: Layout,
  i: number,
  n: number,
  textAt: (k: number) => string,
  num: Word | undefined,
  bytes: Word | undefined,
): boolean {
  // With an opt column: `prot opt` when the target is empty, `target prot opt` otherwise.
  if (i + 1 < n && isOptColumn(textAt(i + 1))) return true;
  if (i + 2 < n && isOptColumn(textAt(i + 2))) return false;
  // No opt values (old ip6tables): an empty target leaves blanks where its column starts.
  if (bytes !== undefined) return isBlank(line.charCodeAt(bytes.start + bytes.text.length + 1));
  if (num !== undefined) {
    const end = num.start + num.text.length;
    return skipBlanks(line, end) - end > Math.max(1, 5 - num.text.length);
  }
  return skipBlanks(line, 0) > layout.indent;
}
