import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';

/** Every command on nftables text: parse, summaries and fmt read it; the others say they skip it. */

const LISTING = 'test/fixtures/dumps/nft/node-listing-a.nft';
const EXPECTED = 'test/conformance/nftables/overall-six-services/expected.nft';

describe('nftables text through the commands', () => {
  it('parse prints the JSON AST with positions, handles and counters', async () => {
    const text = 'table ip t { # handle 4\n\tchain c { # handle 1\n\t\ttype nat hook output priority -100; policy accept;\n\t\tcounter packets 2 bytes 120 jump x comment "to x" # handle 2\n\t}\n}\n';
    const r = await runCli(['parse', '-'], text);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pos = (line: number, column: number) => ({ file: '<stdin>', line, column });
    expect(JSON.parse(r.stdout)).toEqual({
      file: '<stdin>',
      sections: [{ format: 'nft', firstLine: 1, lastLine: 6 }],
      diagnostics: [],
      ruleSets: [
        {
          kind: 'nft',
          family: 'ip',
          table: 't',
          origin: 'nft',
          fidelity: 'exact',
          handle: 4,
          pos: pos(1, 10),
          sets: [],
          chains: [
            {
              name: 'c',
              handle: 1,
              pos: pos(2, 8),
              base: { type: 'nat', hook: 'output', priority: -100, policy: 'accept' },
              rules: [{ words: ['counter', 'jump', 'x'], comment: 'to x', counters: { packets: 2, bytes: 120 }, handle: 2, pos: pos(4, 3) }],
            },
          ],
        },
      ],
    });
  });

  it('parse --summary --json: tables, sets and maps with element counts, services with their endpoints', async () => {
    const r = await runCli(['parse', '--summary', '--json', EXPECTED]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { tables: object; nftables: Record<string, { chains: Record<string, unknown>; sets: Record<string, unknown> }>; services: unknown[] };
    expect(s.tables).toEqual({});
    expect(Object.keys(s.nftables)).toEqual(['ip kube-proxy']);
    const kp = s.nftables['ip kube-proxy'] as { chains: Record<string, unknown>; sets: Record<string, unknown> };
    expect(Object.keys(kp.chains)).toHaveLength(32);
    expect(kp.chains['nat-prerouting']).toEqual({ rules: 1, hook: 'nat prerouting', priority: -100 });
    expect(kp.chains['services']).toEqual({ rules: 2 });
    expect(kp.sets).toEqual({
      'affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80': { kind: 'set', type: 'ipv4_addr', elements: 0 },
      'cluster-ips': { kind: 'set', type: 'ipv4_addr', elements: 6 },
      'nodeport-ips': { kind: 'set', type: 'ipv4_addr', elements: 1 },
      'firewall-ips': { kind: 'map', type: 'ipv4_addr . inet_proto . inet_service : verdict', elements: 1 },
      'no-endpoint-nodeports': { kind: 'map', type: 'inet_proto . inet_service : verdict', elements: 1 },
      'no-endpoint-services': { kind: 'map', type: 'ipv4_addr . inet_proto . inet_service : verdict', elements: 3 },
      'service-ips': { kind: 'map', type: 'ipv4_addr . inet_proto . inet_service : verdict', elements: 9 },
      'service-nodeports': { kind: 'map', type: 'inet_proto . inet_service : verdict', elements: 3 },
    });
    const ep = (chain: string, share: number, destination: string) => ({ chain, probability: share, share, destination });
    expect(s.services).toEqual([
      { chain: 'service-42NFTM6N-ns2/svc2/tcp/p80', comment: null, service: 'ns2/svc2:p80', family: 'ipv4', affinity: false, endpoints: [ep('endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80', 1, '10.180.0.2:80')] },
      { chain: 'service-4AT6LBPK-ns3/svc3/tcp/p80', comment: null, service: 'ns3/svc3:p80', family: 'ipv4', affinity: false, endpoints: [ep('endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80', 1, '10.180.0.3:80')] },
      { chain: 'service-HVFWP5L3-ns5/svc5/tcp/p80', comment: null, service: 'ns5/svc5:p80', family: 'ipv4', affinity: true, endpoints: [ep('endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80', 1, '10.180.0.3:80')] },
      {
        chain: 'service-LAUZTJTB-ns4/svc4/tcp/p80', comment: null, service: 'ns4/svc4:p80', family: 'ipv4', affinity: false,
        endpoints: [ep('endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80', 0.5, '10.180.0.4:80'), ep('endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80', 0.5, '10.180.0.5:80')],
      },
      { chain: 'service-ULMVA6XW-ns1/svc1/tcp/p80', comment: null, service: 'ns1/svc1:p80', family: 'ipv4', affinity: false, endpoints: [ep('endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80', 1, '10.180.0.1:80')] },
    ]);
  });

  it('parse --summary as text: each table with chains and sets, the services with their shares', async () => {
    const r = await runCli(['parse', '--summary', LISTING]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('nftables table'))).toEqual([
      'nftables table ip nat: 8 chains, 9 rules, 0 sets, 0 maps',
      'nftables table ip kube-proxy: 32 chains, 57 rules, 3 sets, 5 maps',
      'nftables table ip6 kube-proxy: 16 chains, 22 rules, 2 sets, 5 maps',
    ]);
    expect(lines).toContain('  PREROUTING                 nat prerouting -100       1 rule');
    expect(lines).toContain('  map service-ips                                        9 elements');
    expect(lines).toContain('  service-LAUZTJTB-ns4/svc4/tcp/p80  ns4/svc4:p80');
    expect(lines).toContain('    -> endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80   50.0%  10.180.0.5:80');
    expect(lines.filter((l) => l.startsWith('services:'))).toEqual(['services: 5']);
  });

  it('fmt prints a listing as canonical nft -f text, which kube-proxy-compiled text already is', async () => {
    const expected = readFileSync(EXPECTED, 'utf8');
    expect(await runCli(['fmt', '--check', EXPECTED])).toEqual({ code: 0, stdout: '', stderr: '' });
    const listing = await runCli(['fmt', LISTING]);
    expect(listing.stderr).toBe('');
    expect(listing.code).toBe(0);
    const tables = listing.stdout.split(/(?=^add table )/m);
    expect(tables.map((t) => t.split('\n')[0])).toEqual(['add table ip nat', 'add table ip kube-proxy { comment "rules for kube-proxy" ; }', 'add table ip6 kube-proxy { comment "rules for kube-proxy" ; }']);
    // The ip kube-proxy table of the listing is what was loaded, with the mark as the kernel keeps
    // it (eight hex digits, as real kube-proxy writes it; the conformance vectors write 0x4000).
    expect((tables[1] as string).replaceAll('0x00004000', '0x4000')).toBe(expected);
    expect(tables[0]).toContain('add chain ip nat PREROUTING { type nat hook prerouting priority -100 ; }\n');
    expect(tables[0]).toContain('add rule ip nat KUBE-SERVICES meta l4proto tcp ip daddr 10.96.0.1 tcp dport 443 counter jump KUBE-SVC-NPX46M4PTMTKRN6Y\n');
  });

  it('lint judges nftables tables, and finds nothing in what kube-proxy wrote', async () => {
    const r = await runCli(['lint', '--format', 'json', EXPECTED]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('explain, graph and trace read nftables tables', async () => {
    const explain = await runCli(['explain', EXPECTED]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("kube-proxy's nftables table (ip kube-proxy)");
    const graph = await runCli(['graph', EXPECTED]);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain('services');
    const trace = await runCli(['trace', '--dst', '172.30.0.41:80', EXPECTED]);
    expect(trace.code).toBe(0);
    expect(trace.stdout.split('\n')).toContain('verdict: DNAT to 10.180.0.1:80');
  });

  it('diff compares nftables tables by meaning', async () => {
    const r = await runCli(['diff', EXPECTED, EXPECTED]);
    expect(r).toEqual({ code: 0, stdout: 'no difference\n', stderr: '' });
  });
});
