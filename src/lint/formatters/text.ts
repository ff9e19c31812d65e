import { escapeControls } from '../../display-text.js';
import type { Finding } from '../types.js';

/** One finding on one line: `file:line:col: severity rule-id: message`. */
export function formatFinding(f: Finding): string {
  return `${escapeControls(f.file)}:${f.line}:${f.column}: ${f.severity} ${f.ruleId}: ${escapeControls(f.message)}`;
}
