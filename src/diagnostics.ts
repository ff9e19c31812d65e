/**
 * Diagnostics: every problem with an input is reported as one of these, never as an exception
 * that reaches the user. They print as `file:line:col: severity CODE: message`.
 */

import { escapeControls } from './display-text.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  code: string;
  message: string;
}

/** One diagnostic on one line; controls in the file name and the message are escaped, so it stays one line. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${escapeControls(d.file)}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${escapeControls(d.message)}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, so reports are stable. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column,
  );
}

