import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { parseCidr, parseIp, type ParsedCidr, type ParsedIp } from '../kube/ip.js';
import type { Cluster, EndpointSlice, NodeInfo, Service, ServicePort } from './cluster.js';
import { completeCluster, type CompletionOptions } from './complete-cluster.js';
import { SourceDocument, type ObjectSource } from './source-document.js';
import { endpointsFromWorkloads, workloadPods } from './workload-endpoints.js';
import type { Workload, WorkloadPort } from './workloads.js';
import { resolveSettings } from './settings.js';
import { compileIptables } from '../compiler/iptables/index.js';
import { printIptablesRestore } from '../ast/print-iptables.js';

const ip = (t: string): ParsedIp => parseIp(t) as ParsedIp;
const cidr = (t: string): ParsedCidr => parseCidr(t) as ParsedCidr;
const src = (): ObjectSource => ({ doc: new SourceDocument('cluster.yaml', 'kind: Service\nspec:\n  selector:\n    app: web\n', 0), path: [] });

const OPTIONS: CompletionOptions = {
  serviceCIDRs: [cidr('10.96.0.0/12'), cidr('fd00:10:96::/112')],
  nodePortRange: { min: 30000, max: 32767 },
  clusterCIDRs: [cidr('10.244.0.0/16'), cidr('fd00:10:244::/56')],
};

function service(ns: string, name: string, selector: Record<string, string> | null, more: Partial<Service> = {}): Service {
  return {
    namespace: ns,
    name,
    type: 'ClusterIP',
    clusterIPs: { ipv4: ip('10.96.0.10') },
    headless: false,
    externalIPs: [],
    loadBalancerIPs: [],
    sourceRanges: [],
    externalTrafficLocal: false,
    internalTrafficLocal: false,
    affinityTimeout: null,
    healthCheckNodePort: 0,
    ipFamilies: [],
    ipFamilyPolicy: null,
    allocateLoadBalancerNodePorts: true,
    ports: [port('http', 80, 8080)],
    selector,
    externalName: null,
    annotations: {},
    src: src(),
    ...more,
  };
}

function port(name: string, p: number, targetPort: number | string | null, more: Partial<ServicePort> = {}): ServicePort {
  return { name, protocol: 'TCP', port: p, nodePort: 0, targetPort, ...more };
}

function workload(kind: Workload['kind'], ns: string, name: string, labels: Record<string, string>, more: Partial<Workload> = {}): Workload {
  return {
    kind,
    namespace: ns,
    name,
    replicas: kind === 'DaemonSet' ? null : 1,
    labels,
    ports: [],
    nodeName: null,
    podIPs: [],
    ready: true,
    src: src(),
    ...more,
  };
}

const containerPort = (name: string, containerPort: number): WorkloadPort => ({ name, containerPort, protocol: 'TCP' });

function node(name: string, podCIDRs: string[] = [], zone?: string): NodeInfo {
  return { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {}, addresses: [], podCIDRs: podCIDRs.map(cidr), src: src() };
}

function cluster(parts: Partial<Cluster>): Cluster {
  return { services: [], slices: [], nodes: [], node: null, workloads: [], config: null, skipped: [], ...parts };
}

function complete(c: Cluster): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  endpointsFromWorkloads(c, OPTIONS, diagnostics);
  return diagnostics;
}

/** A slice without its source, endpoints as `IP@node ready`. */
function view(s: EndpointSlice) {
  return {
    name: s.name,
    addressType: s.addressType,
    ports: s.ports,
    endpoints: s.endpoints.map((e) => `${e.ip.text}@${e.nodeName ?? '-'}${e.zone ? `/${e.zone}` : ''}${e.ready ? '' : ' not-ready'}`),
  };
}

/** Where the plain rule puts pod `i` of a Deployment and which host of its range it starts probing at. */
function plainRule(key: string, modulus: number): number {
  return Number(BigInt(`0x${createHash('sha256').update(key).digest('hex').slice(0, 32)}`) % BigInt(modulus));
}

const TWO_NODES = () => [node('node-b', ['10.244.2.0/24'], 'zone-b'), node('node-a', ['10.244.1.0/24'], 'zone-a')];

describe('endpoints from workloads', () => {
  it('spreads a Deployment of 3 over 2 Nodes round robin from a stable start, addresses from each Node podCIDR', () => {
    const c = cluster({
      services: [service('shop', 'web', { app: 'web' })],
      nodes: TWO_NODES(),
      workloads: [workload('Deployment', 'shop', 'web', { app: 'web', tier: 'front' }, { replicas: 3 })],
    });
    const d = complete(c);
    expect(c.slices.map(view)).toEqual([
      {
        name: 'web-rulec-ipv4',
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: ['10.244.2.32@node-b/zone-b', '10.244.1.68@node-a/zone-a', '10.244.2.120@node-b/zone-b'],
      },
    ]);
    const [slice] = c.slices as [EndpointSlice];
    expect(slice).toMatchObject({ namespace: 'shop', serviceName: 'web', mirrored: false });
    expect(slice.endpoints[0]).toMatchObject({ ready: true, serving: true, terminating: false, zoneHints: null, nodeHints: null });
    // The rule stated plainly: nodes by name, start at hash(ns/kind/name) mod N; host 2 + hash(key/i) mod (256 - 3).
    const start = plainRule('shop/Deployment/web', 2);
    expect(['node-a', 'node-b'][start]).toBe('node-b');
    expect(`10.244.2.${2 + plainRule('shop/Deployment/web/0', 253)}`).toBe('10.244.2.32');
    expect(d).toEqual([
      {
        file: 'cluster.yaml',
        line: 4,
        column: 5,
        severity: 'note',
        code: 'RC107',
        message: 'shop/web: no EndpointSlice in the input; 3 endpoints made from Deployment shop/web (replicas 3) by rulec',
      },
    ]);
  });

  it('resolves a named targetPort per workload and leaves pods lacking it out of that port', () => {
    const c = cluster({
      services: [service('shop', 'web', { app: 'web' }, { ports: [port('http', 80, 'web'), port('metrics', 9090, 'metrics')] })],
      nodes: TWO_NODES(),
      workloads: [
        workload('Deployment', 'shop', 'web', { app: 'web' }, { ports: [containerPort('web', 8080), containerPort('metrics', 9100)] }),
        workload('Deployment', 'shop', 'web-canary', { app: 'web' }, { ports: [containerPort('web', 8081)] }),
      ],
    });
    const d = complete(c);
    expect(c.slices.map(view)).toEqual([
      { name: 'web-rulec-ipv4', addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }], endpoints: ['10.244.2.32@node-b/zone-b'] },
      { name: 'web-rulec-ipv4-2', addressType: 'IPv4', ports: [{ name: 'http', port: 8081, protocol: 'TCP' }], endpoints: ['10.244.2.183@node-b/zone-b'] },
    ]);
    expect(d.map((x) => x.message)).toEqual([
      'shop/web: no EndpointSlice in the input; 2 endpoints made from Deployment shop/web (replicas 1), Deployment shop/web-canary (replicas 1) by rulec; Deployment shop/web-canary has no container port its targetPort names: its pods are left out of port "metrics"',
    ]);
  });

  it('runs a DaemonSet once on each of 3 Nodes', () => {
    const c = cluster({
      services: [service('kube-system', 'agent', { app: 'agent' })],
      nodes: [node('n3', ['10.244.3.0/24']), node('n1', ['10.244.1.0/24']), node('n2', ['10.244.2.0/24'])],
      workloads: [workload('DaemonSet', 'kube-system', 'agent', { app: 'agent' })],
    });
    const d = complete(c);
    expect(c.slices.map(view)).toEqual([
      { name: 'agent-rulec-ipv4', addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: ['10.244.1.124@n1', '10.244.2.243@n2', '10.244.3.89@n3'] },
    ]);
    expect(d.map((x) => x.message)).toEqual(['kube-system/agent: no EndpointSlice in the input; 3 endpoints made from DaemonSet kube-system/agent (one per node: 3) by rulec']);
  });

  it('numbers a StatefulSet pods and takes a Pod with podIPs as it is', () => {
    const c = cluster({
      services: [service('db', 'pg', { app: 'pg' }, { ports: [port('', 5432, null)] })],
      nodes: TWO_NODES(),
      workloads: [
        workload('StatefulSet', 'db', 'pg', { app: 'pg' }, { replicas: 2 }),
        workload('Pod', 'db', 'pg-debug', { app: 'pg' }, { podIPs: [ip('10.244.1.77')], nodeName: 'node-a', ready: false }),
      ],
    });
    const d = complete(c);
    expect(c.slices.map(view)).toEqual([
      {
        name: 'pg-rulec-ipv4',
        addressType: 'IPv4',
        ports: [{ name: '', port: 5432, protocol: 'TCP' }],
        endpoints: ['10.244.2.143@node-b/zone-b', '10.244.1.214@node-a/zone-a', '10.244.1.77@node-a/zone-a not-ready'],
      },
    ]);
    expect(d.map((x) => x.message)).toEqual(['db/pg: no EndpointSlice in the input; 3 endpoints made from StatefulSet db/pg (replicas 2), Pod db/pg-debug by rulec']);
    const pods = workloadPods(c, OPTIONS);
    expect([...pods.byWorkload.values()].flat().map((p) => `${p.name} ${p.nodeName} ${p.ips.ipv4?.text} ${p.explicit}`)).toEqual(['pg-0 node-b 10.244.2.143 false', 'pg-1 node-a 10.244.1.214 false', 'pg-debug node-a 10.244.1.77 true']);
  });

  it('honours a pod template nodeName', () => {
    const c = cluster({
      services: [service('shop', 'web', { app: 'web' })],
      nodes: TWO_NODES(),
      workloads: [workload('Deployment', 'shop', 'web', { app: 'web' }, { replicas: 3, nodeName: 'node-a' })],
    });
    complete(c);
    expect(c.slices[0]?.endpoints.map((e) => e.nodeName)).toEqual(['node-a', 'node-a', 'node-a']);
    expect(c.slices[0]?.endpoints.every((e) => e.ip.text.startsWith('10.244.1.'))).toBe(true);
  });

  it('makes nothing when the input has an EndpointSlice or Endpoints for the Service', () => {
    const given = (serviceName: string, mirrored: boolean): EndpointSlice => ({
      namespace: 'shop',
      name: `${serviceName}-abc`,
      serviceName,
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [],
      mirrored,
      src: src(),
    });
    for (const mirrored of [false, true]) {
      const c = cluster({
        services: [service('shop', 'web', { app: 'web' })],
        slices: [given('web', mirrored)],
        workloads: [workload('Deployment', 'shop', 'web', { app: 'web' }, { replicas: 2 })],
      });
      expect(complete(c)).toEqual([]);
      expect(c.slices.map((s) => s.name)).toEqual(['web-abc']);
    }
  });

  it('skips headless, ExternalName and selectorless Services, and says nothing when the selector matches no workload', () => {
    const c = cluster({
      services: [
        service('shop', 'headless', { app: 'web' }, { headless: true, clusterIPs: {} }),
        service('shop', 'ext', { app: 'web' }, { type: 'ExternalName', externalName: 'example.com', clusterIPs: {} }),
        service('shop', 'manual', null),
        service('shop', 'empty', {}),
        service('shop', 'other', { app: 'nothing' }),
        service('elsewhere', 'web', { app: 'web' }),
      ],
      workloads: [workload('Deployment', 'shop', 'web', { app: 'web' }), workload('PodTemplate', 'elsewhere', 'web', { app: 'web' })],
    });
    expect(complete(c)).toEqual([]);
    expect(c.slices).toEqual([]);
  });

  it('makes a slice per family of a dual-stack Service', () => {
    const c = cluster({
      services: [service('shop', 'web', { app: 'web' }, { clusterIPs: { ipv4: ip('10.96.0.10'), ipv6: ip('fd00:10:96::a') } })],
      nodes: [node('node-a', ['10.244.1.0/24', 'fd00:10:244:1::/64'])],
      workloads: [workload('Deployment', 'shop', 'web', { app: 'web' }, { replicas: 2 })],
    });
    complete(c);
    expect(c.slices.map(view)).toEqual([
      { name: 'web-rulec-ipv4', addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: ['10.244.1.32@node-a', '10.244.1.68@node-a'] },
      {
        name: 'web-rulec-ipv6',
        addressType: 'IPv6',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: ['fd00:10:244:1:9168:aced:fcc8:cb45@node-a', 'fd00:10:244:1:69c9:a8e3:73fb:ced2@node-a'],
      },
    ]);
  });

  it('takes addresses from the cluster CIDR when there is no Node', () => {
    const c = cluster({
      services: [service('shop', 'web', { app: 'web' })],
      workloads: [workload('Deployment', 'shop', 'web', { app: 'web' }, { replicas: 2, ready: false })],
    });
    complete(c);
    expect(c.slices.map(view)).toEqual([
      { name: 'web-rulec-ipv4', addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: ['10.244.164.247@- not-ready', '10.244.25.238@- not-ready'] },
    ]);
    expect(c.slices[0]?.endpoints[0]).toMatchObject({ ready: false, serving: false, terminating: false, nodeName: null, zone: null });
  });

  it('gives a pod the same address in every Service that selects it', () => {
    const c = cluster({
      services: [service('shop', 'web', { app: 'web' }), service('shop', 'web-tier', { tier: 'front' }, { clusterIPs: { ipv4: ip('10.96.0.11') } })],
      nodes: TWO_NODES(),
      workloads: [workload('Deployment', 'shop', 'web', { app: 'web', tier: 'front' }, { replicas: 3 })],
    });
    complete(c);
    const [a, b] = c.slices as [EndpointSlice, EndpointSlice];
    expect(a.endpoints.map((e) => e.ip.text)).toEqual(b.endpoints.map((e) => e.ip.text));
    expect(b.name).toBe('web-tier-rulec-ipv4');
  });

  it('never gives the network address, the gateway or the broadcast address, and says when a range is full', () => {
    const c = cluster({
      services: [service('shop', 'web', { app: 'web' })],
      nodes: [node('tiny', ['10.1.0.0/29'])],
      workloads: [workload('Deployment', 'shop', 'web', { app: 'web' }, { replicas: 7 })],
    });
    const d = complete(c);
    const addresses = (c.slices[0]?.endpoints ?? []).map((e) => e.ip.text).sort();
    expect(addresses).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6']);
    expect(d[0]?.message).toBe(
      'shop/web: no EndpointSlice in the input; 5 endpoints made from Deployment shop/web (replicas 7) by rulec; 2 pods have no IPv4 address (no pod range of that family on their node, or it is full)',
    );
  });
});

/** Generated clusters: small pod ranges, so that probing and collisions are common. */
const SMALL: CompletionOptions = { ...OPTIONS, clusterCIDRs: [cidr('10.9.0.0/27'), cidr('fd00:9::/123')] };

interface Generated {
  nodes: { name: string; cidrs: string[]; zone?: string }[];
  workloads: { kind: Workload['kind']; ns: string; name: string; app: string; replicas: number; nodeName: string | null; podIP: string | null; named: boolean }[];
  services: { ns: string; name: string; app: string; dual: boolean; named: boolean }[];
}

const generated: fc.Arbitrary<Generated> = fc.record({
  nodes: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom('n1', 'n2', 'n3', 'n4'),
      // 10.9.0.0/29 lies inside the cluster CIDR other pods take addresses from.
      cidrs: fc.constantFrom([], ['10.8.1.0/27'], ['10.8.2.0/27', 'fd00:8:2::/123'], ['10.8.3.0/28'], ['10.9.0.0/29']),
      zone: fc.option(fc.constantFrom('z1', 'z2'), { nil: undefined }),
    }),
    { selector: (n) => n.name, maxLength: 4 },
  ),
  workloads: fc.uniqueArray(
    fc.record({
      kind: fc.constantFrom<Workload['kind']>('Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'ReplicaSet'),
      ns: fc.constantFrom('a', 'b'),
      name: fc.constantFrom('w1', 'w2', 'w3', 'w4', 'w5'),
      app: fc.constantFrom('x', 'y'),
      replicas: fc.integer({ min: 0, max: 12 }),
      nodeName: fc.option(fc.constantFrom('n1', 'n2', 'gone'), { nil: null, freq: 4 }),
      podIP: fc.option(fc.constantFrom('10.8.1.5', '10.8.2.9', '10.9.0.7', '10.9.0.8'), { nil: null }),
      named: fc.boolean(),
    }),
    { selector: (w) => `${w.kind}/${w.ns}/${w.name}`, maxLength: 8 },
  ),
  services: fc.uniqueArray(
    fc.record({ ns: fc.constantFrom('a', 'b'), name: fc.constantFrom('s1', 's2', 's3'), app: fc.constantFrom('x', 'y'), dual: fc.boolean(), named: fc.boolean() }),
    { selector: (s) => `${s.ns}/${s.name}`, maxLength: 5 },
  ),
});

function toWorkload(g: Generated['workloads'][number]): Workload {
  return workload(g.kind, g.ns, g.name, { app: g.app }, {
    replicas: g.kind === 'DaemonSet' ? null : g.kind === 'Pod' ? 1 : g.replicas,
    nodeName: g.nodeName,
    podIPs: g.kind === 'Pod' && g.podIP ? [ip(g.podIP)] : [],
    ports: g.named ? [containerPort('web', 8080)] : [],
    ready: g.replicas % 2 === 0,
  });
}

function toCluster(g: Generated, extra: Workload[] = []): Cluster {
  return cluster({
    nodes: g.nodes.map((n) => node(n.name, n.cidrs, n.zone)),
    workloads: [...g.workloads.map(toWorkload), ...extra],
    services: g.services.map((s) =>
      service(s.ns, s.name, { app: s.app }, {
        clusterIPs: s.dual ? { ipv4: ip('10.96.0.10'), ipv6: ip('fd00:10:96::a') } : { ipv4: ip('10.96.0.10') },
        ports: [port('http', 80, s.named ? 'web' : 8080)],
      }),
    ),
  });
}

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The slices made and the notes, source-free. */
function outcome(c: Cluster, options: CompletionOptions = SMALL) {
  const diagnostics: Diagnostic[] = [];
  endpointsFromWorkloads(c, options, diagnostics);
  return { slices: c.slices.map((s) => ({ ns: s.namespace, ...view(s) })), notes: diagnostics.map((d) => d.message) };
}

const podKey = (w: Workload, index: number) => `${w.namespace}/${w.kind}/${w.name}#${index}`;

/** Every pod's addresses by pod. */
function addressesByPod(c: Cluster): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [w, pods] of workloadPods(c, SMALL).byWorkload) for (const p of pods) out.set(podKey(w, p.index), Object.values(p.ips).map((a) => a.text));
  return out;
}

describe('endpoints from workloads: properties', () => {
  it('the order of workloads, Nodes and Services never changes the slices or the notes', () => {
    fc.assert(
      fc.property(generated, fc.integer(), (g, seed) => {
        const reference = outcome(toCluster(g));
        const c = toCluster(g);
        c.workloads = shuffled(c.workloads, seed);
        c.nodes = shuffled(c.nodes, seed + 1);
        c.services = shuffled(c.services, seed + 2);
        expect(outcome(c)).toEqual(reference);
      }),
      { numRuns: 300 },
    );
  });

  it('every address is unique (explicit ones aside), inside its range and neither its network, gateway nor last address', () => {
    fc.assert(
      fc.property(generated, (g) => {
        const c = toCluster(g);
        const seen = new Set<string>();
        const explicit = new Set(c.workloads.flatMap((w) => w.podIPs.map((x) => x.text)));
        for (const pods of workloadPods(c, SMALL).byWorkload.values()) {
          for (const p of pods) {
            if (p.explicit) continue;
            for (const a of Object.values(p.ips)) {
              expect(seen.has(a.text)).toBe(false);
              seen.add(a.text);
              const last = a.bytes[a.bytes.length - 1] as number;
              const node = c.nodes.find((n) => n.name === p.nodeName);
              const ranges = node && node.podCIDRs.length > 0 ? node.podCIDRs : SMALL.clusterCIDRs;
              const range = ranges.find((r) => r.family === a.family) as ParsedCidr;
              const size = 2 ** ((a.family === 'ipv4' ? 32 : 128) - range.prefix);
              const offset = last - (range.network.bytes[range.network.bytes.length - 1] as number);
              expect(offset).toBeGreaterThanOrEqual(2);
              expect(offset).toBeLessThan(size - 1);
              expect(explicit.has(a.text)).toBe(false);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an unrelated workload moves no pod unless its pods take an address a pod held; then the holder moves', () => {
    const unrelated = fc.record({
      kind: fc.constantFrom<Workload['kind']>('Deployment', 'StatefulSet', 'DaemonSet'),
      where: fc.constantFrom('other-namespace', 'other-labels'),
      name: fc.constantFrom('u', 'w1', 'zz'),
      replicas: fc.integer({ min: 1, max: 6 }),
    });
    let collided = 0;
    let kept = 0;
    fc.assert(
      fc.property(generated, unrelated, (g, u) => {
        const added = workload(u.kind, u.where === 'other-namespace' ? 'c' : 'a', u.name, u.where === 'other-namespace' ? { app: 'x' } : { app: 'unrelated' }, {
          replicas: u.kind === 'DaemonSet' ? null : u.replicas,
        });
        // An object of the input is there once.
        fc.pre(!g.workloads.some((w) => w.kind === added.kind && w.ns === added.namespace && w.name === added.name));
        const before = addressesByPod(toCluster(g));
        const withIt = toCluster(g, [added]);
        const after = addressesByPod(withIt);
        const held = new Map<string, string>();
        for (const [pod, ips] of before) for (const a of ips) held.set(a, pod);
        const own = [...after].filter(([pod]) => pod.startsWith(`${added.namespace}/${added.kind}/${added.name}#`)).flatMap(([, ips]) => ips);
        const taken = own.filter((a) => held.has(a));
        if (taken.length === 0) {
          kept++;
          // Every other pod keeps its addresses, so every Service keeps its endpoints.
          for (const [pod, ips] of before) expect(after.get(pod)).toEqual(ips);
          expect(outcome(toCluster(g, [added]))).toEqual(outcome(toCluster(g)));
        } else {
          collided++;
          // A pod that held a taken address has moved off it.
          for (const a of taken) expect(after.get(held.get(a) as string)).not.toContain(a);
        }
        // Pods made before the added workload (in namespace, name, kind order) never move.
        const order = (w: Workload) => [w.namespace, w.name, w.kind];
        const earlier = (w: Workload) => {
          const [x, y] = [order(w), order(added)];
          for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as string) < (y[i] as string);
          return false;
        };
        for (const w of withIt.workloads) {
          if (w === added || !earlier(w)) continue;
          for (const [pod, ips] of before) if (pod.startsWith(`${w.namespace}/${w.kind}/${w.name}#`)) expect(after.get(pod)).toEqual(ips);
        }
      }),
      { numRuns: 400 },
    );
    // The generator reaches both sides of the rule.
    expect(collided).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });
});

describe('endpoints from workloads, compiled', () => {
  /** The iptables-restore text for the cluster completed, on `nodeName`. */
  function compiled(services: Service[], nodeName: string): { text: string; notes: string[] } {
    const c = cluster({ services, nodes: TWO_NODES(), workloads: [workload('Deployment', 'shop', 'web', { app: 'web' }, { replicas: 3, ports: [containerPort('web', 8080)] })] });
    const diagnostics: Diagnostic[] = [];
    completeCluster(c, OPTIONS, diagnostics);
    c.node = c.nodes.find((n) => n.name === nodeName) ?? null;
    const settings = resolveSettings(c, {}, diagnostics);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return { text: printIptablesRestore(compileIptables(c, settings)), notes: diagnostics.filter((d) => d.code === 'RC107').map((d) => d.message) };
  }
  const destinations = (text: string, chain: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`-A ${chain}`) && l.includes('-j KUBE-SEP-'))
      .map((l) => /-> ([^"]+)"/.exec(l)?.[1]);

  it('sends the cluster IP to a KUBE-SEP chain per made endpoint', () => {
    const { text, notes } = compiled([service('shop', 'web', { app: 'web' }, { ports: [port('http', 80, 'web')] })], 'node-a');
    expect(notes).toHaveLength(1);
    for (const ep of ['10.244.1.68:8080', '10.244.2.120:8080', '10.244.2.32:8080']) {
      expect(text).toMatch(new RegExp(`-A KUBE-SEP-[A-Z0-9]{16} -m comment --comment shop/web:http -m tcp -p tcp -j DNAT --to-destination ${ep.replace(/\./g, '\\.')}\\n`));
    }
    expect(destinations(text, 'KUBE-SVC-')).toEqual(['10.244.1.68:8080', '10.244.2.120:8080', '10.244.2.32:8080']);
  });

  it('with externalTrafficPolicy Local, the node compiled for decides which made endpoints are local', () => {
    const svc = () => service('shop', 'web', { app: 'web' }, { type: 'NodePort', externalTrafficLocal: true, ports: [port('http', 80, 'web', { nodePort: 30080 })] });
    const onA = compiled([svc()], 'node-a').text;
    const onB = compiled([svc()], 'node-b').text;
    expect(destinations(onA, 'KUBE-SVL-')).toEqual(['10.244.1.68:8080']);
    expect(destinations(onB, 'KUBE-SVL-')).toEqual(['10.244.2.120:8080', '10.244.2.32:8080']);
    // Cluster traffic goes to all three either way.
    expect(destinations(onA, 'KUBE-SVC-')).toEqual(destinations(onB, 'KUBE-SVC-'));
  });
});
