import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { proxyConfig, WEB_SERVICE } from '../../../test/support/small-manifests.js';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/nft-listed');
const WEB = join(FIXTURES, 'web.yaml');

const SVC = WEB_SERVICE;
const config = proxyConfig;

describe('rulec compile --as-listed', () => {
  it('prints what nft list table printed after the compiled rules were loaded', async () => {
    const r = await runCli(['compile', '--as-listed', WEB]);
    expect(r).toEqual({ code: 0, stdout: readFileSync(join(FIXTURES, 'web.nft-list'), 'utf8'), stderr: '' });
  });

  it('lists the ip6 table with --family ipv6, IPv4-compatible addresses as glibc prints them', async () => {
    const yaml = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  clusterIP: fd00:96::20
  ipFamilies: [IPv6]
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv6
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: ["::169.254.169.254"]}]
`;
    const r = await runCli(['compile', '--mode', 'nftables', '--family', 'ipv6', '--as-listed', '-'], yaml);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('table ip6 kube-proxy {\n\tcomment "rules for kube-proxy"\n')).toBe(true);
    expect(r.stdout).toContain('\t\tmeta l4proto tcp dnat to [::169.254.169.254]:8080\n');
    expect(r.stdout).toContain('\t\tip6 daddr != ::1 meta l4proto . th dport vmap @no-endpoint-nodeports\n');
    expect(r.stdout.endsWith('\t}\n}\n')).toBe(true);
  });

  it('differs from the nft -f text it lists', async () => {
    const written = await runCli(['compile', WEB]);
    const listed = await runCli(['compile', '--as-listed', WEB]);
    expect(written.stdout.startsWith('add table ip kube-proxy')).toBe(true);
    expect(listed.stdout).not.toBe(written.stdout);
  });

  it.each([
    ['--mode iptables', ['--mode', 'iptables'], '', 'iptables'],
    ['--mode ipvs', ['--mode', 'ipvs'], '', 'ipvs'],
    ['mode: ipvs in the configuration', [], config('ipvs'), 'ipvs'],
    ['no mode at all (iptables)', [], '', 'iptables'],
  ])('is refused in other modes: %s', async (_name, args, extra, mode) => {
    const r = await runCli(['compile', ...args, '--as-listed', '-'], SVC + extra);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `rulec: --as-listed is for nftables text (nft list table), not --mode ${mode}; use --as-saved for what iptables-save prints\n`,
    });
  });

  it('with --family dual lists the ip table, then the ip6 table', async () => {
    const one = async (family: string, ...extra: string[]) => (await runCli(['compile', '--mode', 'nftables', '--family', family, ...extra, WEB])).stdout;
    const dual = await runCli(['compile', '--mode', 'nftables', '--family', 'dual', '--as-listed', WEB]);
    expect(dual.stderr).toBe('');
    expect(dual.stdout).toBe((await one('ipv4', '--as-listed')) + (await one('ipv6', '--as-listed')));
    expect(dual.stdout.match(/^table .*$/gm)).toEqual(['table ip kube-proxy {', 'table ip6 kube-proxy {']);
    expect(await one('dual')).toBe((await one('ipv4')) + (await one('ipv6')));
  });

  it.each([['iptables'], ['ipvs']])('refuses --family dual in %s mode', async (mode) => {
    const r = await runCli(['compile', '--mode', mode, '--family', 'dual', '-'], SVC);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `rulec: --family dual is for nftables mode, which writes one table per family; compile --mode ${mode} once with --family ipv4 and once with --family ipv6\n`,
    });
  });

  it('keeps refusing --as-saved in nftables mode', async () => {
    const r = await runCli(['compile', '--mode', 'nftables', '--as-saved', '-'], SVC);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--as-saved is for iptables text');
  });

  it('is described in --help', async () => {
    const r = await runCli(['compile', '--help']);
    expect(r.stdout).toMatch(/--as-listed\s+print the nftables table exactly as nft list table/);
    expect(r.stdout).toContain('--as-listed: the table as');
  });
});
