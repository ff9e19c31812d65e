import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { canRunKernel, loadAndSave } from '../support/kernel.js';
import { vectors } from '../support/vectors.js';

/**
 * Every vector's compiled output is loaded for real (not only `--test`, which accepts jumps to
 * chains that do not exist) by both iptables backends, inside a private network namespace, and
 * the dump holds exactly as many rules as were written.
 */
const BACKENDS = ['nft', 'legacy'] as const;

function countRules(text: string): number {
  return text.split('\n').filter((l) => l.startsWith('-A ')).length;
}

describe.each(BACKENDS)('real iptables-%s-restore load', (backend) => {
  for (const v of vectors('iptables')) {
    for (const ext of Object.keys(v.expected)) {
      const v6 = ext === 'ip6tables';
      const tool = `${v6 ? 'ip6tables' : 'iptables'}-${backend}-restore`;
      it.skipIf(!canRunKernel(tool, 'nfacct'))(`${v.name} (${ext}) with and without hooks`, async () => {
        for (const hooks of [[], ['--with-hooks']]) {
          const r = await runCli(['compile', '--mode', 'iptables', ...(v6 ? ['--family', 'ipv6'] : []), ...hooks, ...v.flags, v.input]);
          expect(r.code).toBe(0);
          const loaded = loadAndSave(tool, r.stdout);
          expect(loaded.stderr).toBe('');
          expect(loaded.status).toBe(0);
          expect(countRules(loaded.stdout)).toBe(countRules(r.stdout));
        }
      });
    }
  }
});

/**
 * `rulec compile --as-saved` prints exactly what iptables-save (nf_tables backend) prints after
 * loading the compiled rules, header comments aside.
 */
describe('compile --as-saved equals the kernel dump', () => {
  for (const v of vectors('iptables')) {
    for (const ext of Object.keys(v.expected)) {
      const v6 = ext === 'ip6tables';
      const tool = `${v6 ? 'ip6tables' : 'iptables'}-nft-restore`;
      it.skipIf(!canRunKernel(tool, 'nfacct'))(`${v.name} (${ext})`, async () => {
        const family = v6 ? ['--family', 'ipv6'] : [];
        const compiled = await runCli(['compile', '--mode', 'iptables', ...family, ...v.flags, v.input]);
        const saved = await runCli(['compile', '--mode', 'iptables', '--as-saved', ...family, ...v.flags, v.input]);
        expect(saved.code).toBe(0);
        const dump = loadAndSave(tool, compiled.stdout);
        expect(dump.status).toBe(0);
        const stripped = dump.stdout.split('\n').filter((l) => !l.startsWith('#')).join('\n');
        expect(saved.stdout).toBe(stripped);
      });
    }
  }
});
