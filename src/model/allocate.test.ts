import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { parseCidr, parseIp, cidrContains, type ParsedCidr } from '../kube/ip.js';
import { allocateServices } from './allocate.js';
import { buildCluster, type Cluster } from './cluster.js';
import { completionOptions, type CompletionOptions } from './complete-cluster.js';
import { readText, type RawObject } from './read-documents.js';

/** The cluster of `text` (YAML), with its allocations made. */
function allocate(text: string, options: Partial<CompletionOptions> = {}): { cluster: Cluster; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const objects: RawObject[] = [];
  readText(text, 'in.yaml', objects, diagnostics);
  const cluster = buildCluster(objects, diagnostics);
  expect(diagnostics).toEqual([]);
  allocateServices(cluster, { ...completionOptions(cluster, {}), ...options }, diagnostics);
  return { cluster, diagnostics };
}

const messages = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
const cidrs = (...texts: string[]): ParsedCidr[] => texts.map((t) => parseCidr(t) as ParsedCidr);

const WEB = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: dns-tcp, port: 53, protocol: TCP}
  - {name: dns-udp, port: 53, protocol: UDP}
`;

describe('allocateServices', () => {
  it('gives a Service without cluster IP, NodePorts and health-check NodePort each of them, with a note', () => {
    const { cluster, diagnostics } = allocate(WEB);
    const svc = cluster.services[0]!;
    expect(svc.clusterIPs.ipv4?.text).toBe('10.97.31.209');
    expect(svc.clusterIPs.ipv6).toBeUndefined();
    // dns-tcp and dns-udp share a number, so they share a NodePort, as the API server gives them.
    expect(svc.ports.map((p) => p.nodePort)).toEqual([32756, 31421, 31421]);
    expect(svc.healthCheckNodePort).toBe(30050);
    expect(messages(diagnostics)).toEqual([
      '5:3 note RC106: shop/web: cluster IP 10.97.31.209 allocated by rulec (none in the manifest)',
      '9:5 note RC106: shop/web: node port 32756 allocated by rulec for port http (none in the manifest)',
      '10:5 note RC106: shop/web: node port 31421 allocated by rulec for port dns-tcp (none in the manifest)',
      '11:5 note RC106: shop/web: node port 31421 allocated by rulec for port dns-udp (none in the manifest)',
      '5:3 note RC106: shop/web: health check node port 30050 allocated by rulec (none in the manifest)',
    ]);
  });

  it('keeps what the manifest gives and allocates only the rest', () => {
    const { cluster, diagnostics } = allocate(`apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  clusterIP: 10.96.5.5
  ports:
  - {name: http, port: 80, nodePort: 30080}
  - {name: dns-tcp, port: 53, protocol: TCP}
  - {name: dns-udp, port: 53, protocol: UDP, nodePort: 30053}
`);
    const svc = cluster.services[0]!;
    expect(svc.clusterIPs.ipv4?.text).toBe('10.96.5.5');
    // A written cluster IP: the object is as stored, and what it lacks stays out.
    expect(svc.ports.map((p) => p.nodePort)).toEqual([30080, 0, 30053]);
    expect(messages(diagnostics)).toEqual([
      '9:5 note RC108: shop/web: port dns-tcp has no nodePort, but the Service has a written cluster IP, as a stored object has: read as it is, with no node port (remove the cluster IP to have rulec allocate both)',
    ]);
    // Without it, dns-tcp takes the NodePort written for its number.
    const fresh = allocate(`apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  ports:
  - {name: http, port: 80, nodePort: 30080}
  - {name: dns-tcp, port: 53, protocol: TCP}
  - {name: dns-udp, port: 53, protocol: UDP, nodePort: 30053}
`);
    expect(fresh.cluster.services[0]!.ports.map((p) => p.nodePort)).toEqual([30080, 30053, 30053]);
    expect(messages(fresh.diagnostics).filter((m) => m.includes('node port'))).toEqual(['8:5 note RC106: shop/web: node port 30053 allocated by rulec for port dns-tcp (none in the manifest)']);
  });

  it('gives each family its address for dual-stack policies, in the order of ipFamilies', () => {
    const { cluster, diagnostics } = allocate(`apiVersion: v1
kind: Service
metadata: {name: dual, namespace: shop}
spec:
  ipFamilyPolicy: PreferDualStack
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: six, namespace: shop}
spec:
  ipFamilyPolicy: RequireDualStack
  ipFamilies: [IPv6, IPv4]
  clusterIPs: [fd00:10:96::10]
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: single, namespace: shop}
spec:
  ipFamilies: [IPv6]
  ports: [{port: 80}]
`);
    const [dual, six, single] = cluster.services;
    expect(Object.keys(dual!.clusterIPs)).toEqual(['ipv4', 'ipv6']);
    expect(dual!.clusterIPs.ipv4?.text).toBe('10.108.128.46');
    expect(dual!.clusterIPs.ipv6?.text).toBe('fd00:10:96::419c');
    expect(Object.keys(six!.clusterIPs)).toEqual(['ipv6', 'ipv4']);
    expect(six!.clusterIPs.ipv6?.text).toBe('fd00:10:96::10');
    expect(Object.keys(single!.clusterIPs)).toEqual(['ipv6']);
    expect(messages(diagnostics)).toEqual([
      '5:3 note RC106: shop/dual: cluster IP 10.108.128.46 allocated by rulec (none in the manifest)',
      '5:3 note RC106: shop/dual: cluster IP fd00:10:96::419c allocated by rulec (none in the manifest)',
      `21:3 note RC106: shop/single: cluster IP ${single!.clusterIPs.ipv6?.text} allocated by rulec (none in the manifest)`,
      `12:3 note RC106: shop/six: cluster IP ${six!.clusterIPs.ipv4?.text} allocated by rulec (none in the manifest)`,
    ]);
  });

  it('leaves a PreferDualStack Service as an API server left it when every family it names has its address', () => {
    const { cluster, diagnostics } = allocate(`apiVersion: v1
kind: Service
metadata: {name: dumped, namespace: shop}
spec:
  ipFamilyPolicy: PreferDualStack
  ipFamilies: [IPv4]
  clusterIP: 10.96.0.20
  clusterIPs: [10.96.0.20]
  ports: [{port: 80}]
`);
    expect(Object.keys(cluster.services[0]!.clusterIPs)).toEqual(['ipv4']);
    expect(diagnostics).toEqual([]);
  });

  it('allocates only for one family when the service CIDRs have only that one', () => {
    const { cluster, diagnostics } = allocate(
      `apiVersion: v1
kind: Service
metadata: {name: dual, namespace: shop}
spec:
  ipFamilyPolicy: PreferDualStack
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: both, namespace: shop}
spec:
  ipFamilyPolicy: RequireDualStack
  ports: [{port: 80}]
`,
      { serviceCIDRs: cidrs('10.0.0.0/24') },
    );
    expect(Object.keys(cluster.services[0]!.clusterIPs)).toEqual(['ipv4']);
    expect(messages(diagnostics.filter((d) => d.severity === 'error'))).toEqual([
      '12:3 error RC104: shop/both: ipFamilyPolicy RequireDualStack needs a cluster IP of each family, and there is no IPv6 service CIDR to allocate one from (give one with --service-cidr)',
    ]);
  });

  it('leaves headless, ExternalName and ClusterIP Services without NodePorts, and LoadBalancers that ask for none', () => {
    const { cluster, diagnostics } = allocate(`apiVersion: v1
kind: Service
metadata: {name: headless, namespace: shop}
spec: {clusterIP: None, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: shop}
spec: {type: ExternalName, externalName: example.com}
---
apiVersion: v1
kind: Service
metadata: {name: plain, namespace: shop}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: shop}
spec: {type: LoadBalancer, allocateLoadBalancerNodePorts: false, externalTrafficPolicy: Local, ports: [{port: 80}]}
`);
    const [headless, ext, plain, lb] = cluster.services;
    expect(headless!.clusterIPs).toEqual({});
    expect(ext!.clusterIPs).toEqual({});
    expect(plain!.ports[0]!.nodePort).toBe(0);
    expect(lb!.ports[0]!.nodePort).toBe(0);
    expect(lb!.allocateLoadBalancerNodePorts).toBe(false);
    // The health check still gets its port: the API server gives it whatever the NodePorts.
    expect(lb!.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(diagnostics.map((d) => d.message.replace(/[\d.]+ allocated/, 'N allocated'))).toEqual([
      'shop/lb: cluster IP N allocated by rulec (none in the manifest)',
      'shop/plain: cluster IP N allocated by rulec (none in the manifest)',
      'shop/lb: health check node port N allocated by rulec (none in the manifest)',
    ]);
  });

  it('never gives the network, first or broadcast address, and says when a range is full', () => {
    const services = ['a', 'b', 'c', 'd', 'e', 'f']
      .map((n) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}}\nspec: {type: NodePort, ports: [{port: 80}]}\n`)
      .join('---\n');
    const { cluster, diagnostics } = allocate(services, { serviceCIDRs: cidrs('192.168.0.0/29'), nodePortRange: { min: 30000, max: 30004 } });
    const ips = cluster.services.map((s) => s.clusterIPs.ipv4?.text ?? '-');
    // .0 is the network, .1 the kubernetes Service's, .7 the broadcast: five left for six Services.
    expect([...ips].sort()).toEqual(['-', '192.168.0.2', '192.168.0.3', '192.168.0.4', '192.168.0.5', '192.168.0.6']);
    expect(ips[5]).toBe('-');
    expect(messages(diagnostics.filter((d) => d.severity === 'error'))).toEqual([
      '29:7 error RC104: default/f: no cluster IP left to allocate in 192.168.0.0/29: every address is taken (widen the range with --service-cidr)',
      '29:32 error RC104: default/f: no node port for port 80/TCP left to allocate in 30000-30004: every port is taken (widen the range with --service-node-port-range)',
    ]);
  });

  it('never gives the first address of an IPv6 range, nor its network address', () => {
    const services = ['a', 'b']
      .map((n) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}}\nspec: {ipFamilies: [IPv6], ports: [{port: 80}]}\n`)
      .join('---\n');
    const { cluster } = allocate(services, { serviceCIDRs: cidrs('fd00::/126') });
    expect(cluster.services.map((s) => s.clusterIPs.ipv6?.text).sort()).toEqual(['fd00::2', 'fd00::3']);
  });

  it('allocates nothing when the KubeProxyConfiguration says rulec.io/allocate: "false"', () => {
    const config = (value: string) =>
      `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmetadata: {annotations: {rulec.io/allocate: "${value}"}}\n---\n${WEB}`;
    const off = allocate(config('false'));
    expect(off.diagnostics).toEqual([]);
    expect(off.cluster.services[0]!.clusterIPs).toEqual({});
    expect(off.cluster.services[0]!.ports.map((p) => p.nodePort)).toEqual([0, 0, 0]);
    expect(allocate(config('true')).diagnostics).toHaveLength(5);
  });

  it('allocates inside the service CIDRs given', () => {
    const range = cidrs('10.100.0.0/16', 'fd00:1::/108');
    const services = Array.from({ length: 50 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec: {ipFamilyPolicy: PreferDualStack, ports: [{port: 80}]}\n`).join('---\n');
    const { cluster, diagnostics } = allocate(services, { serviceCIDRs: range });
    expect(diagnostics.every((d) => d.severity === 'note')).toBe(true);
    for (const s of cluster.services) {
      expect(cidrContains(range[0]!, s.clusterIPs.ipv4!)).toBe(true);
      expect(cidrContains(range[1]!, s.clusterIPs.ipv6!)).toBe(true);
    }
  });
});

// --- properties ---------------------------------------------------------------------------

interface GenService {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  clusterIP: string | null;
  ports: { port: number; protocol: 'TCP' | 'UDP'; nodePort: number | null }[];
  healthCheckNodePort: number | null;
}

/** Small ranges, so that candidates collide and probing is exercised. */
const OPTIONS: Partial<CompletionOptions> = { serviceCIDRs: cidrs('10.0.0.0/26'), nodePortRange: { min: 30000, max: 30099 } };

const genService = fc.record({
  namespace: fc.constantFrom('a', 'b'),
  name: fc.constantFrom('s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'),
  type: fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'LoadBalancer' as const),
  clusterIP: fc.option(fc.integer({ min: 0, max: 40 }).map((i) => `10.0.0.${i}`), { freq: 3 }),
  ports: fc.uniqueArray(
    fc.record({
      port: fc.constantFrom(53, 80, 443),
      protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
      nodePort: fc.option(fc.integer({ min: 30000, max: 30040 }), { freq: 3 }),
    }),
    { minLength: 1, maxLength: 3, selector: (p) => `${p.port}/${p.protocol}` },
  ),
  healthCheckNodePort: fc.option(fc.integer({ min: 30000, max: 30040 }), { freq: 3 }),
});

const genServices = fc.uniqueArray(genService, { maxLength: 8, selector: (s) => `${s.namespace}/${s.name}` });

function manifest(s: GenService): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace },
    spec: {
      type: s.type,
      ...(s.clusterIP ? { clusterIP: s.clusterIP } : {}),
      ...(s.type === 'LoadBalancer' ? { externalTrafficPolicy: 'Local' } : {}),
      ...(s.type === 'LoadBalancer' && s.healthCheckNodePort ? { healthCheckNodePort: s.healthCheckNodePort } : {}),
      ports: s.ports.map((p, i) => ({ name: `p${i}`, port: p.port, protocol: p.protocol, ...(s.type !== 'ClusterIP' && p.nodePort ? { nodePort: p.nodePort } : {}) })),
    },
  };
}

/** One value given to a Service: its space (`ip` or `port`), the slot it fills, and the value. */
interface Given {
  space: 'ip' | 'port';
  /** `ns/name ipv4`; `ns/name 1` (the NodePort written for ports[1]); `ns/name #80` (the one allocated for port number 80: ports of one number share it); `ns/name hc`. */
  slot: string;
  value: string;
  explicit: boolean;
}

/** Every value of every Service after allocation, in the order allocation serves them. */
function givenValues(services: readonly GenService[]): Given[] {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: services.map(manifest) });
  const { cluster, diagnostics } = allocate(text, OPTIONS);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const byKey = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const ordered = [...cluster.services].sort((x, y) => (`${x.namespace}\0${x.name}` < `${y.namespace}\0${y.name}` ? -1 : 1));
  const out: Given[] = [];
  for (const svc of ordered) {
    const who = `${svc.namespace}/${svc.name}`;
    const written = byKey.get(who)!;
    const ip = svc.clusterIPs.ipv4;
    if (ip) out.push({ space: 'ip', slot: `${who} ipv4`, value: ip.text, explicit: written.clusterIP !== null && parseIp(written.clusterIP)?.text === ip.text });
  }
  for (const svc of ordered) {
    const who = `${svc.namespace}/${svc.name}`;
    const m = manifest(byKey.get(who)!) as { spec: { ports: { nodePort?: number }[]; healthCheckNodePort?: number } };
    const seen = new Set<number>();
    svc.ports.forEach((p, i) => {
      if (p.nodePort === 0) return;
      if (m.spec.ports[i]!.nodePort !== undefined) {
        out.push({ space: 'port', slot: `${who} ${i}`, value: String(p.nodePort), explicit: true });
        return;
      }
      // A port without one takes the NodePort written for its number, else one allocated for its number.
      if (seen.has(p.port) || m.spec.ports.some((q, j) => q.nodePort !== undefined && svc.ports[j]!.port === p.port)) return;
      seen.add(p.port);
      out.push({ space: 'port', slot: `${who} #${p.port}`, value: String(p.nodePort), explicit: false });
    });
    if (svc.healthCheckNodePort) out.push({ space: 'port', slot: `${who} hc`, value: String(svc.healthCheckNodePort), explicit: m.spec.healthCheckNodePort !== undefined });
  }
  return out;
}

describe('allocateServices (properties)', () => {
  it('changes nothing of another Service when one is added, unless the newcomer takes one of its values first', () => {
    fc.assert(
      fc.property(genServices, genService, (base, newcomer) => {
        fc.pre(!base.some((s) => s.namespace === newcomer.namespace && s.name === newcomer.name));
        const before = givenValues(base);
        const after = givenValues([...base, newcomer]);
        const who = `${newcomer.namespace}/${newcomer.name}`;
        const afterBySlot = new Map(after.map((g) => [g.slot, g]));
        const mine = after.filter((g) => g.slot.startsWith(`${who} `));
        const changed = before.filter((g) => afterBySlot.get(g.slot)?.value !== g.value);
        const key = (g: Given) => `${g.space} ${g.value}`;
        const beforeValues = new Set(before.map(key));
        // A newcomer that takes no value another Service had changes nothing.
        if (!mine.some((g) => beforeValues.has(key(g)))) expect(changed).toEqual([]);
        // Each change is the newcomer's doing: it, or a Service moved before this one (in the
        // order allocation serves them), took this value; or such a move freed the new one.
        changed.forEach((g, i) => {
          expect(g.explicit).toBe(false);
          const movedBefore = changed.slice(0, i).filter((c) => c.space === g.space);
          const takers = new Set([...mine, ...movedBefore.map((c) => afterBySlot.get(c.slot)!)].filter((t) => t.space === g.space).map((t) => t.value));
          const freed = new Set(movedBefore.map((c) => c.value));
          const now = afterBySlot.get(g.slot)!.value;
          expect(takers.has(g.value) || freed.has(now), `${g.slot}: ${g.value} → ${now}`).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same values whatever the order of the documents', () => {
    fc.assert(
      fc.property(
        genServices.chain((services) => fc.tuple(fc.constant(services), fc.shuffledSubarray(services, { minLength: services.length, maxLength: services.length }))),
        ([services, shuffled]) => {
          const sorted = (list: Given[]) => [...list].sort((x, y) => (x.slot < y.slot ? -1 : x.slot > y.slot ? 1 : 0));
          expect(sorted(givenValues(shuffled))).toEqual(sorted(givenValues(services)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never moves a value the manifests give, nor gives it to another Service', () => {
    fc.assert(
      fc.property(genServices, (services) => {
        const given = givenValues(services);
        const explicitValues = new Set(given.filter((g) => g.explicit).map((g) => `${g.space} ${g.value}`));
        for (const g of given) if (!g.explicit) expect(explicitValues.has(`${g.space} ${g.value}`), g.slot).toBe(false);
        for (const s of services) {
          const who = `${s.namespace}/${s.name}`;
          if (s.clusterIP) expect(given.find((g) => g.slot === `${who} ipv4`)?.value).toBe(s.clusterIP);
          if (s.type !== 'ClusterIP') s.ports.forEach((p, i) => p.nodePort && expect(given.find((g) => g.slot === `${who} ${i}`)?.value).toBe(String(p.nodePort)));
        }
      }),
      { numRuns: 200 },
    );
  });
});
