import type { Diagnostic } from '../../diagnostics.js';
import type { Finding, LintRule, Note } from '../types.js';

/**
 * What every formatter prints: the findings of the rules and the problems with the inputs
 * (unreadable dumps, invalid manifests), one list in file and position order. An input problem
 * carries its diagnostic code (`RC291`) where a finding carries its rule id.
 */
export interface Problem extends Finding {
  /** True for an input problem (a diagnostic), false for a rule's finding. */
  input: boolean;
}

export interface FormatInput {
  findings: readonly Finding[];
  diagnostics: readonly Diagnostic[];
  /** What rules could not judge (excerpts, lossy listings): printed, never counted as problems. */
  notes?: readonly Note[];
  /** The rules that ran (their metadata goes into SARIF). */
  rules: readonly LintRule[];
  /** File names are printed relative to it. */
  cwd: string;
  /** Use ANSI colours (stylish). */
  color: boolean;
  /** rulec's version, for SARIF's tool.driver. */
  version: string;
}

export function problemsOf(input: Pick<FormatInput, 'findings' | 'diagnostics'>): Problem[] {
  const out: Problem[] = input.findings.map((f) => ({ ...f, input: false }));
  for (const d of input.diagnostics) {
    if (d.severity === 'note') continue;
    out.push({
      file: d.file,
      line: d.line,
      column: d.column,
      endLine: d.line,
      endColumn: d.column,
      ruleId: d.code,
      severity: d.severity,
      message: d.message,
      input: true,
    });
  }
  return out.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}

/** A note as a report prints it: a line of its own, at a point, never a problem. */
export interface NoteEntry extends Note {
  endLine: number;
  endColumn: number;
  input: false;
}

/** What a report lists: the problems, then the rules' notes, together in file and position order. */
export function entriesOf(input: Pick<FormatInput, 'findings' | 'diagnostics' | 'notes'>): (Problem | NoteEntry)[] {
  const problems: (Problem | NoteEntry)[] = problemsOf(input);
  const notes = input.notes ?? [];
  if (notes.length === 0) return problems;
  for (const n of notes) problems.push({ ...n, endLine: n.line, endColumn: n.column, input: false });
  return problems.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === 'note' ? 1 : 0) - (b.severity === 'note' ? 1 : 0) ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}

/** Counts of errors and warnings (notes are neither). */
export function tally(problems: readonly Pick<Problem | NoteEntry, 'severity'>[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const p of problems) {
    if (p.severity === 'error') errors++;
    else if (p.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}
