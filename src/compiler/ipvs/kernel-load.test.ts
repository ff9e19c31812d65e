import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { canRunKernel, inNamespace } from '../../../test/support/kernel.js';
import { vectors } from '../../../test/support/vectors.js';

/**
 * Every IPVS compile (the conformance vectors and the golden cases) is loaded for real: its
 * `--emit ipset` text into `ipset restore`, then its `--emit iptables` payload (with and without
 * the hooks) into `iptables-restore --noflush` of both backends, inside a private network
 * namespace (`unshare -n`). The dumps must hold every set, member and rule that was written.
 *
 * The IPVS virtual servers themselves cannot be loaded: this kernel has no IPVS. Nor does it
 * have the xt_ipvs match that KUBE-IPVS-OUT-FILTER's rules use (`-m ipvs`); when a probe shows it
 * missing, those rules (and only those) are left out of the load and counted separately.
 */

interface Case {
  name: string;
  args: string[];
}

const GOLDEN = 'test/golden/ipvs';
const cases: Case[] = [
  ...vectors('ipvs').map((v) => ({ name: `vector ${v.name}`, args: ['--mode', 'ipvs', ...v.flags, v.input] })),
  ...readdirSync(GOLDEN, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(GOLDEN, d.name, 'args')))
    .map((d) => ({ name: `golden ${d.name}`, args: readFileSync(join(GOLDEN, d.name, 'args'), 'utf8').trim().split(/\s+/).filter((a) => a !== '--with-hooks') })),
];

const BACKENDS = ['nft', 'legacy'] as const;
const ready = canRunKernel('ipset', 'iptables-nft-restore', 'ip6tables-nft-restore', 'iptables-legacy-restore', 'ip6tables-legacy-restore');
const work = mkdtempSync(join(tmpdir(), 'rulec-ipvs-kernel-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Whether `-m ipvs` loads here (it needs the xt_ipvs module). */
function ipvsMatchLoads(tool: string): boolean {
  const probe = '*filter\n:P - [0:0]\n-A P -m ipvs --vaddr 10.0.0.1 --vproto tcp --vport 80 -j DROP\nCOMMIT\n';
  return inNamespace(`${tool} --noflush`, probe).status === 0;
}

const rules = (text: string) => text.split('\n').filter((l) => l.startsWith('-A '));
const ipvsMatch = (line: string) => / -m ipvs /.test(line);
const count = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix)).length;

describe.each(BACKENDS)('ipset restore + iptables-%s-restore load', (backend) => {
  for (const c of cases) {
    it.skipIf(!ready)(`${c.name}`, async () => {
      const ipset = await runCli(['compile', '--emit', 'ipset', ...c.args]);
      expect(ipset.code).toBe(0);
      for (const hooks of [[], ['--with-hooks']]) {
        const payload = await runCli(['compile', '--emit', 'iptables', ...hooks, ...c.args]);
        expect(payload.code).toBe(0);
        const v6 = payload.stdout.includes('-A KUBE-SERVICES -s ::1/128 -j RETURN\n');
        const tool = `${v6 ? 'ip6tables' : 'iptables'}-${backend}-restore`;
        const written = rules(payload.stdout);
        const loadable = ipvsMatchLoads(tool) ? payload.stdout : payload.stdout.split('\n').filter((l) => !ipvsMatch(l)).join('\n');
        const setsFile = join(work, `${backend}.ipset`);
        const rulesFile = join(work, `${backend}.rules`);
        writeFileSync(setsFile, ipset.stdout);
        writeFileSync(rulesFile, loadable);
        const saveTool = tool.replace('-restore', '-save');
        const r = inNamespace(`ipset restore < "${setsFile}" && ${tool} --noflush < "${rulesFile}" && ipset save && echo '# rules' && ${saveTool}`);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const [sets = '', dump = ''] = r.stdout.split('# rules\n');
        expect(count(sets, 'create ')).toBe(17);
        expect(count(sets, 'add ')).toBe(count(ipset.stdout, 'add '));
        expect(rules(dump).length).toBe(rules(loadable).length);
        expect(rules(loadable).length + written.filter(ipvsMatch).length).toBe(written.length);
      }
    });
  }
});
