import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { canRunKernel, loadAndSave, restoreTest } from '../support/kernel.js';
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

/**
 * Every shape of interface name the settings take gives iptables text that rulec's own parser
 * reads back (no RC208), and that iptables-restore loads.
 */
describe('interface names in iptables text', () => {
  const svc =
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort, clusterIP: 172.30.0.10, ports: [{name: http, port: 80, nodePort: 30080}]}\n---\n' +
    'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints: [{addresses: [10.0.1.5]}]\n';
  const names = ['eth0', 'eth0.100', 'veth-a_b', '@pwn', '0x10', 'accept', 'a-j', 'x!', '#x', 'a;b', '{x}', '$v', 'x'.repeat(15)];
  for (const [mode, field, list, written] of [
    ['BridgeInterface', 'bridgeInterface', names, (n: string) => `! -i ${n} `],
    ['InterfaceNamePrefix', 'interfaceNamePrefix', names.map((n) => n.slice(0, 14)), (n: string) => `! -i ${n}+ `],
  ] as const) {
    it(mode, async () => {
      for (const name of list) {
        const cfg = `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\ndetectLocalMode: ${mode}\ndetectLocal: {${field}: ${JSON.stringify(name)}}\n---\n`;
        const r = await runCli(['compile', '--with-hooks', '-'], cfg + svc);
        expect({ name, stderr: r.stderr, code: r.code }).toEqual({ name, stderr: '', code: 0 });
        expect(r.stdout).toContain(written(name));
        const parsed = await runCli(['parse', '-'], r.stdout);
        expect({ name, stderr: parsed.stderr, code: parsed.code }).toEqual({ name, stderr: '', code: 0 });
        if (canRunKernel('iptables-nft-restore', 'nfacct')) {
          const loaded = restoreTest('iptables-nft-restore', r.stdout);
          expect({ name, stderr: loaded.stderr, status: loaded.status }).toEqual({ name, stderr: '', status: 0 });
        }
      }
    });
  }
});
