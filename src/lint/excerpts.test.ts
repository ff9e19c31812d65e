import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IptablesRuleSet } from '../ast/types.js';
import { parseDump } from '../grammar/detect.js';
import { vectors } from '../../test/support/vectors.js';
import { defaultConfig } from './config/types.js';
import { formatFinding } from './formatters/text.js';
import { lint, type LintInput } from './runner.js';
import { asDump, excerpt, excerptNote } from './testing/excerpt.js';
import { CASE_FILE } from './testing/rule-tester.js';
import type { LintResult } from './runner.js';

/**
 * A finding must be true of the node, not of the paste: every rule over pasted excerpts of dumps
 * that are clean as a whole gives no finding, and says at most once per file that it could not
 * judge; the same lines as a whole dump are judged as before.
 */

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/dumps/iptables');
const run = (inputs: LintInput[], manifests?: string): LintResult =>
  lint(inputs, defaultConfig(), manifests === undefined ? {} : { manifests: [{ file: 'manifests.yaml', text: manifests }] });
const notesPerRule = (r: LintResult): Map<string, number> => {
  const count = new Map<string, number>();
  for (const n of r.notes) count.set(`${n.file} ${n.ruleId}`, (count.get(`${n.file} ${n.ruleId}`) ?? 0) + 1);
  return count;
};

/** The rule lines of one table of an iptables-save dump, in order. */
function ruleLines(dump: string, table: string): string[] {
  const at = dump.indexOf(`*${table}\n`);
  if (at < 0) return [];
  const text = dump.slice(at);
  return text.slice(0, text.indexOf('\nCOMMIT')).split('\n').filter((l) => l.startsWith('-A '));
}

/** A small deterministic generator (mulberry32), so that every run cuts the same excerpts. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Excerpts as `grep` cuts them out of a dump: the lines of each service (by its comment), of
 * each chain, every DNAT rule, and random selections that keep the order of the lines.
 */
function grepExcerpts(lines: readonly string[], seed: number): string[][] {
  const out: string[][] = [lines.slice()];
  const services = new Set(lines.map((l) => /--comment "?([\w.-]+\/[\w.-]+)/.exec(l)?.[1]).filter((x): x is string => x !== undefined));
  for (const s of services) out.push(lines.filter((l) => l.includes(s)));
  const chains = new Set(lines.map((l) => l.split(' ')[1] as string));
  for (const c of chains) out.push(lines.filter((l) => l.includes(c)));
  out.push(lines.filter((l) => l.includes('DNAT')));
  const next = random(seed);
  for (const keep of [0.2, 0.5, 0.8, 0.95]) for (let k = 0; k < 4; k++) out.push(lines.filter(() => next() < keep));
  return out.filter((x) => x.length > 0);
}

describe('excerpts of clean dumps', () => {
  const clean = vectors('iptables').filter((v) => v.expected.iptables !== undefined && !v.name.startsWith('derived-large-cluster'));
  for (const [i, v] of clean.entries()) {
    const dump = readFileSync(v.expected.iptables as string, 'utf8');
    const whole = run([{ file: CASE_FILE, text: dump }]);
    it.skipIf(whole.findings.length > 0)(`${v.name}: no finding from any rule on any grep excerpt of its nat or filter table`, () => {
      const pastes = [...grepExcerpts(ruleLines(dump, 'nat'), i + 1), ...grepExcerpts(ruleLines(dump, 'filter'), i + 101)];
      for (const lines of pastes) {
        const text = `${lines.join('\n')}\n`;
        const marked = run([{ file: CASE_FILE, ...excerpt(text) }]);
        expect(marked.findings.map(formatFinding), text).toEqual([]);
        expect([...notesPerRule(marked).values()].every((n) => n === 1)).toBe(true);
        // As the parser reads it, without the mark: lines with no -P line are an excerpt too.
        const raw = run([{ file: CASE_FILE, text }]);
        expect(raw.findings.map(formatFinding), text).toEqual([]);
      }
    });
  }
});

describe('excerpts as the parser reads them', () => {
  it('iptables -t nat -S KUBE-SERVICES: the chains it jumps to are not dangling, each rule notes once', () => {
    const r = run([{ file: 'services.rules', text: readFileSync(join(FIXTURES, 'nat-kube-services.rules'), 'utf8') }]);
    expect(r.findings.map(formatFinding)).toEqual([]);
    expect(r.notes.map((n) => n.ruleId)).toEqual(['dangling-jump', 'nodeports-not-last', 'unused-chain']);
    for (const n of r.notes) {
      expect(n).toMatchObject({ file: 'services.rules', line: 1, column: 1, severity: 'note' });
      expect(n.message).toMatch(/^not judged: table nat is an excerpt \(/);
    }
  });

  it('rule lines cut out of an iptables-save dump, parsed as they are: notes, and the planted fault', () => {
    const SVC = 'KUBE-SVC-XPGD46QRK7WJZT7O';
    const text = [
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${SVC}`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.9000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j KUBE-SEP-LXVODXWDISEETFEF`,
      '',
    ].join('\n');
    const r = run([{ file: 'paste.txt', text }]);
    const column = (text.split('\n')[1] ?? '').indexOf('--probability') + 1;
    expect(r.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual([`2:${column} probability-cascade`]);
    expect([...notesPerRule(r).values()].every((n) => n === 1)).toBe(true);
    expect(r.notes.map((n) => n.ruleId)).toEqual(['dangling-jump', 'nodeports-not-last', 'unused-chain']);
    // The same lines in a whole dump: every absence is judged.
    const dump = run([{ file: 'dump.txt', text: asDump(text) }]);
    expect(dump.notes).toEqual([]);
    expect(dump.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['5 probability-cascade', '5 dangling-jump', '6 dangling-jump']);
  });

  it('a dump cut off before COMMIT: what it shows whole is judged, what it cuts is not', () => {
    const text = readFileSync(vectors('iptables').find((v) => v.name === 'overall-iptables-rules')?.expected.iptables ?? '', 'utf8');
    const cut = text.slice(0, text.lastIndexOf('-A KUBE-SEP-'));
    const r = run([{ file: 'cut.txt', text: cut }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['RC201']);
    expect(r.findings.map(formatFinding)).toEqual([]);
    for (const n of r.notes) expect(n.message).toBe('not judged: table nat is an excerpt (no COMMIT: the text stops inside the table)');
  });
});

describe('one note per rule and file', () => {
  it('two excerpts of one file give each rule one note, with both reasons', () => {
    const nat = excerpt('-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O\n');
    const filter = excerpt('-A FORWARD -j KUBE-FORWARD\n', 'one chain listed');
    const rs = filter.ruleSet as IptablesRuleSet;
    for (const t of rs.tables) t.name = 'filter';
    const r = run([
      { file: CASE_FILE, ruleSet: nat.ruleSet },
      { file: CASE_FILE, ruleSet: { ...rs, family: 'ipv6' } },
    ]);
    expect(r.findings).toEqual([]);
    expect(r.notes.filter((n) => n.ruleId === 'dangling-jump')).toEqual([
      {
        file: CASE_FILE,
        line: 1,
        column: 1,
        ruleId: 'dangling-jump',
        severity: 'note',
        message: `${excerptNote()}; table filter is an excerpt (one chain listed)`,
      },
    ]);
  });

  it('parses `*nat … COMMIT` dumps and finds faults normally, with no note', () => {
    const parsed = parseDump(asDump('-A KUBE-SERVICES -j KUBE-SVC-XPGD46QRK7WJZT7O\n'), 'x');
    expect(parsed.diagnostics).toEqual([]);
    const r = run([{ file: 'x', text: asDump('-A KUBE-SERVICES -j KUBE-SVC-XPGD46QRK7WJZT7O\n') }]);
    expect(r.notes).toEqual([]);
    expect(r.findings.map(formatFinding)).toEqual(['x:3:18: error dangling-jump: -j KUBE-SVC-XPGD46QRK7WJZT7O: table nat has no chain KUBE-SVC-XPGD46QRK7WJZT7O']);
  });
});
