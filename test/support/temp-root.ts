/**
 * vitest's global setup: every test process gets one temporary folder of its own as TMPDIR, and
 * the folder goes when the run ends, so a run leaves nothing in the system's temporary folder
 * whatever a test or a program it starts forgets to remove.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'rulec-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
