import { expect } from 'vitest';
import type { IptablesRuleSet, RuleSet } from '../../ast/types.js';
import { parseDump } from '../../grammar/detect.js';
import { IptCode } from '../../grammar/iptables-save/codes.js';
import { CASE_FILE } from './rule-tester.js';

/**
 * Pasted excerpts as rule test inputs, built the way real pastes look: rule lines cut out of an
 * `iptables-save` dump (`iptables-save | grep …`), a dump cut off before its COMMIT, a listing.
 * Each keeps its text too, so findings end where their lines end.
 */

/** What the parsers say of rule lines cut out of an iptables-save dump. */
export const GREP_EXCERPT = "no '*nat' line and no COMMIT";

/** The note a rule gives on an excerpt of table `table` made by `excerpt`. */
export function excerptNote(table = 'nat', why = GREP_EXCERPT): string {
  return `not judged: table ${table} is an excerpt (${why})`;
}

/**
 * Text read as `rulec lint` reads it, whatever the parser says of it (an excerpt draws warnings:
 * chains used but not declared, a table named by inference, a missing COMMIT), as long as it is
 * read: no error besides a missing COMMIT.
 */
export function asPasted(text: string, file: string = CASE_FILE): { code: string; ruleSet: RuleSet } {
  const parsed = parseDump(text, file);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error' && d.code !== IptCode.noCommit);
  expect(errors, 'the paste must be readable').toEqual([]);
  const [ruleSet, ...more] = parsed.ruleSets;
  if (ruleSet === undefined || more.length > 0) throw new Error('a paste for a rule test holds one rule set');
  return { code: text, ruleSet };
}

/**
 * Rule lines cut out of an iptables-save dump (no `*nat` line, no COMMIT), with every table
 * marked as an excerpt (`Table.excerpt = why`), as the parsers mark such text.
 */
export function excerpt(text: string, why: string = GREP_EXCERPT, file: string = CASE_FILE): { code: string; ruleSet: IptablesRuleSet } {
  const { ruleSet } = asPasted(text, file);
  if (ruleSet.kind !== 'iptables') throw new Error('an excerpt holds an iptables rule set');
  for (const t of ruleSet.tables) t.excerpt = why;
  return { code: text, ruleSet };
}

/**
 * A lossy paste as if it were exact: what a rule would say if it trusted the names and the
 * missing matches of a listing (to show that it does not).
 */
export function asExact<T extends { ruleSet: RuleSet }>(paste: T): T {
  return { ...paste, ruleSet: { ...paste.ruleSet, fidelity: 'exact' } };
}

/**
 * The same rule lines as a whole iptables-save dump of one table: `*table`, a declaration line
 * for each chain the lines append to (in the order they first do), the lines, COMMIT. A line k
 * of the excerpt is line k + 1 + (the number of chains) of the dump.
 */
export function asDump(lines: string, table = 'nat'): string {
  const rules = lines.split('\n').filter((l) => l.trim() !== '');
  const chains: string[] = [];
  for (const l of rules) {
    const name = /^-A (\S+)/.exec(l)?.[1];
    if (name !== undefined && !chains.includes(name)) chains.push(name);
  }
  return [`*${table}`, ...chains.map((c) => `:${c} - [0:0]`), ...rules, 'COMMIT', ''].join('\n');
}
