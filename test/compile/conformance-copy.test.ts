import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The vectors the tests read are kept in test/conformance/. Where the shared vectors they are
// copied from sit beside the repository, the copy must be the same (refresh it with
// `node scripts/refresh-conformance.mjs`).
const ROOT = join(import.meta.dirname, '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'conformance');

describe('test/conformance', () => {
  it('holds vectors of every mode and the packet flows', () => {
    for (const dir of ['iptables', 'ipvs', 'nftables', 'trace']) expect(existsSync(join(ROOT, 'test', 'conformance', dir))).toBe(true);
  });

  it.skipIf(!existsSync(SHARED))('is the same as the shared vectors beside the repository', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'refresh-conformance.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
