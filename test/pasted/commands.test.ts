import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

/**
 * Every command takes every paste of the corpus as a person pasted it, from a file and from
 * standard input: no usage error (exit 2), no stack trace. `fmt` prints dumps only and says so
 * for manifests.
 */
const DIR = join(import.meta.dirname, '..', 'fixtures', 'pasted');

const pastes = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.slice(0, -4))
  .filter((n) => !('refused' in (JSON.parse(readFileSync(join(DIR, `${n}.json`), 'utf8')) as object)))
  .sort();

const COMMANDS: readonly (readonly string[])[] = [['parse', '--summary'], ['parse', '--json'], ['explain'], ['explain', '--lang', 'zh'], ['lint'], ['graph'], ['trace', '--dst', '10.96.0.1:443']];

describe('every command on every paste', () => {
  for (const name of pastes) {
    it(name, async () => {
      const file = join(DIR, `${name}.txt`);
      const manifests = (JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as { expect: { format: string } }).expect.format.startsWith('manifest');
      for (const command of COMMANDS) {
        // parse reads dumps; manifests are compiled by the other commands.
        if (manifests && command[0] === 'parse') continue;
        const r = await runCli([...command, file]);
        expect(r.code, `${command.join(' ')}: ${r.stderr}`).toBeLessThan(2);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
      const diff = await runCli(['diff', file, file]);
      expect(diff.code, `diff: ${diff.stderr}`).toBe(0);
      const fromStdin = await runCli(['explain', '-'], readFileSync(file, 'utf8'));
      expect(fromStdin.code, `explain -: ${fromStdin.stderr}`).toBe(0);
      const fmt = await runCli(['fmt', file]);
      if (manifests) {
        expect(fmt.code).toBe(2);
        expect(fmt.stderr).toContain("fmt prints dumps in canonical form, and 'rulec compile' prints the rules of manifests");
      } else {
        expect(fmt.code, `fmt: ${fmt.stderr}`).toBe(0);
        expect(fmt.stdout).not.toBe('');
      }
    });
  }
});
