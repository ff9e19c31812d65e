import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { canRunKernel, inNamespace } from '../../../test/support/kernel.js';
import { vectors } from '../../../test/support/vectors.js';

/**
 * Every conformance input (the nftables vectors, and the iptables and IPVS ones compiled in
 * nftables mode, for both families) is loaded for real with `nft -f` inside a private network
 * namespace (`unshare -n`); the kernel's listing of the table must hold every chain, set and map
 * that was written, with as many rules and elements.
 */

const ready = canRunKernel('nft');
const vectorCases = ['nftables', 'iptables', 'ipvs'].flatMap((mode) =>
  vectors(mode).flatMap((v) =>
    (['ipv4', 'ipv6'] as const).map((family) => ({
      name: `${mode}/${v.name} (${family})`,
      args: ['--mode', 'nftables', '--family', family, ...(mode === 'nftables' ? v.flags : []), v.input],
    })),
  ),
);
const GOLDEN = 'test/golden';
const goldenCases = readdirSync(GOLDEN, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(GOLDEN, d.name, 'expected.nft')))
  .map((d) => ({ name: `golden ${d.name}`, args: readFileSync(join(GOLDEN, d.name, 'args'), 'utf8').trim().split(/\s+/) }));

describe.skipIf(!ready)('nft -f loads every nftables compile', () => {
  for (const c of [...vectorCases, ...goldenCases]) {
    it(c.name, async () => {
      const r = await runCli(['compile', ...c.args]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const table = r.stdout.startsWith('add table ip6 ') ? 'ip6 kube-proxy' : 'ip kube-proxy';
      const loaded = inNamespace(`nft -f - && nft list table ${table}`, r.stdout);
      expect(loaded.stderr).toBe('');
      expect(loaded.status).toBe(0);
      const listing = parseListing(loaded.stdout);
      const written = (kind: string) => r.stdout.split('\n').filter((l) => l.startsWith(`add ${kind} `));
      const names = (kind: string) => written(kind).map((l) => l.split(' ')[4] ?? '').sort();
      expect([...listing.keys()].filter((k) => k.startsWith('chain ')).map((k) => k.slice(6)).sort()).toEqual(names('chain'));
      expect([...listing.keys()].filter((k) => !k.startsWith('chain ')).map((k) => k.replace(/^(set|map) /, '')).sort()).toEqual([...names('set'), ...names('map')].sort());
      // As many rules in each chain and elements in each set as were written.
      const perObject = (lines: string[]) => {
        const n = new Map<string, number>();
        for (const l of lines) n.set(l.split(' ')[4] ?? '', (n.get(l.split(' ')[4] ?? '') ?? 0) + 1);
        return n;
      };
      for (const [name, count] of perObject(written('rule'))) expect({ name, count: listing.get(`chain ${name}`) }).toEqual({ name, count });
      for (const [name, count] of perObject(written('element'))) {
        const kind = listing.has(`set ${name}`) ? 'set' : 'map';
        expect({ name, count: listing.get(`${kind} ${name}`) }).toEqual({ name, count });
      }
    });
  }
});

describe.skipIf(!ready)('nft -f loads interface names of every shape the settings take', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort, clusterIP: 172.30.0.10, ports: [{name: http, port: 80, nodePort: 30080}]}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints: [{addresses: [10.0.1.5]}]\n';
  const names = ['eth0', 'eth0.100', 'veth-a_b', '@pwn', '0x10', 'accept', 'a-j', 'x!', 'icmpv6', 'rt0', '#x', 'a;b', '{x}', '$v', 'x'.repeat(15)];
  for (const [mode, field, list] of [
    ['BridgeInterface', 'bridgeInterface', names],
    ['InterfaceNamePrefix', 'interfaceNamePrefix', names.map((n) => n.slice(0, 14))],
  ] as const) {
    it(mode, async () => {
      for (const name of list) {
        const cfg = `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\ndetectLocalMode: ${mode}\ndetectLocal: {${field}: ${JSON.stringify(name)}}\n---\n`;
        const r = await runCli(['compile', '--mode', 'nftables', '-'], cfg + svc);
        expect({ name, stderr: r.stderr, code: r.code }).toEqual({ name, stderr: '', code: 0 });
        const loaded = inNamespace('nft -f - && nft list table ip kube-proxy', r.stdout);
        expect({ name, stderr: loaded.stderr, status: loaded.status }).toEqual({ name, stderr: '', status: 0 });
        const shown = mode === 'BridgeInterface' ? `iifname != "${name}"` : `iifname != "${name}*"`;
        expect(loaded.stdout).toContain(shown);
      }
    });
  }
});

/**
 * `nft list table` text reduced to, per chain, its number of rules and, per set or map, its
 * number of elements (keys `chain NAME`, `set NAME`, `map NAME`).
 */
function parseListing(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let current: string | undefined;
  let elements = '';
  let inElements = false;
  const finishElements = () => {
    if (current) out.set(current, elements.trim() === '' ? 0 : elements.split(',').length);
    inElements = false;
    elements = '';
  };
  for (const line of text.split('\n')) {
    const head = /^\t(chain|set|map) (\S+) \{$/.exec(line);
    if (head) {
      current = `${head[1]} ${(head[2] ?? '').replace(/"/g, '')}`;
      out.set(current, 0);
      continue;
    }
    if (!current || !line.startsWith('\t\t')) continue;
    const body = line.trim();
    if (current.startsWith('chain ')) {
      if (!/^(type|comment|policy) /.test(body)) out.set(current, (out.get(current) ?? 0) + 1);
      continue;
    }
    if (body.startsWith('elements = {')) {
      inElements = true;
      elements = body.slice('elements = {'.length);
    } else if (inElements) elements += ` ${body}`;
    if (inElements && elements.trimEnd().endsWith('}')) {
      elements = elements.trimEnd().slice(0, -1);
      finishElements();
    }
  }
  return out;
}
