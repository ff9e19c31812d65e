import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * IPv6 addresses that end in a dotted quad, through the built program (`npm run build`):
 * `::169.254.169.254` is the IPv6 address ::a9fe:a9fe and `::ffff:10.9.9.9` an IPv4-mapped IPv6
 * address. Neither may ever reach IPv4 rules as the IPv4 address inside it; in IPv6 rules they are
 * written as Go writes them.
 */
const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'bin', 'rulec.js');
const dir = mkdtempSync(join(tmpdir(), 'rulec-ip-forms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rulec(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function manifest(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const DUAL_STACK = manifest(
  'dual-stack.yaml',
  `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  clusterIP: 10.96.0.20
  clusterIPs: [10.96.0.20, "fd00:96::20"]
  ipFamilies: [IPv4, IPv6]
  ipFamilyPolicy: RequireDualStack
  externalIPs: ["::6.6.6.6", "::ffff:7.7.7.7", "8.8.8.8"]
  loadBalancerSourceRanges: ["::ffff:10.0.0.0/104", "192.168.0.0/16"]
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30080}]
status:
  loadBalancer:
    ingress: [{ip: "::ffff:5.5.5.5"}, {ip: "5.5.5.6"}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: web, namespace: shop}
subsets:
- addresses: [{ip: "::169.254.169.254"}, {ip: "10.0.0.5"}]
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-v6, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv6
endpoints:
- addresses: ["::ffff:10.9.9.9"]
ports: [{name: http, port: 80, protocol: TCP}]
`,
);

/** Every text a mode prints for one family. */
const RUNS: Array<{ mode: string; args: string[] }> = [
  { mode: 'iptables', args: [] },
  { mode: 'iptables --as-saved', args: ['--as-saved'] },
  { mode: 'ipvs', args: ['--mode', 'ipvs', '--emit', 'all'] },
  { mode: 'ipvs kube-ipvs0', args: ['--mode', 'ipvs', '--emit', 'kube-ipvs0'] },
  { mode: 'nftables', args: ['--mode', 'nftables'] },
];

/** An IPv4 address standing alone, not as the tail of IPv6 text. */
const bare = (ip: string) => new RegExp(`(?<![\\d.:])${ip.replace(/\./g, '\\.')}(?![\\d])`);

describe('IPv6 addresses with a dotted tail', () => {
  for (const { mode, args } of RUNS) {
    it(`${mode}: never become IPv4 addresses in IPv4 output`, () => {
      const r = rulec(['compile', ...args, DUAL_STACK]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      for (const hidden of ['169.254.169.254', '6.6.6.6', '7.7.7.7', '5.5.5.5', '10.9.9.9']) expect(r.stdout).not.toMatch(bare(hidden));
      expect(r.stdout).not.toMatch(/a9fe|ffff:|::6/);
      expect(r.stdout).toMatch(bare(mode === 'ipvs kube-ipvs0' ? '8.8.8.8' : '5.5.5.6'));
    });

    it(`${mode}: stay IPv6 in IPv6 output`, () => {
      const r = rulec(['compile', ...args, '--family', 'ipv6', DUAL_STACK]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      for (const v4 of ['169.254.169.254', '6.6.6.6', '7.7.7.7', '5.5.5.5', '10.9.9.9', '10.0.0.5', '8.8.8.8', '5.5.5.6']) {
        expect(r.stdout).not.toMatch(bare(v4));
      }
      // Mapped addresses are printed as Go prints them (so do iptables-save and nft).
      expect(r.stdout).toContain('::ffff:7.7.7.7');
      if (mode === 'ipvs kube-ipvs0') return;
      expect(r.stdout).toContain('::ffff:5.5.5.5');
      if (mode !== 'ipvs') expect(r.stdout).toContain('::ffff:10.0.0.0/104');
      // IPv4-compatible ones in hex as Go prints them; iptables-save prints them as glibc does.
      const compat = mode === 'iptables --as-saved' ? '::169.254.169.254' : '::a9fe:a9fe';
      expect(r.stdout).toContain(`[${compat}]:80`);
      expect(r.stdout).toContain(`[::ffff:10.9.9.9]:80`);
    });
  }

  it('iptables: the endpoints are the IPv6 endpoints, written as kube-proxy writes them', () => {
    const r = rulec(['compile', '--family', 'ipv6', DUAL_STACK]);
    expect(r.stdout).toContain('-A KUBE-SERVICES -m comment --comment "shop/web:http external IP" -m tcp -p tcp -d ::606:606 --dport 80 -j KUBE-EXT-');
    expect(r.stdout).toMatch(/-A KUBE-SEP-\w+ -m comment --comment shop\/web:http -s ::a9fe:a9fe -j KUBE-MARK-MASQ\n/);
    expect(r.stdout).toMatch(/-A KUBE-SEP-\w+ -m comment --comment shop\/web:http -m tcp -p tcp -j DNAT --to-destination \[::a9fe:a9fe\]:80\n/);
    expect(r.stdout).toMatch(/-A KUBE-SEP-\w+ -m comment --comment shop\/web:http -m tcp -p tcp -j DNAT --to-destination \[::ffff:10.9.9.9\]:80\n/);
  });

  it('are rejected where an address of the other family or no address is, with positioned RC101 diagnostics', () => {
    const path = manifest(
      'bad.yaml',
      `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  clusterIP: 10.96.0.0x20
  externalIPs: ["0x7f.1", "127.1"]
  loadBalancerSourceRanges: ["10.0.0.0/0x8"]
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints:
- addresses: ["::ffff:10.0.0.1"]
- addresses: ["::169.254.169.254"]
- addresses: ["::010.0.0.1"]
ports: [{name: http, port: 80, protocol: TCP}]
`,
    );
    const r = rulec(['compile', path]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${path}:5:14: error RC101: Service shop/web: spec.clusterIP: "10.96.0.0x20" is not an IP address`,
      `${path}:6:17: error RC101: Service shop/web: spec.externalIPs[0]: "0x7f.1" is not an IP address`,
      `${path}:6:27: error RC101: Service shop/web: spec.externalIPs[1]: "127.1" is not an IP address`,
      `${path}:7:30: error RC101: Service shop/web: spec.loadBalancerSourceRanges[0]: "10.0.0.0/0x8" is not a CIDR`,
      `${path}:15:15: error RC101: EndpointSlice shop/web-1: endpoints[0].addresses[0]: "::ffff:10.0.0.1" is not an IPv4 address`,
      `${path}:16:15: error RC101: EndpointSlice shop/web-1: endpoints[1].addresses[0]: "::169.254.169.254" is not an IPv4 address`,
      `${path}:17:15: error RC101: EndpointSlice shop/web-1: endpoints[2].addresses[0]: "::010.0.0.1" is not an IPv4 address`,
    ]);
  });
});
