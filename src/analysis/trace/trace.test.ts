import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CONFORMANCE, pathText, traced, tracerFor } from '../../../test/support/trace.js';

const TRACE = join(CONFORMANCE, 'trace');
const overall = tracerFor([join(TRACE, 'iptables-trace-packet-overall', 'input.yaml')]);

describe('trace on compiled manifests (TestTracePacket inputs)', () => {
  it('follows a random split into both endpoints with probability 1/2 each', () => {
    const r = traced(overall, { destination: '172.30.0.44:80', source: '10.0.0.2' });
    expect(r.packet).toEqual({ source: '10.0.0.2', destination: '172.30.0.44:80', protocol: 'tcp', from: 'pod', family: 'ipv4', enters: 'PREROUTING' });
    expect(r.verdict).toBe('DNAT');
    expect(r.endpoints).toEqual([
      { destination: '10.180.0.4:80', probability: 0.5, masquerade: false },
      { destination: '10.180.0.5:80', probability: 0.5, masquerade: false },
    ]);
    expect(pathText(r.path)).toEqual(['nat PREROUTING #1: jump KUBE-SERVICES', 'nat KUBE-SERVICES #6: jump KUBE-SVC-4SW47YFZTEDKD3PK']);
    expect(r.service).toEqual({ name: 'ns4/svc4:p80', via: 'cluster IP' });
    const first = r.outcomes[0];
    expect(first?.path[0]).toMatchObject({ chain: 'KUBE-SVC-4SW47YFZTEDKD3PK', rule: 2, probability: 0.5, action: 'jump KUBE-SEP-UKSFD7AGPMPPLUHC' });
    expect(pathText(first?.path.slice(1, 3) ?? [])).toEqual(['nat KUBE-SEP-UKSFD7AGPMPPLUHC #2: DNAT to 10.180.0.4:80', 'filter FORWARD #1: jump KUBE-PROXY-FIREWALL']);
    expect(first?.delivery).toBe('forward');
    expect(r.masquerade).toBe(false);
  });

  it('marks a node-sourced packet to an eTP=Local external IP for masquerade and DNATs it (nat OUTPUT)', () => {
    const r = traced(overall, { destination: '192.168.99.22:80', source: '192.168.0.2' });
    expect(r.packet.from).toBe('node');
    expect(r.packet.enters).toBe('OUTPUT');
    expect(r.verdict).toBe('DNAT');
    expect(r.endpoints).toEqual([{ destination: '10.180.0.2:80', probability: 1, masquerade: true }]);
    expect(r.masquerade).toBe(true);
    const steps = pathText(r.path);
    expect(steps[0]).toBe('nat OUTPUT #1: jump KUBE-SERVICES');
    expect(steps).toContain('nat KUBE-MARK-MASQ #1: MARK or 0x4000 (mark 0x0 -> 0x4000)');
    expect(steps).toContain('nat KUBE-POSTROUTING #3: MASQUERADE (source becomes the outgoing interface\'s address)');
    // KUBE-POSTROUTING clears the mark before masquerading: xor 0x4000.
    expect(steps).toContain('nat KUBE-POSTROUTING #2: MARK xor 0x4000 (mark 0x4000 -> 0x0)');
  });

  it('drops an external packet to an eTP=Local external IP without local endpoints in filter FORWARD', () => {
    const r = traced(overall, { destination: '192.168.99.22:80', source: '203.0.113.2' });
    expect(r.verdict).toBe('DROP');
    expect(r.endpoints).toEqual([]);
    expect(r.masquerade).toBe(false);
    const steps = pathText(r.path);
    expect(steps.slice(-2)).toEqual(['filter FORWARD #4: jump KUBE-EXTERNAL-SERVICES', 'filter KUBE-EXTERNAL-SERVICES #1: DROP']);
  });

  it('rejects a packet to a service without endpoints', () => {
    const r = traced(overall, { destination: '172.30.0.46:80', source: '10.0.0.2' });
    expect(r.verdict).toBe('REJECT');
    expect(pathText(r.path).slice(-1)).toEqual(['filter KUBE-SERVICES #1: REJECT']);
    expect(r.service).toEqual({ name: 'ns6/svc6:p80', via: 'has no endpoints' });
  });

  it('accepts the health check node port for the node itself, through the loopback INPUT', () => {
    const r = traced(overall, { destination: '192.168.0.2:30000', source: '192.168.0.2' });
    expect(r.verdict).toBe('ACCEPT');
    expect(r.outcomes).toHaveLength(1);
    expect(r.outcomes[0]?.delivery).toBe('local');
    expect(pathText(r.path).slice(-2)).toEqual(['filter INPUT #3: jump KUBE-NODEPORTS', 'filter KUBE-NODEPORTS #1: ACCEPT']);
  });

  it('leaves a packet no rule handles alone (NONE, policy ACCEPT)', () => {
    const r = traced(overall, { destination: '10.0.0.3:80', source: '10.0.0.2' });
    expect(r.verdict).toBe('NONE');
    expect(r.endpoints).toEqual([]);
    expect(pathText(r.path)).toContain('filter FORWARD: policy ACCEPT');
  });

  it('answers ICMP: a ping to a cluster IP is not answered in iptables mode', () => {
    const r = traced(overall, { destination: '172.30.0.41', protocol: 'icmp', source: '10.0.0.2' });
    expect(r.verdict).toBe('NONE');
    expect(r.icmp?.answered).toBe(false);
    expect(r.icmp?.reason).toMatch(/^no rule handles ICMP to 172\.30\.0\.41/);
    const node = traced(overall, { destination: '192.168.0.2', protocol: 'icmp', source: '10.0.0.2' });
    expect(node.icmp).toEqual({ answered: true, reason: '192.168.0.2 is an address of the node, which answers the echo request' });
  });

  it('says which addresses it chose and rejects bad queries', () => {
    const r = traced(overall, { destination: '172.30.0.41:80' });
    expect(r.packet.source).toBe('10.0.0.2');
    expect(r.notes[0]?.message).toBe('source 10.0.0.2 (an address of the pod network 10.0.0.0/8); pass --src to choose another');
    expect(overall.trace({ destination: 'nonsense' })).toEqual({ ok: false, error: 'destination "nonsense" is not IP:PORT, [IPv6]:PORT or an IP address' });
    expect(overall.trace({ destination: '172.30.0.41' })).toEqual({ ok: false, error: 'destination 172.30.0.41: a tcp packet needs a port (IP:PORT)' });
    expect(overall.trace({ destination: '172.30.0.41:80', source: 'fd00::1' })).toEqual({ ok: false, error: 'source fd00::1 and destination 172.30.0.41 are of different IP families' });
  });
});

describe('session affinity', () => {
  const affinity = tracerFor([join(CONFORMANCE, 'iptables', 'v126-etp-local-lb-session-affinity', 'input.yaml')]);
  it('treats --rcheck as not matching a first packet and notes it', () => {
    const r = traced(affinity, { destination: '172.30.0.41:80', source: '10.0.0.2' });
    expect(r.endpoints.map((e) => e.destination)).toEqual(['10.180.0.1:80', '10.180.2.1:80']);
    const aff = r.notes.filter((n) => n.kind === 'affinity');
    expect(aff).toHaveLength(2);
    expect(aff[0]?.message).toBe('session affinity: --rcheck on list KUBE-SEP-SXIVWICOYRO3J4NJ (10800s) does not match a first packet; a client seen within the timeout would be pinned to this endpoint');
    // Rule 1 of the chain is the masquerade rule; the affinity checks come next.
    expect(aff.map((n) => n.at)).toEqual(['nat/KUBE-SVC-XPGD46QRK7WJZT7O#2', 'nat/KUBE-SVC-XPGD46QRK7WJZT7O#3']);
  });
  it('with assumeAffinity the first --rcheck rule wins', () => {
    const pinned = tracerFor([join(CONFORMANCE, 'iptables', 'v126-etp-local-lb-session-affinity', 'input.yaml')], {}, { assumeAffinity: true });
    const r = traced(pinned, { destination: '172.30.0.41:80', source: '10.0.0.2' });
    expect(r.endpoints).toEqual([{ destination: '10.180.0.1:80', probability: 1, masquerade: false }]);
  });
});

describe('probabilities', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-trace-'));
  const manifest = (n: number) => {
    const eps = Array.from({ length: n }, (_, i) => `- addresses: ["10.1.${Math.floor(i / 250)}.${(i % 250) + 1}"]`).join('\n');
    const file = join(dir, `svc-${n}.yaml`);
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: app}\nspec:\n  clusterIP: 10.96.0.10\n  ports: [{name: http, port: 80, protocol: TCP}]\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-1, namespace: app, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints:\n${eps}\nports: [{name: http, port: 8080, protocol: TCP}]\n`,
    );
    return file;
  };

  it('the endpoints of a random split get kernel-exact shares that sum to 1 (any count of endpoints)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const r = traced(tracerFor([manifest(n)]), { destination: '10.96.0.10:80', source: '10.1.9.9' });
        expect(r.endpoints).toHaveLength(n);
        const sum = r.endpoints.reduce((a, e) => a + e.probability, 0);
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
        for (const e of r.endpoints) expect(Math.abs(e.probability - 1 / n)).toBeLessThan(1e-8);
      }),
      { numRuns: 25 },
    );
  });

  it('uses the probability the kernel stores (a multiple of 2^-31), as iptables-save prints it', () => {
    const r = traced(tracerFor([manifest(3)]), { destination: '10.96.0.10:80', source: '10.1.9.9' });
    // 0.3333333333 is stored as round(0.3333333333 * 2^31) / 2^31 = 0.33333333349...
    expect(r.endpoints[0]?.probability).toBe(715827883 / 2147483648);
    expect(r.endpoints[1]?.probability).toBeCloseTo((1 - 715827883 / 2147483648) / 2, 15);
  });
});

describe('traffic policies and masquerade (TestInternalExternalMasquerade inputs)', () => {
  const base = tracerFor([join(TRACE, 'iptables-masq-base', 'input.yaml')]);
  it('masquerades external traffic to a NodePort and short-circuits the node to every endpoint', () => {
    const ext = traced(base, { destination: '192.168.0.2:3001', source: '203.0.113.2' });
    expect(ext.endpoints.map((e) => [e.destination, e.masquerade])).toEqual([
      ['10.180.0.1:80', true],
      ['10.180.1.1:80', true],
    ]);
    const pod = traced(base, { destination: '172.30.0.41:80', source: '10.0.0.2' });
    expect(pod.masquerade).toBe(false);
    const hairpin = traced(base, { destination: '172.30.0.41:80', source: '10.180.0.1' });
    // Only the way back to the sender itself is masqueraded (the hairpin rule of its KUBE-SEP chain).
    expect(hairpin.endpoints.map((e) => [e.destination, e.masquerade])).toEqual([
      ['10.180.0.1:80', true],
      ['10.180.1.1:80', false],
    ]);
  });
});

describe('IPVS mode (compiled)', () => {
  const ipvs = tracerFor([join(CONFORMANCE, 'ipvs', 'nodeport-tcp-ipv4', 'input.yaml')], { mode: 'ipvs' });
  it('balances a NodePort through the IPVS virtual service and masquerades it', () => {
    const r = traced(ipvs, { destination: '100.101.102.103:3001', source: '203.0.113.2' });
    expect(r.verdict).toBe('DNAT');
    expect(r.endpoints).toEqual([{ destination: '10.180.0.1:80', probability: 1, masquerade: true }]);
    const ipvsStep = r.path.find((s) => s.table === 'ipvs');
    expect(ipvsStep).toMatchObject({ hook: 'INPUT', chain: '-t 100.101.102.103:3001', text: '-a -t 100.101.102.103:3001 -r 10.180.0.1:80 -w 1' });
    expect(pathText(r.path).slice(-1)).toEqual(["nat KUBE-POSTROUTING #3: MASQUERADE (source becomes the outgoing interface's address)"]);
  });
  it('a ping to a cluster IP bound to kube-ipvs0 is refused by KUBE-IPVS-FILTER', () => {
    const r = traced(ipvs, { destination: '10.20.30.41', protocol: 'icmp', source: '203.0.113.2' });
    expect(r.verdict).toBe('REJECT');
    expect(r.icmp?.answered).toBe(false);
    expect(r.icmp?.reason).toContain('filter KUBE-IPVS-FILTER #');
  });
});

describe('IPVS mode (a dump: ipvsadm -S, ipset save and iptables-save in one file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-ipvs-dump-'));
  const golden = join(process.cwd(), 'test', 'golden', 'ipvs', 'kube-dns');
  const file = join(dir, 'node.txt');
  writeFileSync(file, ['expected.ipvs', 'expected.ipset', 'expected.iptables'].map((f) => readFileSync(join(golden, f), 'utf8')).join(''));
  const t = tracerFor([file], { nodeIPs: ['192.168.10.11'] });
  it('looks the virtual service up and shares new connections among the real servers', () => {
    const r = traced(t, { destination: '10.96.0.10:53', protocol: 'udp', source: '10.244.1.5' });
    expect(r.verdict).toBe('DNAT');
    expect(r.endpoints).toEqual([
      { destination: '10.244.1.7:53', probability: 0.5, masquerade: false },
      { destination: '10.244.2.4:53', probability: 0.5, masquerade: false },
    ]);
    expect(r.outcomes.map((o) => o.path[0]?.text)).toEqual(['-a -u 10.96.0.10:53 -r 10.244.1.7:53 -w 1', '-a -u 10.96.0.10:53 -r 10.244.2.4:53 -w 1']);
    expect(r.notes.map((n) => n.message)).toContain("the iptables rules have no built-in chains; kube-proxy's jumps into its chains (PREROUTING/OUTPUT -> KUBE-SERVICES, …) are assumed");
  });
  it('masquerades a node-sourced connection to a cluster IP (KUBE-CLUSTER-IP without a pod source)', () => {
    const r = traced(t, { destination: '10.96.0.10:9153', source: '192.168.10.11' });
    expect(r.packet.enters).toBe('OUTPUT');
    expect(r.endpoints.map((e) => [e.destination, e.masquerade])).toEqual([
      ['10.244.1.7:9153', true],
      ['10.244.2.4:9153', true],
    ]);
  });
});
