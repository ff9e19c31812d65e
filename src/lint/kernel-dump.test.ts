import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileFiles } from '../compiler/index.js';
import { canRunKernel, loadAndSave } from '../../test/support/kernel.js';
import { vectors } from '../../test/support/vectors.js';
import { lint } from './runner.js';
import { defaultConfig } from './config/types.js';
import { formatFinding } from './formatters/text.js';

/**
 * The real thing: compiled rules (with kube-proxy's hooks) are loaded by the real
 * iptables-restore in a private network namespace, dumped with iptables-save (which prints them
 * in its own normalised form: `/32` addresses, kernel probabilities, `--set-xmark`), and the
 * dump is linted against the manifests it came from. No finding of any severity is expected.
 */
const families = [
  { family: 'ipv4', tool: 'iptables-nft-restore' },
  { family: 'ipv6', tool: 'ip6tables-nft-restore' },
] as const;

describe('lint of iptables-save output from the kernel', () => {
  for (const { family, tool } of families) {
    for (const v of vectors('iptables')) {
      if (family === 'ipv6' && !v.expected.ip6tables) continue;
      it.skipIf(!canRunKernel(tool, tool.replace('-restore', '-save')))(`${v.name} (${family})`, () => {
        const compiled = compileFiles([v.input], { flags: { family }, withHooks: true });
        if (!compiled.text) throw new Error('no output');
        const loaded = loadAndSave(tool, compiled.text);
        expect(loaded.stderr).toBe('');
        expect(loaded.status).toBe(0);
        const r = lint([{ file: `${v.name}.saved`, text: loaded.stdout }], defaultConfig(), {
          manifests: [{ file: v.input, text: readFileSync(v.input, 'utf8') }],
        });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(r.findings.map(formatFinding)).toEqual([]);
      });
    }
  }
});
