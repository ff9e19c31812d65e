import { describe, expect, it } from 'vitest';
import { fuzzTarget } from './fuzz.js';
import { fuzzTargets } from './targets.js';

// A bounded run of every fuzz target in every test run; `npm run fuzz` runs a million cases each.
const CASES = Number(process.env.RULEC_FUZZ_CASES ?? 150);
const SEED = Number(process.env.RULEC_FUZZ_SEED ?? 20261207);

describe('fuzzing the readers', () => {
  const targets = fuzzTargets();

  it('has a target for the manifests, for detection and for every grammar', () => {
    expect(targets.map((t) => t.name)).toEqual([
      'manifests', 'detect', 'iptables-save', 'ipvsadm-list', 'iptables-list', 'ipset-list', 'ipset-save', 'nft', 'ipvsadm-save', 'iptables-rules',
    ]);
  });

  for (const target of targets) {
    it(`${target.name}: ${CASES} mutated inputs, no exception, no case over 5 s, every diagnostic well formed`, () => {
      const report = fuzzTarget(target, { cases: CASES, seed: SEED });
      const failures = report.failures.map((f) => `case ${f.caseIndex} (${f.kind}): ${f.detail.split('\n')[0]}`);
      expect(failures).toEqual([]);
      expect(report.cases).toBe(CASES);
    }, 300_000);
  }
});
