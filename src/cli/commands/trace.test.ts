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

describe('rulec trace without --src', () => {
  const CLUSTER = join('examples', 'cluster');
  const NODEPORT_APP = join('examples', 'cluster', 'nodeport-app.yaml');
  /** The rules of one service as pasted from `iptables-save` of the example node, without the table lines. */
  const EXCERPT = [
    '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
    '-A KUBE-SVC-TCOU7JCQXEZGVUNU ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.7:53" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-25M36I63GRYNYR7P',
    '-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.2.4:53" -j KUBE-SEP-RJHMR3QLYGJVBWVL',
    '-A KUBE-SEP-25M36I63GRYNYR7P -s 10.244.1.7/32 -m comment --comment "kube-system/kube-dns:dns" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-25M36I63GRYNYR7P -p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination 10.244.1.7:53',
    '-A KUBE-SEP-RJHMR3QLYGJVBWVL -s 10.244.2.4/32 -m comment --comment "kube-system/kube-dns:dns" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-RJHMR3QLYGJVBWVL -p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination 10.244.2.4:53',
  ];
  const EXCERPT_TEXT = `${EXCERPT.join('\n')}\n`;
  const EXCERPT_IN_TABLE = `*nat\n${EXCERPT_TEXT}COMMIT\n`;
  /** The same without the masquerade rule, so that the rules show no pod network. */
  const EXCERPT_NO_CIDR = `${EXCERPT.filter((l) => !l.includes('! -s')).join('\n')}\n`;

  const POD_FROM_CONFIG = "  - assumption: source 10.244.0.2 (an address of the pod network 10.244.0.0/16, from kube-proxy's clusterCIDR); pass --src to choose another";
  const POD_FROM_RULES = "  - assumption: source 10.244.0.2 (an address of the pod network 10.244.0.0/16, read off the rules: the local-traffic detector's -s CIDR); pass --src to choose another";
  const POD_ASSUMED =
    "  - assumption: source 10.244.0.2 (no IPv4 pod network is known: none given with --cluster-cidr, in kube-proxy's clusterCIDR or the Node's podCIDRs, or read off the rules; 10.244.0.0/16, flannel's and kind's default pod network, is assumed); pass --cluster-cidr or --src to choose another";
  const NODE_FROM_OBJECT = '  - assumption: source 192.168.10.11 (the node IP, from the Node object); pass --src to choose another';
  const NODE_ASSUMED =
    "  - assumption: source 192.0.2.1 (no IPv4 node IP is known: none given with --node-ip, in a Node object or read off the rules; 192.0.2.1, a documentation address, stands for it and counts as the node's own in this trace); pass --node-ip or --src to choose another";
  const EXTERNAL = '  - assumption: source 203.0.113.2 (a documentation address standing for any external client); pass --src to choose another';
  const NO_NODE_IP_NOTE = "rulec trace: note: no --node-ip given; only loopback addresses count as the node's own (addrtype LOCAL)\n";

  async function trace(args: string[], stdin = ''): Promise<{ lines: string[]; stderr: string }> {
    const r = await runCli(['trace', ...args], stdin);
    expect(r.code).toBe(0);
    return { lines: r.stdout.split('\n'), stderr: r.stderr };
  }

  it('on the example cluster: the pod network of the configuration, the Node IP, the external address', async () => {
    const dst = ['--dst', '10.96.0.10:53', '--proto', 'udp'];
    const pod = await trace([CLUSTER, ...dst, '--from', 'pod']);
    expect(pod.lines[0]).toBe('10.244.0.2 -> 10.96.0.10:53/udp from a pod: enters nat PREROUTING');
    expect(pod.lines).toContain(POD_FROM_CONFIG);
    expect((await trace([CLUSTER, ...dst])).lines).toEqual(pod.lines);
    const node = await trace([CLUSTER, ...dst, '--from', 'node']);
    expect(node.lines[0]).toBe('192.168.10.11 -> 10.96.0.10:53/udp from the node itself: enters nat OUTPUT');
    expect(node.lines).toContain(NODE_FROM_OBJECT);
    const external = await trace([CLUSTER, ...dst, '--from', 'external']);
    expect(external.lines[0]).toBe('203.0.113.2 -> 10.96.0.10:53/udp from outside the node: enters nat PREROUTING');
    expect(external.lines).toContain(EXTERNAL);
    expect(pod.stderr + node.stderr + external.stderr).toBe('');
  });

  it('says which flag or object the pod network and the node IP come from', async () => {
    const pod = await trace([NODEPORT_APP, '--dst', '10.96.120.15:80', '--cluster-cidr', '10.50.0.0/16']);
    expect(pod.lines[0]).toBe('10.50.0.2 -> 10.96.120.15:80/tcp from a pod: enters nat PREROUTING');
    expect(pod.lines).toContain('  - assumption: source 10.50.0.2 (an address of the pod network 10.50.0.0/16, given with --cluster-cidr); pass --src to choose another');
    const node = await trace([NODEPORT_APP, '--dst', '10.96.120.15:80', '--from', 'node', '--node-ip', '192.168.7.7']);
    expect(node.lines[0]).toBe('192.168.7.7 -> 10.96.120.15:80/tcp from the node itself: enters nat OUTPUT');
    expect(node.lines).toContain('  - assumption: source 192.168.7.7 (the node IP, given with --node-ip); pass --src to choose another');
    const nodeCidr = await trace([join(CLUSTER, 'node.yaml'), NODEPORT_APP, '--dst', '10.96.120.15:80']);
    expect(nodeCidr.lines).toContain("  - assumption: source 10.244.1.2 (an address of the pod network 10.244.1.0/24, from the Node's podCIDRs); pass --src to choose another");
  });

  it('on manifests that name no pod network and no node: an assumed pod address and an assumed node IP', async () => {
    const dst = ['--dst', '10.96.120.15:80'];
    const pod = await trace([NODEPORT_APP, ...dst, '--from', 'pod']);
    expect(pod.lines[0]).toBe('10.244.0.2 -> 10.96.120.15:80/tcp from a pod: enters nat PREROUTING');
    expect(pod.lines).toContain(POD_ASSUMED);
    const node = await trace([NODEPORT_APP, ...dst, '--from', 'node']);
    expect(node.lines[0]).toBe('192.0.2.1 -> 10.96.120.15:80/tcp from the node itself: enters nat OUTPUT');
    expect(node.lines).toContain(NODE_ASSUMED);
    const external = await trace([NODEPORT_APP, ...dst, '--from', 'external']);
    expect(external.lines[0]).toBe('203.0.113.2 -> 10.96.120.15:80/tcp from outside the node: enters nat PREROUTING');
    expect(external.lines).toContain(EXTERNAL);
  });

  it('on an IPv6 destination: the IPv6 defaults', async () => {
    const pod = await trace([CLUSTER, '--dst', '[fd00::1]:53']);
    expect(pod.lines[0]).toBe('fd00:10:244::2 -> [fd00::1]:53/tcp from a pod: enters nat PREROUTING');
    expect(pod.lines).toContain(
      "  - assumption: source fd00:10:244::2 (no IPv6 pod network is known: none given with --cluster-cidr, in kube-proxy's clusterCIDR or the Node's podCIDRs, or read off the rules; fd00:10:244::/56, kind's default IPv6 pod network, is assumed); pass --cluster-cidr or --src to choose another",
    );
    expect((await trace([CLUSTER, '--dst', '[fd00::1]:53', '--from', 'node'])).lines[0]).toBe('2001:db8::1 -> [fd00::1]:53/tcp from the node itself: enters nat OUTPUT');
    expect((await trace([CLUSTER, '--dst', '[fd00::1]:53', '--from', 'external'])).lines[0]).toBe('2001:db8:ffff::2 -> [fd00::1]:53/tcp from outside the node: enters nat PREROUTING');
  });

  it('takes an assumed node IP as the node\'s own: addrtype --src-type LOCAL matches it', async () => {
    const r = await trace([join(CLUSTER, 'local-policy.yaml'), '--dst', '34.120.8.90:80', '--from', 'node']);
    expect(r.lines[0]).toBe('192.0.2.1 -> 34.120.8.90:80/tcp from the node itself: enters nat OUTPUT');
    expect(r.lines).toContain('  nat KUBE-EXT-CG5I4G2RS3ZVWGLK #1: jump KUBE-MARK-MASQ');
    expect(r.lines).toContain('  nat KUBE-EXT-CG5I4G2RS3ZVWGLK #2: jump KUBE-SVC-CG5I4G2RS3ZVWGLK');
    expect(r.lines).toContain('verdict: DNAT to one of 2 endpoints');
    expect(r.lines).toContain(NODE_ASSUMED);
  });

  for (const [name, text] of [
    ['a pasted excerpt of one service (no table lines)', EXCERPT_TEXT],
    ['the same excerpt inside *nat … COMMIT', EXCERPT_IN_TABLE],
  ] as const) {
    it(`on ${name}: the pod network read off the rules, an assumed node IP, the external address`, async () => {
      const dst = ['-', '--dst', '10.96.0.10:53', '--proto', 'udp'];
      const pod = await trace([...dst, '--from', 'pod'], text);
      expect(pod.lines[0]).toBe('10.244.0.2 -> 10.96.0.10:53/udp from a pod: enters nat PREROUTING');
      expect(pod.lines).toContain(POD_FROM_RULES);
      expect(pod.lines).toContain('verdict: DNAT to one of 2 endpoints');
      expect(pod.stderr).toContain(NO_NODE_IP_NOTE);
      const node = await trace([...dst, '--from', 'node'], text);
      expect(node.lines[0]).toBe('192.0.2.1 -> 10.96.0.10:53/udp from the node itself: enters nat OUTPUT');
      expect(node.lines).toContain('  nat OUTPUT #1: jump KUBE-SERVICES');
      expect(node.lines).toContain('verdict: DNAT to one of 2 endpoints');
      expect(node.lines).toContain(NODE_ASSUMED);
      const external = await trace([...dst, '--from', 'external'], text);
      expect(external.lines[0]).toBe('203.0.113.2 -> 10.96.0.10:53/udp from outside the node: enters nat PREROUTING');
      expect(external.lines).toContain(EXTERNAL);
    });
  }

  it('on an excerpt that shows no pod network: the assumed pod network', async () => {
    const pod = await trace(['-', '--dst', '10.96.0.10:53', '--proto', 'udp'], EXCERPT_NO_CIDR);
    expect(pod.lines[0]).toBe('10.244.0.2 -> 10.96.0.10:53/udp from a pod: enters nat PREROUTING');
    expect(pod.lines).toContain(POD_ASSUMED);
  });

  it('on a dump that names the node IP (nodePortAddresses): that node IP, read off the rules', async () => {
    const dump = [
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-NODEPORTS - [0:0]',
      '-A KUBE-SERVICES -d 127.0.0.1/32 -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -j KUBE-NODEPORTS',
      '-A KUBE-SERVICES -d 192.168.10.11/32 -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -j KUBE-NODEPORTS',
      'COMMIT',
      '',
    ].join('\n');
    const r = await trace(['-', '--dst', '10.96.0.10:53', '--from', 'node'], dump);
    expect(r.lines[0]).toBe('192.168.10.11 -> 10.96.0.10:53/tcp from the node itself: enters nat OUTPUT');
    expect(r.lines).toContain('  - assumption: source 192.168.10.11 (the node IP, read off the rules: the -d of a jump to KUBE-NODEPORTS); pass --src to choose another');
    expect(r.stderr).toBe("rulec trace: note: no --node-ip given; the node's own addresses (addrtype LOCAL) are loopback and those the rules name: 192.168.10.11\n");
  });
});

describe('rulec trace --mode nftables', () => {
  it('traces manifests through the nftables table kube-proxy writes for them', async () => {
    const r = await runCli(['trace', 'examples/cluster', '--mode', 'nftables', '--dst', '10.96.0.10:53', '--proto', 'udp']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('  kube-proxy services #1: vmap @service-ips: goto service-FY5PMXPG-kube-system/kube-dns/udp/dns');
    expect(lines).toContain('verdict: DNAT to one of 2 endpoints');
    expect(lines).toContain('  10.244.1.7:53  50%');
    expect(lines).toContain('  10.244.2.4:53  50%');
  });

  it('diff compiles both sides in nftables mode, and finds them alike', async () => {
    const r = await runCli(['diff', 'examples/cluster', 'examples/cluster', '--mode', 'nftables']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('no difference');
  });
});

describe('rulec trace on a dump reads the chains the packet meets', () => {
  const dump = (bad: string) =>
    [
      '# Generated by iptables-save v1.8.9 (nf_tables) on Sun Nov 22 01:06:57 2026',
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-A - [0:0]',
      ':KUBE-SVC-B - [0:0]',
      ':KUBE-MARK-MASQ - [0:0]',
      '-A PREROUTING -j KUBE-SERVICES',
      '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-A',
      '-A KUBE-SERVICES -d 10.96.0.2/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-B',
      '-A KUBE-SVC-A ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-A -j DNAT --to-destination 10.244.1.2:8080',
      bad,
      'COMMIT',
      '',
    ].join('\n');

  it('an unreadable line in a chain it reads is an error: exit 2, the diagnostic, no output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-trace-late-'));
    const file = join(dir, 'node.iptables-save');
    writeFileSync(file, dump('-A KUBE-SVC-A -m comment --comment "open'));
    const r = await runCli(['trace', file, '--dst', '10.96.0.1:80', '--src', '10.244.0.5']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:13:`);
    expect(r.stderr).toContain('unterminated quoted value');
  });

  it('a line of a chain the packet never meets is not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-trace-late-'));
    const file = join(dir, 'node.iptables-save');
    writeFileSync(file, dump('-A KUBE-SVC-B -m comment --comment "open'));
    const r = await runCli(['trace', file, '--dst', '10.96.0.1:80', '--src', '10.244.0.5', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).endpoints).toEqual([{ destination: '10.244.1.2:8080', probability: 1, masquerade: false }]);
    // The whole dump is read by the commands that read every rule.
    expect((await runCli(['parse', '--summary', file])).code).toBe(2);
  });
});
