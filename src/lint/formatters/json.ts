import { escapeJsonText } from '../../display-text.js';
import { entriesOf, type FormatInput } from './problems.js';

/**
 * `--format json`: an array of `{file, line, column, endLine, endColumn, ruleId, severity,
 * message}`, one per finding and input problem (whose `ruleId` is its diagnostic code), and one
 * per note of a rule that could not judge part of an input (`severity: "note"`).
 */
export function formatJson(input: FormatInput): string {
  const out = entriesOf(input).map((p) => ({
    file: p.file,
    line: p.line,
    column: p.column,
    endLine: p.endLine,
    endColumn: p.endColumn,
    ruleId: p.ruleId,
    severity: p.severity,
    message: p.message,
  }));
  return `${escapeJsonText(JSON.stringify(out, null, 2))}\n`;
}
