import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../test/support/run-cli.js';
import { CONFORMANCE } from '../../../test/support/trace.js';

describe('rulec diff', () => {
  const input = join(CONFORMANCE, 'iptables', 'overall-iptables-rules', 'input.yaml');
  it('exits 0 when a dump means what the manifests compile to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-diffcli-'));
    const dump = join(dir, 'node.rules');
    writeFileSync(dump, (await runCli(['compile', input])).stdout);
    const r = await runCli(['diff', input, dump]);
    expect(r).toEqual({ code: 0, stdout: 'no difference\n', stderr: '' });
  });
  it('exits 1 and names the service that changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-diffcli-'));
    const dump = join(dir, 'node.rules');
    const text = (await runCli(['compile', input])).stdout;
    // A node whose rules lost the second endpoint of ns4/svc4.
    const lines = text.split('\n').filter((l) => !l.includes('10.180.0.5:80'));
    writeFileSync(dump, lines.join('\n'));
    const r = await runCli(['diff', input, dump, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.services.changed).toEqual([{ family: 'ipv4', service: 'ns4/svc4:p80', protocol: 'tcp', changes: [{ field: 'endpoints', added: [], removed: ['10.180.0.5:80'] }] }]);
    expect(j.summary[0]).toBe('ns4/svc4:p80 loses endpoint 10.180.0.5:80');
  });
  it('exits 2 on bad input', async () => {
    expect((await runCli(['diff', input, '/nonexistent/file'])).code).toBe(2);
    expect((await runCli(['diff', '-', '-'])).code).toBe(2);
  });
});

describe('rulec diff with nftables', () => {
  async function listing(dir: string, transform: (t: string) => string = (t) => t): Promise<string> {
    const r = await runCli(['compile', '--mode', 'nftables', '--as-listed', 'examples/cluster']);
    expect(r.code).toBe(0);
    const file = join(dir, 'node.nft');
    writeFileSync(file, transform(r.stdout));
    return file;
  }

  it('finds no difference between manifests and the listing of their nftables table, and names a changed endpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-diff-nft-'));
    const same = await runCli(['diff', 'examples/cluster', await listing(dir)]);
    expect(same.code).toBe(0);
    expect(same.stdout.split('\n')[0]).toBe('no difference');
    const changed = await runCli(['diff', 'examples/cluster', await listing(dir, (t) => t.replaceAll('10.244.2.4:53', '10.244.2.9:53'))]);
    expect(changed.code).toBe(1);
    expect(changed.stdout.split('\n').slice(0, 4)).toEqual([
      'kube-system/kube-dns:dns (udp) gains endpoint 10.244.2.9:53',
      'kube-system/kube-dns:dns (udp) loses endpoint 10.244.2.4:53',
      'kube-system/kube-dns:dns-tcp gains endpoint 10.244.2.9:53',
      'kube-system/kube-dns:dns-tcp loses endpoint 10.244.2.4:53',
    ]);
  });

  it('compares an iptables dump with an nftables listing by addresses, ports and endpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-diff-nft-'));
    const saved = await runCli(['compile', '--as-saved', '--with-hooks', 'examples/cluster']);
    const iptables = join(dir, 'node.iptables-save');
    writeFileSync(iptables, saved.stdout);
    const r = await runCli(['diff', iptables, await listing(dir)]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'no difference',
      'note: IPv4: iptables rules in A, nftables rules in B: services are compared by their addresses, ports and endpoints; policies and other rules are not',
      '',
    ]);
  });
});
