import { relative, sep } from 'node:path';
import { escapeControls } from '../../display-text.js';
import { entriesOf, type FormatInput } from './problems.js';

/**
 * `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
 * on the pull request: `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=ID::message`.
 * A note of a rule that could not judge part of an input is a `::notice`.
 */
const COMMANDS = { error: 'error', warning: 'warning', note: 'notice' } as const;

export function formatGithub(input: FormatInput): string {
  const lines: string[] = [];
  for (const p of entriesOf(input)) {
    const props = [
      `file=${escapeProperty(displayPath(p.file, input.cwd))}`,
      `line=${p.line}`,
      `col=${p.column}`,
      `endLine=${p.endLine}`,
      `endColumn=${p.endColumn}`,
      `title=${escapeProperty(`rulec ${p.ruleId}`)}`,
    ];
    lines.push(`::${COMMANDS[p.severity]} ${props.join(',')}::${escapeData(`${p.message} (${p.ruleId})`)}\n`);
  }
  return lines.join('');
}

/**
 * The escaping of `@actions/core` for a command's message (`%`, CR and LF as `%25`, `%0D`,
 * `%0A`), and every other control escaped as in all text rulec prints.
 */
export function escapeData(s: string): string {
  return escapeControls(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** The escaping of `@actions/core` for a command's property values. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function displayPath(file: string, cwd: string): string {
  if (file.startsWith('<') || !file.startsWith('/')) return file;
  const rel = relative(cwd, file);
  return rel.startsWith('..') ? file : rel.split(sep).join('/');
}
