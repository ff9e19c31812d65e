import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canRunKernel, inNamespace, restoreTest } from '../support/kernel.js';
import { runCli } from '../support/run-cli.js';

/**
 * The manifests of `examples/repository` as public repositories hold them (no cluster IPs, no
 * node ports, workloads instead of EndpointSlices): each compiles to service rules, and every
 * golden `rulec check` keeps beside them loads in the kernel.
 */

const ROOT = 'examples/repository';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

const goldens = files(ROOT).filter((f) => /\.(iptables|ip6tables|nft)$/.test(f));

describe('the repository examples', () => {
  it('are checked by rulec check: every golden is what the manifests compile to', async () => {
    const r = await runCli(['check', ROOT]);
    // What rulec filled in is said in one line.
    expect(r.stderr).toMatch(/^rulec: note: \d+ cluster IPs or node ports allocated \(RC106\) and endpoints made from workloads for \d+ services \(RC107\) by rulec, as the cluster would, because the input has none; --verbose lists each\n$/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`rulec check: 40 manifests, ${goldens.length} golden files: ${goldens.length} ok\n`);
  });

  it('compile to service rules: the Services the documentation and the applications define', () => {
    const services = new Set<string>();
    for (const f of goldens.filter((g) => g.endsWith('.worker-1.iptables'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/--comment "([^ "]+) (?:cluster IP|has no endpoints)"/g)) services.add(m[1] as string);
    }
    // A sample of what each source defines, with endpoints made from its workloads.
    for (const s of ['default/my-service', 'default/redis-leader', 'default/frontend', 'default/adservice:grpc', 'default/hello', 'monitoring/blackbox-exporter:probe', 'ingress-nginx/ingress-nginx-controller:http', 'default/zk-cs:client']) {
      expect(services, s).toContain(s);
    }
    const demo = readFileSync(join(ROOT, 'microservices-demo/kubernetes-manifests.worker-1.iptables'), 'utf8');
    expect(demo.match(/-j DNAT --to-destination 10\.244\.[12]\.\d+:\d+/g)?.length ?? 0).toBeGreaterThan(10);
  });

  it('differ between the two nodes only where a Local policy or a node-local endpoint says so', () => {
    for (const f of goldens.filter((g) => g.includes('.worker-1.'))) {
      const other = f.replace('.worker-1.', '.worker-2.');
      const a = readFileSync(f, 'utf8').split('\n');
      const b = readFileSync(other, 'utf8').split('\n');
      const changed = [...a.filter((l) => !b.includes(l)), ...b.filter((l) => !a.includes(l))];
      // iptables: only the node-local chains (KUBE-SVL, and the EXT chains' jumps to them); nftables: the local- chains.
      // Both: the node's own address, where node ports are open (nftables: @nodeport-ips).
      for (const l of changed) expect(l, `${relative(ROOT, f)}: ${l}`).toMatch(/KUBE-SVL-|KUBE-EXT-|local-|has no local endpoints|no-endpoint-(?:nodeports|services) \{ .* : drop \}|nodeport-ips \{ 192\.168\.0\.1[12] \}|^\s*$/);
    }
  });
});

describe('every command that reads manifests fills them in the same way', () => {
  const set = join(ROOT, 'k8s-docs/guestbook');
  const manifests = [join(set, 'guestbook-redis-leader-service.yaml'), join(set, 'guestbook-redis-leader-deployment.yaml'), join(ROOT, 'nodes.yaml')];
  const golden = readFileSync(join(set, 'guestbook-redis-leader-service.worker-1.iptables'), 'utf8');
  const clusterIP = /redis-leader cluster IP" -m tcp -p tcp -d (\S+) --dport 6379/.exec(golden)?.[1] ?? '';
  const endpoint = /--to-destination (\S+)/.exec(golden)?.[1] ?? '';

  it('trace finds the allocated cluster IP and the endpoint made from the Deployment', async () => {
    expect(clusterIP).toMatch(/^10\.\d+\.\d+\.\d+$/);
    const r = await runCli(['trace', ...manifests.flatMap((m) => [m]), '--node', 'worker-1', '--dst', `${clusterIP}:6379`, '--proto', 'tcp', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { endpoints: { destination: string }[] }).endpoints.map((e) => e.destination)).toEqual([endpoint]);
  });

  it('diff of the manifests and their golden, and lint --manifests of the golden, find nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-repository-'));
    for (const m of manifests) copyFileSync(m, join(dir, basename(m)));
    const file = join(dir, 'node.iptables');
    writeFileSync(file, golden);
    const diff = await runCli(['diff', dir, file, '--node', 'worker-1']);
    expect(diff.stdout).toBe('no difference\n');
    expect(diff.code).toBe(0);
    const lint = await runCli(['lint', file, '--manifests', dir, '--node', 'worker-1', '--format', 'json']);
    expect(lint.code).toBe(0);
  });
});

describe.skipIf(!canRunKernel('iptables-nft-restore', 'ip6tables-nft-restore', 'nft', 'nfacct'))('the repository examples load in the kernel', () => {
  for (const f of goldens) {
    it(relative(ROOT, f), () => {
      const text = readFileSync(f, 'utf8');
      const r = f.endsWith('.nft') ? inNamespace('nft -c -f -', text) : restoreTest(f.endsWith('.ip6tables') ? 'ip6tables-nft-restore' : 'iptables-nft-restore', text);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});
