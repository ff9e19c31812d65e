import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';

/**
 * IPVS-mode golden files: each folder holds `args` (the `rulec compile` arguments, from the
 * repository root) and one expected file per emit, compared byte for byte:
 * `expected.ipvs` (--emit ipvsadm), `expected.ipset`, `expected.iptables`, `expected.kube-ipvs0`.
 * `UPDATE_GOLDEN=1 npx vitest run test/golden/ipvs` rewrites them after a deliberate change.
 */
const ROOT = 'test/golden/ipvs';
const EMITS: Record<string, string> = { ipvs: 'ipvsadm', ipset: 'ipset', iptables: 'iptables', 'kube-ipvs0': 'kube-ipvs0' };
const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, d.name, 'args')))
  .map((d) => d.name)
  .sort();

describe('IPVS golden compiles', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });
  for (const name of cases) {
    for (const [ext, emit] of Object.entries(EMITS)) {
      it(`${name} (${ext})`, async () => {
        const args = readFileSync(join(ROOT, name, 'args'), 'utf8').trim().split(/\s+/);
        const r = await runCli(['compile', '--emit', emit, ...args]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const file = join(ROOT, name, `expected.${ext}`);
        if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, r.stdout);
        expect(r.stdout).toBe(readFileSync(file, 'utf8'));
      });
    }
  }
});
