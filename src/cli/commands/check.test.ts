import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../test/support/run-cli.js';

function app(endpoints: string[]): string {
  const eps = endpoints.map((e) => `- addresses: ["${e}"]`).join('\n');
  return `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: app}\nspec:\n  clusterIP: 10.96.0.20\n  ports: [{name: http, port: 80, protocol: TCP}]\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-1, namespace: app, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints:\n${eps}\nports: [{name: http, port: 8080, protocol: TCP}]\n`;
}

describe('rulec check (end to end, in a temporary folder)', () => {
  it('reports a missing golden, writes it with --update, then passes, then shows a change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-check-'));
    const manifest = join(dir, 'app.yaml');
    const golden = join(dir, 'app.iptables');
    writeFileSync(manifest, app(['10.0.0.5', '10.0.0.6']));
    // A YAML file without a Service is not a manifest to check.
    writeFileSync(join(dir, 'notes.yaml'), 'hello: world\n');

    const missing = await runCli(['check', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe(`${golden}: missing (run rulec check --update to write it)\nrulec check: 1 manifest, 1 golden file: 0 ok, 1 missing\n`);
    expect(existsSync(golden)).toBe(false);

    const written = await runCli(['check', dir, '--update']);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe(`${golden}: written\nrulec check: 1 manifest, 1 golden file: 0 ok, 1 written\n`);
    const compiled = await runCli(['compile', manifest]);
    expect(readFileSync(golden, 'utf8')).toBe(compiled.stdout);
    expect(readdirSync(dir).sort()).toEqual(['app.iptables', 'app.yaml', 'notes.yaml']);

    const ok = await runCli(['check', dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('rulec check: 1 manifest, 1 golden file: 1 ok\n');

    writeFileSync(manifest, app(['10.0.0.5', '10.0.0.6', '10.0.0.7']));
    const changed = await runCli(['check', dir]);
    expect(changed.code).toBe(1);
    const lines = changed.stdout.split('\n');
    expect(lines[0]).toBe(`${golden}: differs from what ${manifest} compiles to`);
    expect(lines[1]).toBe('  app/web:http gains endpoint 10.0.0.7:8080');
    expect(lines[2]).toBe(`--- ${golden}`);
    expect(lines[3]).toBe(`+++ ${golden} (compiled)`);
    expect(lines.some((l) => /^\+-A KUBE-SEP-\w{16} -m comment --comment app\/web:http -m tcp -p tcp -j DNAT --to-destination 10\.0\.0\.7:8080$/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).some((l) => l.includes('--probability 0.5000000000'))).toBe(true);
    expect(lines[lines.length - 2]).toBe('rulec check: 1 manifest, 1 golden file: 0 ok, 1 differ');

    const json = await runCli(['check', dir, '--json']);
    expect(json.code).toBe(1);
    const results = JSON.parse(json.stdout) as { status: string; summary: string[]; kind: string }[];
    expect(results.map((r) => [r.kind, r.status, r.summary])).toEqual([['iptables', 'differs', ['app/web:http gains endpoint 10.0.0.7:8080']]]);

    const updated = await runCli(['check', manifest, '--update']);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toBe(`${golden}: updated\nrulec check: 1 manifest, 1 golden file: 0 ok, 1 written\n`);
    expect((await runCli(['check', dir])).code).toBe(0);
  });

  it('gives a manifest of nftables mode an .nft golden, compared by meaning and as text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-check-nft-'));
    const manifest = join(dir, 'app.yaml');
    const config = 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: nftables\n---\n';
    writeFileSync(manifest, config + app(['10.0.0.5']));
    const written = await runCli(['check', dir, '--update']);
    expect(written.stdout).toBe(`${join(dir, 'app.nft')}: written\nrulec check: 1 manifest, 1 golden file: 0 ok, 1 written\n`);
    expect(readFileSync(join(dir, 'app.nft'), 'utf8')).toBe((await runCli(['compile', manifest])).stdout);
    writeFileSync(manifest, config + app(['10.0.0.5', '10.0.0.6']));
    const changed = await runCli(['check', dir]);
    expect(changed.code).toBe(1);
    const lines = changed.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `${join(dir, 'app.nft')}: differs from what ${manifest} compiles to`,
      '  app/web:http gains endpoint 10.0.0.6:8080',
      `--- ${join(dir, 'app.nft')}`,
      `+++ ${join(dir, 'app.nft')} (compiled)`,
    ]);
    expect(lines.some((l) => /^\+add rule ip kube-proxy endpoint-\w{8}-app\/web\/tcp\/http__10\.0\.0\.6\/8080 meta l4proto tcp dnat to 10\.0\.0\.6:8080$/.test(l))).toBe(true);
  });

  it('follows .rulec-check.yaml: goldens per folder and context files compiled with every manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-check-cfg-'));
    const sub = join(dir, 'apps');
    mkdirSync(sub);
    writeFileSync(join(sub, 'app.yaml'), app(['10.0.0.5']));
    writeFileSync(join(dir, 'node.yaml'), 'apiVersion: v1\nkind: Node\nmetadata: {name: worker-1}\nstatus:\n  addresses: [{type: InternalIP, address: 192.168.0.9}]\n');
    writeFileSync(join(dir, '.rulec-check.yaml'), 'goldens: [iptables, ipvs]\ncontext: [node.yaml]\n');
    const r = await runCli(['check', dir, '--update']);
    expect(r.code).toBe(0);
    expect(readdirSync(sub).sort()).toEqual(['app.iptables', 'app.ipvs', 'app.yaml']);
    // The context file gets no goldens of its own.
    expect(existsSync(join(dir, 'node.iptables'))).toBe(false);
    expect(readFileSync(join(sub, 'app.ipvs'), 'utf8')).toBe('-A -t 10.96.0.20:80 -s rr\n-a -t 10.96.0.20:80 -r 10.0.0.5:8080 -m -w 1\n');
    expect((await runCli(['check', dir])).stdout).toBe('rulec check: 1 manifest, 2 golden files: 2 ok\n');

    writeFileSync(join(dir, '.rulec-check.yaml'), 'goldens: [nonsense]\n');
    const bad = await runCli(['check', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('RC620: goldens: a list of iptables, ip6tables, ipvs, ipset, ipvs-iptables');
  });

  it('exits 2 on an invalid manifest and on a bad --golden', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-check-bad-'));
    writeFileSync(join(dir, 'app.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  clusterIP: not-an-ip\n  ports: [{port: 80}]\n');
    const r = await runCli(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/app\.yaml:\d+:\d+: error RC\d+/);
    expect((await runCli(['check', dir, '--golden', 'nft'])).code).toBe(2);
  });

  it("checks the repository's examples (the CI setup: a context config beside them)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-check-examples-'));
    cpSync(join(process.cwd(), 'examples'), join(dir, 'examples'), { recursive: true });
    const cluster = join(dir, 'examples', 'cluster');
    writeFileSync(join(cluster, '.rulec-check.yaml'), 'context: [node.yaml, kube-proxy.yaml]\n');
    const first = await runCli(['check', join(dir, 'examples'), '--update']);
    expect(first.code).toBe(0);
    expect(existsSync(join(cluster, 'kube-dns.iptables'))).toBe(true);
    expect(existsSync(join(cluster, 'node.iptables'))).toBe(false);
    const again = await runCli(['check', join(dir, 'examples')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^rulec check: \d+ manifests, \d+ golden files: \d+ ok\n$/);
    // The golden of kube-dns is what `rulec compile` prints for it with the shared files.
    const compiled = await runCli(['compile', join(cluster, 'node.yaml'), join(cluster, 'kube-proxy.yaml'), join(cluster, 'kube-dns.yaml')]);
    expect(readFileSync(join(cluster, 'kube-dns.iptables'), 'utf8')).toBe(compiled.stdout);
  });
});
