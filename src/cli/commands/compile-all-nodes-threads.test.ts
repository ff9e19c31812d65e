import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';

/**
 * `compile --all-nodes` over many nodes: every file is what `--node NAME` prints, whether the
 * nodes are compiled in the main thread (the sources, as the other tests run them) or on worker
 * threads (the built program, bundled and not).
 */

const root = resolve(import.meta.dirname, '../../..');
const NODES = 12;

/** Nodes in three zones; Services of every kind, some with a Local policy, zone hints, affinity, source ranges. */
function manyNodes(detectLocalMode: 'ClusterCIDR' | 'NodeCIDR'): string {
  const docs: string[] = [`apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clusterCIDR: 10.64.0.0/16
detectLocalMode: ${detectLocalMode}
`];
  for (let n = 0; n < NODES; n++) {
    docs.push(`apiVersion: v1
kind: Node
metadata: {name: node-${String(n).padStart(2, '0')}, labels: {topology.kubernetes.io/zone: zone-${n % 3}}}
spec: {podCIDR: 10.64.${n}.0/24}
status: {addresses: [{type: InternalIP, address: 192.168.0.${10 + n}}]}
`);
  }
  for (let i = 0; i < 30; i++) {
    const type = i % 3 === 0 ? 'LoadBalancer' : i % 3 === 1 ? 'NodePort' : 'ClusterIP';
    const spec: string[] = [`  type: ${type}`, `  clusterIP: 10.96.1.${i + 1}`, `  selector: {app: app-${i}}`, `  ports: [{name: http, port: 80, targetPort: 8080${type === 'ClusterIP' ? '' : `, nodePort: ${30100 + i}`}}]`];
    if (type !== 'ClusterIP' && i % 2 === 0) spec.push('  externalTrafficPolicy: Local', `  healthCheckNodePort: ${31100 + i}`);
    if (i % 5 === 2) spec.push('  internalTrafficPolicy: Local');
    if (i % 7 === 3) spec.push('  sessionAffinity: ClientIP');
    if (type === 'LoadBalancer' && i % 4 === 0) spec.push('  loadBalancerSourceRanges: [192.168.0.0/28, 203.0.113.0/24]');
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: app-${i}, namespace: ns-${i % 4}}
spec:
${spec.join('\n')}
${type === 'LoadBalancer' ? `status: {loadBalancer: {ingress: [{ip: 203.0.113.${i + 1}}]}}\n` : ''}`);
    const endpoints: string[] = [];
    const count = i % 6;
    for (let e = 0; e < count; e++) {
      const node = (i * 5 + e * 7) % NODES;
      const hints = i % 4 === 1 ? `, hints: {forZones: [{name: zone-${node % 3}}]}` : '';
      const conditions = e === 3 ? '{ready: false, serving: true, terminating: true}' : '{ready: true}';
      endpoints.push(`- {addresses: [10.64.${node}.${10 + i}], nodeName: node-${String(node).padStart(2, '0')}, zone: zone-${node % 3}, conditions: ${conditions}${hints}}`);
    }
    docs.push(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: app-${i}-x, namespace: ns-${i % 4}, labels: {kubernetes.io/service-name: app-${i}}}
addressType: IPv4
endpoints:${endpoints.length ? `\n${endpoints.join('\n')}` : ' []'}
ports: [{name: http, port: 8080}]
`);
  }
  return docs.join('---\n');
}

function input(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-all-nodes-threads-'));
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

const NAMES = Array.from({ length: NODES }, (_, n) => `node-${String(n).padStart(2, '0')}`);

/** What `--node NAME` prints for every node, from the sources in this thread. */
async function perNode(file: string, args: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of NAMES) {
    const r = await runCli(['compile', file, ...args, '--node', name]);
    expect(r.code).toBe(0);
    out.set(name, r.stdout);
  }
  return out;
}

/** The built program (`bundled`: bin/rulec.js; else dist/cli/main.js as tsc wrote it) with `threads` worker threads. */
function built(bundled: boolean, args: string[], threads: number) {
  const env = { ...process.env, RULEC_THREADS: String(threads) };
  const r = bundled
    ? spawnSync(process.execPath, [join(root, 'bin', 'rulec.js'), ...args], { cwd: root, encoding: 'utf8', env })
    : spawnSync(process.execPath, ['--input-type=module', '-e', `import { main } from ${JSON.stringify(join(root, 'dist', 'cli', 'main.js'))}; process.exitCode = await main(process.argv);`, 'rulec', ...args], { cwd: root, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const MODES: { label: string; args: string[]; ext: string }[] = [
  { label: 'iptables', args: [], ext: 'iptables' },
  { label: 'iptables of kube-proxy 1.21, with hooks', args: ['--kube-proxy-version', '1.21', '--with-hooks'], ext: 'iptables' },
  { label: 'nftables', args: ['--mode', 'nftables'], ext: 'nft' },
  { label: 'IPVS (all three)', args: ['--mode', 'ipvs', '--emit', 'all'], ext: 'ipvs-all' },
];

describe('rulec compile --all-nodes over many nodes', () => {
  for (const detect of ['ClusterCIDR', 'NodeCIDR'] as const) {
    for (const mode of MODES) {
      it(`${mode.label}, detectLocalMode ${detect}: each file is what --node NAME prints, in this thread and on worker threads`, async () => {
        const { dir, file } = input(manyNodes(detect));
        const expected = await perNode(file, mode.args);
        // The nodes differ: a Local policy, hints, the node's CIDR.
        expect(new Set(expected.values()).size).toBeGreaterThan(NODES / 2);

        const inThread = join(dir, 'in-thread');
        const r = await runCli(['compile', file, ...mode.args, '--all-nodes', '-o', inThread]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(readdirSync(inThread).sort()).toEqual(NAMES.map((n) => `${n}.${mode.ext}`));
        for (const name of NAMES) expect(readFileSync(join(inThread, `${name}.${mode.ext}`), 'utf8'), name).toBe(expected.get(name));

        // The unbundled program in iptables mode only: the threads' code is the same.
        for (const bundled of mode.label === 'iptables' ? [true, false] : [true]) {
          const threaded = join(dir, `threads-${bundled ? 'bundle' : 'dist'}`);
          const t = built(bundled, ['compile', file, ...mode.args, '--all-nodes', '-o', threaded], 3);
          expect(t.stderr).toBe('');
          expect(t.code).toBe(0);
          // The same report, node by node in order, whatever thread finished first.
          expect(t.stdout).toBe(r.stdout.split(inThread).join(threaded));
          expect(readdirSync(threaded).sort()).toEqual(NAMES.map((n) => `${n}.${mode.ext}`));
          for (const name of NAMES) expect(readFileSync(join(threaded, `${name}.${mode.ext}`), 'utf8'), `${name} (${bundled ? 'bundle' : 'dist'})`).toBe(expected.get(name));
        }
      });
    }
  }

  it('threads asked for where their module is not built (the sources): an error', async () => {
    const { dir, file } = input(manyNodes('ClusterCIDR'));
    let stderr = '';
    const ctx = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), readStdin: () => '', cwd: process.cwd(), env: { RULEC_THREADS: '2' }, isTTY: false, exitCode: 0 };
    const { main } = await import('../main.js');
    expect(await main(['node', 'rulec', 'compile', file, '--all-nodes', '-o', join(dir, 'out')], ctx)).toBe(2);
    expect(stderr).toBe('rulec: RULEC_THREADS=2: this build of rulec has no compile-worker.js beside its compile command\n');
  });

  it('on worker threads, a file that cannot be written is reported as in one thread: exit 2, no stack trace', () => {
    const { dir, file } = input(manyNodes('ClusterCIDR'));
    const out = join(dir, 'out');
    // A folder where node-05's file goes.
    mkdirSync(join(out, 'node-05.iptables'), { recursive: true });
    const t = built(true, ['compile', file, '--all-nodes', '-o', out], 2);
    expect(t.code).toBe(2);
    expect(t.stdout).toBe('');
    expect(t.stderr).toBe(`rulec: cannot write ${join(out, 'node-05.iptables')}: EISDIR\n`);
  });
});
