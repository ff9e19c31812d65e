import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../test/support/run-cli.js';

const NODES = `apiVersion: v1
kind: Node
metadata: {name: worker-2, labels: {topology.kubernetes.io/zone: b}}
spec: {podCIDR: 10.244.2.0/24}
status: {addresses: [{type: InternalIP, address: 192.168.0.12}]}
---
apiVersion: v1
kind: Node
metadata: {name: worker-1, labels: {topology.kubernetes.io/zone: a}}
spec: {podCIDR: 10.244.1.0/24}
status: {addresses: [{type: InternalIP, address: 192.168.0.11}]}
`;

/** A NodePort Service with externalTrafficPolicy: Local (an endpoint on each node) and a plain one. */
const SERVICES = `---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  clusterIP: 10.96.5.5
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints:
- {addresses: [10.244.1.5], nodeName: worker-1}
- {addresses: [10.244.2.7], nodeName: worker-2}
ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  clusterIP: 10.96.5.6
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: api-1, namespace: shop, labels: {kubernetes.io/service-name: api}}
addressType: IPv4
endpoints:
- {addresses: [10.244.1.9], nodeName: worker-1}
ports: [{name: http, port: 8080}]
`;

function input(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-all-nodes-'));
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

/** The lines of `b` that `a` lacks, and the reverse. */
function lineDifference(a: string, b: string): { onlyA: string[]; onlyB: string[] } {
  const la = a.split('\n');
  const lb = b.split('\n');
  return { onlyA: la.filter((l) => !lb.includes(l)), onlyB: lb.filter((l) => !la.includes(l)) };
}

describe('rulec compile with several Nodes', () => {
  it('without --node: an error that names the choices, nothing written', async () => {
    const { file } = input(NODES + SERVICES);
    const r = await runCli(['compile', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${file}:9:18: error RC105: 2 Nodes given (worker-1, worker-2): choose the node with --node NAME, or compile every one with --all-nodes -o DIR\n`);
  });

  it('--node picks one; a name that is none of them is an error', async () => {
    const { file } = input(NODES + SERVICES);
    const one = await runCli(['compile', file, '--node', 'worker-2']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('-A KUBE-SVL-67NZLRHBNDSAWJRO -m comment --comment "shop/web:http -> 10.244.2.7:8080"');
    const bad = await runCli(['compile', file, '--node', 'worker-3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`${file}:9:18: error RC105: no Node "worker-3" among the 2 given (worker-1, worker-2)\n`);
  });

  it('--all-nodes -o DIR: one file per node, differing exactly in the Local service\'s local endpoints', async () => {
    const { dir, file } = input(NODES + SERVICES);
    const out = join(dir, 'out');
    const r = await runCli(['compile', file, '--all-nodes', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        `worker-1: ${join(out, 'worker-1.iptables')}`,
        `worker-2: ${join(out, 'worker-2.iptables')}`,
        'shop/web:http (tcp) differs between nodes (externalTrafficPolicy: Local): local endpoints: worker-1 10.244.1.5:8080; worker-2 10.244.2.7:8080',
        'rulec compile: 2 nodes, 1 service port not the same on each',
        '',
      ].join('\n'),
    );
    expect(readdirSync(out).sort()).toEqual(['worker-1.iptables', 'worker-2.iptables']);
    const w1 = readFileSync(join(out, 'worker-1.iptables'), 'utf8');
    const w2 = readFileSync(join(out, 'worker-2.iptables'), 'utf8');
    // Each file is what --node NAME prints.
    expect(w1).toBe((await runCli(['compile', file, '--node', 'worker-1'])).stdout);
    expect(w2).toBe((await runCli(['compile', file, '--node', 'worker-2'])).stdout);
    const d = lineDifference(w1, w2);
    expect(d.onlyA).toEqual(['-A KUBE-SVL-67NZLRHBNDSAWJRO -m comment --comment "shop/web:http -> 10.244.1.5:8080" -j KUBE-SEP-34ZZ2QFGO32YYXXO']);
    expect(d.onlyB).toEqual(['-A KUBE-SVL-67NZLRHBNDSAWJRO -m comment --comment "shop/web:http -> 10.244.2.7:8080" -j KUBE-SEP-DYSIX5QMVXZZP7LU']);
  });

  it('--all-nodes in nftables mode names the files .nft', async () => {
    const { dir, file } = input(NODES + SERVICES);
    const out = join(dir, 'nft');
    const r = await runCli(['compile', file, '--all-nodes', '--mode', 'nftables', '-o', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['worker-1.nft', 'worker-2.nft']);
    expect(readFileSync(join(out, 'worker-1.nft'), 'utf8')).toBe((await runCli(['compile', file, '--mode', 'nftables', '--node', 'worker-1'])).stdout);
  });

  it('--all-nodes needs -o DIR and Nodes, and does not go with --node', async () => {
    const { file } = input(NODES + SERVICES);
    expect(await runCli(['compile', file, '--all-nodes'])).toEqual({ code: 2, stdout: '', stderr: 'rulec: --all-nodes writes one file per node: give the folder with -o DIR\n' });
    expect((await runCli(['compile', file, '--all-nodes', '--node', 'worker-1', '-o', 'x'])).code).toBe(2);
    const { dir, file: noNodes } = input(SERVICES);
    expect(await runCli(['compile', noNodes, '--all-nodes', '-o', join(dir, 'o')])).toEqual({ code: 2, stdout: '', stderr: 'rulec: --all-nodes: the input has no Node to compile for\n' });
  });

  it('rulec check: one golden per node when the manifests hold several Nodes', async () => {
    const { dir } = input(NODES + SERVICES);
    const app = join(dir, 'cluster.yaml');
    const written = await runCli(['check', dir, '--update']);
    expect(written.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['cluster.worker-1.iptables', 'cluster.worker-2.iptables', 'cluster.yaml']);
    expect(readFileSync(join(dir, 'cluster.worker-2.iptables'), 'utf8')).toBe((await runCli(['compile', app, '--node', 'worker-2'])).stdout);
    expect((await runCli(['check', dir])).stdout).toBe('rulec check: 1 manifest, 2 golden files: 2 ok\n');
    writeFileSync(app, (NODES + SERVICES).replace('{addresses: [10.244.2.7], nodeName: worker-2}', '{addresses: [10.244.2.8], nodeName: worker-2}'));
    const changed = await runCli(['check', dir]);
    expect(changed.code).toBe(1);
    expect(changed.stdout.split('\n').filter((l) => l.endsWith('compiles to') || l.startsWith('  '))).toEqual([
      `${join(dir, 'cluster.worker-1.iptables')}: differs from what ${app} compiles to`,
      '  shop/web:http gains endpoint 10.244.2.8:8080',
      '  shop/web:http loses endpoint 10.244.2.7:8080',
      `${join(dir, 'cluster.worker-2.iptables')}: differs from what ${app} compiles to`,
      '  shop/web:http gains endpoint 10.244.2.8:8080',
      '  shop/web:http loses endpoint 10.244.2.7:8080',
      '  shop/web:http gains local endpoint 10.244.2.8:8080',
      '  shop/web:http loses local endpoint 10.244.2.7:8080',
    ]);
  });
});
