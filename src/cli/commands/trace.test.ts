import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../test/support/run-cli.js';
import { CONFORMANCE } from '../../../test/support/trace.js';

const OVERALL = join(CONFORMANCE, 'trace', 'iptables-trace-packet-overall', 'input.yaml');

describe('rulec trace', () => {
  it('prints the JSON result the issue asks for', async () => {
    const r = await runCli(['trace', OVERALL, '--dst', '172.30.0.44:80', '--src', '10.0.0.2', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('DNAT');
    expect(j.endpoints).toEqual([
      { destination: '10.180.0.4:80', probability: 0.5, masquerade: false },
      { destination: '10.180.0.5:80', probability: 0.5, masquerade: false },
    ]);
    expect(j.masquerade).toBe(false);
    expect(j.path[0]).toEqual({
      hook: 'PREROUTING',
      table: 'nat',
      chain: 'PREROUTING',
      rule: 1,
      text: '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      action: 'jump KUBE-SERVICES',
      comment: 'kubernetes service portals',
    });
  });

  it('prints a readable path with the split and the verdict', async () => {
    const r = await runCli(['trace', OVERALL, '--dst', '172.30.0.44:80', '--src', '10.0.0.2']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('10.0.0.2 -> 172.30.0.44:80/tcp from a pod: enters nat PREROUTING');
    expect(lines[1]).toBe('service: ns4/svc4:p80 (cluster IP)');
    expect(lines).toContain('  then 2 ways (each with its share of new connections):');
    expect(lines).toContain('verdict: DNAT to one of 2 endpoints');
    expect(lines).toContain('  10.180.0.4:80  50%');
    expect(lines).toContain('masquerade: no');
  });

  it('traces a flows file into a JSON array, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-flows-'));
    const flows = join(dir, 'flows.yaml');
    writeFileSync(flows, 'flows:\n- {source: 10.0.0.2, protocol: TCP, destination: 172.30.0.41, port: 80}\n- {source: 10.0.0.2, protocol: TCP, destination: 172.30.0.46, port: 80}\n- {source: 10.0.0.2, destination: "nope"}\n');
    const r = await runCli(['trace', OVERALL, '--flows', flows, '--json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout) as { verdict?: string; endpoints?: { destination: string }[]; error?: string }[];
    expect(j.map((x) => x.verdict ?? x.error)).toEqual(['DNAT', 'REJECT', 'invalid flow']);
    expect(j[0]?.endpoints?.map((e) => e.destination)).toEqual(['10.180.0.1:80']);
    expect(r.stderr).toContain('flows[2]: destination "nope" is not an IP address');
  });

  it('resolves a service name the way cluster DNS does', async () => {
    const r = await runCli(['trace', OVERALL, '--dst', 'svc1.ns1:80', '--src', '10.0.0.2', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.dns).toEqual({ name: 'svc1.ns1.svc.cluster.local', type: 'A', records: ['172.30.0.41'], note: 'the cluster IP of the service' });
    expect(j.packet.destination).toBe('172.30.0.41:80');
    const headless = await runCli(['trace', join(CONFORMANCE, 'iptables', 'derived-headless-externalname', 'input.yaml'), '--dst', 'ns1/headless:80', '--src', '10.0.0.2', '--json']);
    const h = JSON.parse(headless.stdout);
    expect(h.dns).toEqual({
      name: 'headless.ns1.svc.cluster.local',
      type: 'A',
      records: ['10.180.0.1', '10.180.0.2'],
      note: 'a headless service has no virtual IP and no kube-proxy rules: cluster DNS returns the ready endpoints and clients connect to them directly',
    });
    expect(h.verdict).toBe('NONE');
    const ext = await runCli(['trace', join(CONFORMANCE, 'iptables', 'derived-headless-externalname', 'input.yaml'), '--dst', 'extname.ns2.svc.cluster.local:80', '--json']);
    expect(JSON.parse(ext.stdout).dns).toMatchObject({ type: 'CNAME', records: ['db.example.com'] });
    const none = await runCli(['trace', join(CONFORMANCE, 'iptables', 'derived-headless-externalname', 'input.yaml'), '--dst', 'nothing.ns9:80', '--json']);
    expect(JSON.parse(none.stdout).dns.type).toBe('NXDOMAIN');
  });

  it('traces a dump given on stdin, with the node IPs from --node-ip', async () => {
    const compiled = await runCli(['compile', OVERALL, '--with-hooks']);
    const r = await runCli(['trace', '-', '--node-ip', '192.168.0.2', '--dst', '192.168.0.2:30000', '--src', '192.168.0.2', '--json'], compiled.stdout);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('ACCEPT');
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli(['trace', OVERALL])).code).toBe(2);
    const bad = await runCli(['trace', OVERALL, '--dst', '1.2.3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('rulec trace: destination "1.2.3" is not IP:PORT, [IPv6]:PORT or an IP address\n');
  });
});
