import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

/**
 * Golden files: each folder holds `args` (the `rulec compile` arguments the golden was made
 * with, from the repository root) and `expected.iptables` (or `expected.nft` for nftables
 * mode), compared byte for byte.
 * `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites them after a deliberate change.
 */
const ROOT = 'test/golden';
const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, d.name, 'args')))
  .map((d) => d.name)
  .sort();

describe('golden compiles of the examples', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });
  for (const name of cases) {
    it(name, async () => {
      const args = readFileSync(join(ROOT, name, 'args'), 'utf8').trim().split(/\s+/);
      const r = await runCli(['compile', ...args]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const nft = join(ROOT, name, 'expected.nft');
      const file = existsSync(nft) ? nft : join(ROOT, name, 'expected.iptables');
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, r.stdout);
      expect(r.stdout).toBe(readFileSync(file, 'utf8'));
    });
  }
});
