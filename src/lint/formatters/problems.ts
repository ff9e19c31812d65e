import type { Diagnostic } from '../../diagnostics.js';
import type { Finding, LintRule } from '../types.js';

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

/** Counts of errors and warnings. */
export function tally(problems: readonly Problem[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const p of problems) {
    if (p.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}
