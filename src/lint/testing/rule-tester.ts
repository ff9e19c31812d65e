import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../../ast/types.js';
import { defaultConfig, type LintSettings } from '../config/types.js';
import { lint, type LintInput } from '../runner.js';
import type { Finding, LintRule, Note } from '../types.js';

/**
 * ESLint's RuleTester for rulec: each rule's test lists inputs where it must stay silent and
 * inputs where it must fire, with every expected finding's message, line and column.
 *
 * An input is a dump (any format rulec detects) for rule-set rules, or YAML manifests for
 * manifest rules; it is read exactly as `rulec lint` reads a file. `manifests` gives reference manifests (`--manifests`).
 * Every case also lists the notes the rule gives (it could not judge part of an excerpt or a
 * lossy listing): none unless `notes` says.
 */

export interface ExpectedFinding {
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Defaults to the file of the case. */
  file?: string;
}

/** A note the rule must give: where it points and its whole message (`not judged: …`). */
export interface ExpectedNote {
  message: string;
  line: number;
  column: number;
  /** Defaults to the file of the case. */
  file?: string;
}

export interface TestCase {
  /** What the case shows. */
  name: string;
  /** The input's text (a dump or manifests)… */
  code?: string;
  /** …or a rule set built in memory (for what no parser produces); with `code`, the text it was read from. */
  ruleSet?: RuleSet;
  manifests?: string;
  settings?: Partial<LintSettings>;
  /** The notes the rule gives on the case, in order (none when absent). */
  notes?: ExpectedNote[];
}

export interface InvalidCase extends TestCase {
  errors: ExpectedFinding[];
}

export const CASE_FILE = 'input.txt';
export const MANIFESTS_FILE = 'manifests.yaml';

/** Runs one rule over one case and returns its findings (and fails on unreadable input). */
export function runCase(rule: LintRule, c: TestCase): Finding[] {
  return runCaseWithNotes(rule, c).findings;
}

/** Runs one rule over one case: its findings and its notes (and fails on unreadable input). */
export function runCaseWithNotes(rule: LintRule, c: TestCase): { findings: Finding[]; notes: Note[] } {
  const config = defaultConfig();
  Object.assign(config.settings, c.settings ?? {});
  const input: LintInput = c.ruleSet ? { file: CASE_FILE, ruleSet: c.ruleSet } : { file: CASE_FILE, text: c.code ?? '' };
  if (c.ruleSet && c.code !== undefined) input.text = c.code;
  const result = lint([input], config, {
    rules: [rule],
    ...(c.manifests !== undefined ? { manifests: [{ file: MANIFESTS_FILE, text: c.manifests }] } : {}),
  });
  expect(result.diagnostics.filter((d) => d.severity !== 'note'), 'the test input must be readable').toEqual([]);
  return { findings: result.findings, notes: result.notes };
}

/** Checks a case's notes against those it expects, as `file:line:col: note rule-id: message` lines. */
function expectNotes(rule: LintRule, c: TestCase, got: readonly Note[]): void {
  const id = rule.meta.id;
  expect(
    got.map((n) => `${n.file}:${n.line}:${n.column}: ${n.severity} ${n.ruleId}: ${n.message}`),
    'the notes of the case',
  ).toEqual((c.notes ?? []).map((n) => `${n.file ?? CASE_FILE}:${n.line}:${n.column}: note ${id}: ${n.message}`));
}

export function ruleTester(rule: LintRule, cases: { valid: TestCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    it('has cases of both kinds', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const { findings, notes } = runCaseWithNotes(rule, c);
        expect(findings.map(show)).toEqual([]);
        expectNotes(rule, c, notes);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const { findings: got, notes } = runCaseWithNotes(rule, c);
        expectNotes(rule, c, notes);
        expect(got.map((f) => f.ruleId)).toEqual(c.errors.map(() => rule.meta.id));
        const want = c.errors.map((e) => ({
          file: e.file ?? CASE_FILE,
          line: e.line,
          column: e.column,
          message: e.message,
          ...(e.endLine !== undefined ? { endLine: e.endLine } : {}),
          ...(e.endColumn !== undefined ? { endColumn: e.endColumn } : {}),
        }));
        const actual = got.map((f, i) => {
          const e = c.errors[i];
          return {
            file: f.file,
            line: f.line,
            column: f.column,
            message: f.message,
            ...(e?.endLine !== undefined ? { endLine: f.endLine } : {}),
            ...(e?.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
          };
        });
        expect(actual).toEqual(want);
        for (const f of got) expect(f.severity).toBe(rule.meta.severity);
      });
    }
  });
}

function show(f: Finding): string {
  return `${f.file}:${f.line}:${f.column} ${f.message}`;
}

/**
 * Drops the indentation of a template literal (that of its first line, from every line that has
 * it), so cases can be indented and interpolated lines need none.
 */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  const indent = /^ */.exec(firstLine)?.[0] ?? '';
  return lines.map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart())).join('\n');
}
