import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFiles } from '../compiler/index.js';
import { vectors } from '../../test/support/vectors.js';
import { withPrintedPositions } from './inputs/compiled.js';
import { lint } from './runner.js';
import { defaultConfig } from './config/types.js';
import { ALL_RULES } from './rules/index.js';
import { formatFinding } from './formatters/text.js';

/**
 * Compiled kube-proxy output is correct by definition: linting it must give no finding at error
 * severity, for every conformance vector (both families) and every example.
 */

function lintCompiled(paths: string[], family: 'ipv4' | 'ipv6', withHooks = false) {
  const compiled = compileFiles(paths, { flags: { family }, withHooks });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!compiled.ruleSet || !compiled.settings) throw new Error('no rule set');
  const { ruleSet, text } = withPrintedPositions(compiled.ruleSet, `compiled-${family}.iptables`);
  return lint([{ file: `compiled-${family}.iptables`, ruleSet, text }], defaultConfig(), { proxy: compiled.settings });
}

const errorsOf = (r: ReturnType<typeof lintCompiled>) => r.findings.filter((f) => f.severity === 'error').map(formatFinding);

describe('no errors on compiled conformance vectors', () => {
  const all = vectors('iptables');
  it('finds the vectors', () => expect(all.length).toBeGreaterThanOrEqual(30));
  for (const v of all) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      it(`${v.name} (${family})`, () => {
        const r = lintCompiled([v.input], family);
        expect(r.diagnostics).toEqual([]);
        expect(errorsOf(r)).toEqual([]);
      });
    }
    it(`${v.name} with hooks`, () => {
      const r = lintCompiled([v.input], 'ipv4', true);
      expect(errorsOf(r)).toEqual([]);
    });
  }
});

describe('no errors on the expected dumps of the vectors, compared with their manifests', () => {
  for (const v of vectors('iptables')) {
    for (const ext of ['iptables', 'ip6tables']) {
      const expected = v.expected[ext];
      if (!expected) continue;
      it(`${v.name} (${ext})`, () => {
        const text = readFileSync(expected, 'utf8');
        const r = lint([{ file: expected, text }], defaultConfig(), { manifests: [{ file: v.input, text: readFileSync(v.input, 'utf8') }] });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(r.findings.map(formatFinding)).toEqual([]);
      });
    }
  }
});

describe('no drift between the IPVS vectors and their manifests', () => {
  for (const v of vectors('ipvs')) {
    const expected = v.expected.ipvs;
    if (!expected) continue;
    it(v.name, () => {
      const text = readFileSync(expected, 'utf8');
      const r = lint([{ file: expected, text }], defaultConfig(), { manifests: [{ file: v.input, text: readFileSync(v.input, 'utf8') }] });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.findings.filter((f) => f.ruleId === 'ipvs-drift').map(formatFinding)).toEqual([]);
    });
  }
});

describe('no errors on the examples', () => {
  const root = resolve(import.meta.dirname, '../../examples');
  const entries = existsSync(root) ? readdirSync(root).filter((n) => !n.startsWith('.')) : [];
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.'))
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  // `repository` is a collection of separate inputs (test/examples/repository.test.ts checks it).
  for (const name of entries.filter((n) => n !== 'repository')) {
    const p = join(root, name);
    const manifests = statSync(p).isDirectory() ? files(p).filter((f) => /\.(ya?ml|json)$/.test(f)) : /\.(ya?ml|json)$/.test(p) ? [p] : [];
    if (manifests.length > 0) {
      it(`${name}: compiled`, () => {
        const r = lintCompiled([p], 'ipv4');
        expect(errorsOf(r)).toEqual([]);
      });
    }
  }
  // `*-drifted.*` examples show a node gone wrong on purpose; they are checked below.
  const all = existsSync(root) ? files(root).filter((f) => !/-drifted\./.test(f) && !f.endsWith('.md')) : [];
  for (const file of all) {
    it(`${file.slice(root.length + 1)}: as given`, () => {
      const r = lint([{ file, text: readFileSync(file, 'utf8') }], defaultConfig());
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.findings.filter((f) => f.severity === 'error').map(formatFinding)).toEqual([]);
    });
  }
});

describe('the drifted example', () => {
  it('has exactly the faults the README walk-through shows', () => {
    const file = resolve(import.meta.dirname, '../../examples/dumps/worker-1-drifted.iptables-save');
    const r = lint([{ file: 'worker-1-drifted.iptables-save', text: readFileSync(file, 'utf8') }], defaultConfig());
    expect(r.findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.ruleId}`)).toEqual([
      '62:1 warning stale-sep',
      '137:1 error nodeports-not-last',
    ]);
  });
});

describe('the rule list', () => {
  it('holds exactly the rules of the rulec lint specification', () => {
    expect(ALL_RULES.map((r) => r.meta.id).sort()).toEqual(
      [
        'cluster-ip-not-in-set',
        'clusterip-conflict',
        'clusterip-outside-cidr',
        'dangling-jump',
        'drift',
        'duplicate-rule',
        'empty-service',
        'endpoint-not-ready-only',
        'externalname-with-ports',
        'hash-mismatch',
        'headless-with-nodeport',
        'ipvs-drift',
        'ipvs-duplicate-real-server',
        'ipvs-no-real-servers',
        'ipvs-unknown-scheduler',
        'ipvs-zero-weight',
        'masq-mark-mismatch',
        'missing-hairpin-masq',
        'nodeport-conflict',
        'nodeport-range',
        'nodeports-not-last',
        'numgen-map',
        'port-not-targeted',
        'probability-cascade',
        'replicas-zero-exposed',
        'selector-matches-nothing',
        'selector-other-namespace',
        'selectorless-without-endpoints',
        'service-map-target',
        'shadowed-rule',
        'stale-sep',
        'targetport-unresolved',
        'traffic-policy-conflict',
        'unused-chain',
      ].sort(),
    );
  });
});
