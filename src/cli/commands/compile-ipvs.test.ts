import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { proxyConfig, WEB_SERVICE } from '../../../test/support/small-manifests.js';
import { CONFORMANCE } from '../../../test/support/vectors.js';

const VECTOR = join(CONFORMANCE, 'ipvs', 'nodeport-sctp-etp-local');
const INPUT = join(VECTOR, 'input.yaml');
const expectedIpvs = () => readFileSync(join(VECTOR, 'expected.ipvs'), 'utf8');

const SVC = WEB_SERVICE;
const config = proxyConfig;

describe('rulec compile in IPVS mode', () => {
  it('prints the ipvsadm -R script by default with --mode ipvs', async () => {
    const r = await runCli(['compile', '--mode', 'ipvs', INPUT]);
    expect(r).toEqual({ code: 0, stdout: expectedIpvs(), stderr: '' });
  });

  it('follows mode: ipvs in the KubeProxyConfiguration when --mode is absent', async () => {
    const r = await runCli(['compile', '-'], SVC + config('ipvs'));
    expect(r).toEqual({ code: 0, stdout: '-A -t 10.96.0.20:80 -s rr\n', stderr: '' });
  });

  it('lets --mode iptables win over the configuration', async () => {
    const r = await runCli(['compile', '--mode', 'iptables', '-'], SVC + config('ipvs'));
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('*filter\n')).toBe(true);
  });

  it('prints the three texts under section headers with --emit all', async () => {
    const parts = await Promise.all(['ipvsadm', 'ipset', 'iptables', 'all'].map((e) => runCli(['compile', '--mode', 'ipvs', '--emit', e, INPUT])));
    const [ipvsadm, ipset, iptables, all] = parts.map((p) => p.stdout);
    expect(parts.every((p) => p.code === 0 && p.stderr === '')).toBe(true);
    expect(all).toBe(`# --- ipvsadm ---\n${ipvsadm}\n# --- ipset ---\n${ipset}\n# --- iptables ---\n${iptables}`);
  });

  it('lists the addresses bound to kube-ipvs0', async () => {
    const r = await runCli(['compile', '--mode', 'ipvs', '--emit', 'kube-ipvs0', join(CONFORMANCE, 'ipvs', 'session-affinity-clientip', 'input.yaml')]);
    expect(r).toEqual({ code: 0, stdout: '10.20.30.41/32\n50.60.70.81/32\n', stderr: '' });
  });

  it('adds the built-in chains and jumps with --with-hooks', async () => {
    const r = await runCli(['compile', '--mode', 'ipvs', '--emit', 'iptables', '--with-hooks', INPUT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('*nat\n:PREROUTING ACCEPT [0:0]\n');
    expect(r.stdout).toContain('-A OUTPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER\n');
  });

  it('writes to -o FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-ipvs-'));
    try {
      const out = join(dir, 'rules.ipvs');
      const r = await runCli(['compile', '--mode', 'ipvs', INPUT, '-o', out]);
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(readFileSync(out, 'utf8')).toBe(expectedIpvs());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses emits that do not fit the mode', async () => {
    expect(await runCli(['compile', '--mode', 'ipvs', '--emit', 'nft', INPUT])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'rulec: --emit nft does not go with --mode ipvs; use --emit ipvsadm, ipset, iptables, kube-ipvs0 or all\n',
    });
    expect(await runCli(['compile', '--mode', 'iptables', '--emit', 'ipset', INPUT])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'rulec: --emit ipset does not go with --mode iptables, which writes --emit iptables (ipvsadm, ipset, kube-ipvs0 and all need --mode ipvs; nft needs --mode nftables)\n',
    });
    const fromConfig = await runCli(['compile', '--emit', 'ipvsadm', '-'], SVC);
    expect(fromConfig.code).toBe(2);
    expect(fromConfig.stdout).toBe('');
  });

  it('compiles nftables mode from the flag or from the KubeProxyConfiguration', async () => {
    const flag = await runCli(['compile', '--mode', 'nftables', INPUT]);
    expect(flag.code).toBe(0);
    expect(flag.stdout.startsWith('add table ip kube-proxy { comment "rules for kube-proxy" ; }\n')).toBe(true);
    const r = await runCli(['compile', '-'], SVC + config('nftables'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips\n');
  });

  it('reports invalid input as diagnostics and writes nothing', async () => {
    const r = await runCli(['compile', '--mode', 'ipvs', '-'], SVC.replace('10.96.0.20', '10.96.0.300'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^<stdin>:\d+:\d+: error RC\d+: /);
  });

  it('refuses hostile inputs in IPVS mode with the same diagnostics as in iptables mode', async () => {
    const dir = 'test/fixtures/hostile';
    const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const ipvs = await runCli(['compile', '--mode', 'ipvs', '--emit', 'all', join(dir, f)]);
      const iptables = await runCli(['compile', '--mode', 'iptables', join(dir, f)]);
      expect({ f, code: ipvs.code, stdout: ipvs.stdout }).toEqual({ f, code: 2, stdout: '' });
      expect(ipvs.stderr).toBe(iptables.stderr);
    }
    const scheduler = await runCli(['compile', '--mode', 'ipvs', '-'], SVC + config('ipvs') + 'ipvs: {scheduler: "rr -j ACCEPT"}\n');
    expect(scheduler.code).toBe(2);
    expect(scheduler.stdout).toBe('');
    expect(scheduler.stderr).toContain('ipvs.scheduler');
  });

  it('documents the IPVS emits in --help', async () => {
    const r = await runCli(['compile', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--emit kube-ipvs0');
    expect(r.stdout).toContain('ipvs      --emit ipvsadm (default)');
  });
});
