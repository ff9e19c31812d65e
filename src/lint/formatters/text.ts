import { escapeControls } from '../../display-text.js';
import type { Finding, Note } from '../types.js';

/** One finding (or note) on one line: `file:line:col: severity rule-id: message`. */
export function formatFinding(f: Finding | Note): string {
  return `${escapeControls(f.file)}:${f.line}:${f.column}: ${f.severity} ${f.ruleId}: ${escapeControls(f.message)}`;
}
