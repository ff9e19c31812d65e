import { escapeControls, trimTrailingSpaces } from '../../display-text.js';
import { displayPath } from './github.js';
import { entriesOf, tally, type FormatInput, type NoteEntry, type Problem } from './problems.js';

/**
 * `--format stylish` (the default), after ESLint's: problems grouped under their file, one per
 * line with aligned columns, then a summary; coloured when writing to a terminal. The notes of
 * rules that could not judge part of an input are listed with them and counted apart: they are
 * not problems.
 */
export function formatStylish(input: FormatInput): string {
  const entries = entriesOf(input);
  if (entries.length === 0) return '';
  const c = colors(input.color);
  const byFile = new Map<string, (Problem | NoteEntry)[]>();
  for (const p of entries) {
    const list = byFile.get(p.file);
    if (list) list.push(p);
    else byFile.set(p.file, [p]);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push(`\n${c.underline(escapeControls(displayPath(file, input.cwd)))}\n`);
    const rows = list.map((p) => [`${p.line}:${p.column}`, p.severity, escapeControls(p.message), escapeControls(p.ruleId)] as const);
    const w0 = widest(rows, 0);
    const w1 = widest(rows, 1);
    const w2 = widest(rows, 2);
    for (const [pos, severity, message, id] of rows) {
      const sev = severity === 'error' ? c.red(severity.padEnd(w1)) : severity === 'warning' ? c.yellow(severity.padEnd(w1)) : c.dim(severity.padEnd(w1));
      out.push(`${trimTrailingSpaces(`  ${c.dim(pos.padEnd(w0))}  ${sev}  ${message.padEnd(w2)}  ${c.dim(id)}`)}\n`);
    }
  }
  const { errors, warnings } = tally(entries);
  const total = errors + warnings;
  const notes = entries.length - total;
  out.push('\n');
  if (total > 0) {
    const summary = `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
    out.push(`${errors > 0 ? c.boldRed(summary) : c.boldYellow(summary)}\n`);
  }
  // Notes are what rules could not judge, and (RC109) which kube-proxy release a dump was read as.
  const notJudged = entries.filter((e) => e.severity === 'note' && e.message.startsWith('not judged')).length;
  if (notes > 0) {
    const what =
      notJudged < notes
        ? `${notes} note${notes === 1 ? '' : 's'} (not ${notes === 1 ? 'a problem' : 'problems'})`
        : notes === 1
          ? '1 note (a rule could not judge part of an input; not a problem)'
          : `${notes} notes (rules could not judge parts of the inputs; not problems)`;
    out.push(`${c.dim(what)}\n`);
  }
  return out.join('');
}

/** The longest text in a column (a loop: a spread of many thousand rows overflows the stack). */
function widest(rows: readonly (readonly string[])[], column: number): number {
  let w = 0;
  for (const r of rows) w = Math.max(w, (r[column] ?? '').length);
  return w;
}

function colors(on: boolean) {
  const wrap = (open: string, close: string) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    underline: wrap('4', '24'),
    dim: wrap('2', '22'),
    red: wrap('31', '39'),
    yellow: wrap('33', '39'),
    boldRed: (s: string) => wrap('1', '22')(wrap('31', '39')(s)),
    boldYellow: (s: string) => wrap('1', '22')(wrap('33', '39')(s)),
  };
}

/**
 * Whether to colour: on a terminal, unless `NO_COLOR` is set to anything non-empty
 * (no-color.org); `FORCE_COLOR` (non-empty, not `0`) forces it.
 */
export function useColor(isTTY: boolean, env: Record<string, string | undefined>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}
