import fc from 'fast-check';
import { stringify } from 'yaml';

/** Generated clusters for property tests: services of every kind with their EndpointSlices, a node and a kube-proxy configuration. */

export type Obj = Record<string, unknown>;

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const NODES = ['node-a', 'node-b', undefined] as const;

const endpointArb = fc.record({
  host: fc.integer({ min: 1, max: 40 }),
  ready: fc.option(fc.boolean(), { nil: undefined }),
  serving: fc.option(fc.boolean(), { nil: undefined }),
  terminating: fc.option(fc.boolean(), { nil: undefined }),
  node: fc.constantFrom(...NODES),
});

const portArb = fc.record({
  protocol: fc.constantFrom(...PROTOCOLS),
  port: fc.integer({ min: 1, max: 65535 }),
  target: fc.integer({ min: 1, max: 65535 }),
  nodePort: fc.option(fc.integer({ min: 30000, max: 32767 }), { nil: undefined }),
});

const serviceArb = fc.record({
  ns: fc.constantFrom('default', 'shop', 'kube-system', 'ns10', 'ns2'),
  type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
  ports: fc.array(portArb, { minLength: 1, maxLength: 3 }),
  externalIPs: fc.array(fc.integer({ min: 1, max: 250 }), { maxLength: 2 }),
  lbIPs: fc.array(fc.integer({ min: 1, max: 250 }), { maxLength: 2 }),
  sourceRanges: fc.array(fc.constantFrom('203.0.113.0/24', '192.168.0.0/16', '10.0.0.0/8'), { maxLength: 2 }),
  etpLocal: fc.boolean(),
  itpLocal: fc.boolean(),
  affinity: fc.option(fc.integer({ min: 1, max: 86400 }), { nil: undefined }),
  endpoints: fc.array(endpointArb, { maxLength: 6 }),
  headless: fc.boolean(),
});

export const clusterArb = fc.record({
  services: fc.array(serviceArb, { minLength: 1, maxLength: 6 }),
  masqueradeAll: fc.boolean(),
  localhostNodePorts: fc.boolean(),
  clusterCIDR: fc.constantFrom('', '10.0.0.0/8'),
  nodePortAddresses: fc.constantFrom([], ['192.168.0.0/16'], ['127.0.0.0/8', '192.168.0.0/24']),
});

export type GeneratedCluster = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

export function toObjects(c: GeneratedCluster): Obj[] {
  const docs: Obj[] = [
    {
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      hostnameOverride: 'node-a',
      clusterCIDR: c.clusterCIDR,
      iptables: { masqueradeAll: c.masqueradeAll, localhostNodePorts: c.localhostNodePorts },
      nodePortAddresses: c.nodePortAddresses,
    },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-a' },
      status: { addresses: [{ type: 'InternalIP', address: '192.168.0.2' }] },
    },
  ];
  c.services.forEach((s, i) => {
    const name = `svc${i}`;
    const ports = s.ports.map((p, j) => ({ name: `p${j}`, protocol: p.protocol, port: p.port, targetPort: p.target, ...(p.nodePort && s.type !== 'ClusterIP' ? { nodePort: p.nodePort + j } : {}) }));
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: s.ns },
      spec: {
        type: s.type,
        clusterIP: s.headless ? 'None' : `172.30.${i}.${i + 1}`,
        ports,
        externalIPs: s.externalIPs.map((h) => `192.168.99.${h}`),
        loadBalancerSourceRanges: s.sourceRanges,
        externalTrafficPolicy: s.etpLocal ? 'Local' : 'Cluster',
        internalTrafficPolicy: s.itpLocal ? 'Local' : 'Cluster',
        ...(s.type === 'LoadBalancer' && s.etpLocal ? { healthCheckNodePort: 32000 + i } : {}),
        ...(s.affinity ? { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: s.affinity } } } : {}),
      },
      status: { loadBalancer: { ingress: s.type === 'LoadBalancer' ? s.lbIPs.map((h) => ({ ip: `5.6.7.${h}` })) : [] } },
    });
    docs.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-1`, namespace: s.ns, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints: s.endpoints.map((e) => ({
        addresses: [`10.${i}.0.${e.host}`],
        conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
        ...(e.node ? { nodeName: e.node } : {}),
      })),
      ports: s.ports.map((p, j) => ({ name: `p${j}`, protocol: p.protocol, port: p.target })),
    });
  });
  return docs;
}

/** A small deterministic generator, so a failing case replays from its seed. */
export function shuffler(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
  const shuffle = <T>(a: T[]): T[] => {
    const out = [...a];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  const deep = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(deep);
    if (v && typeof v === 'object') return Object.fromEntries(shuffle(Object.entries(v as Obj)).map(([k, val]) => [k, deep(val)]));
    return v;
  };
  return { shuffle, deep };
}

/** The documents as one YAML stream. */
export const yamlStream = (docs: Obj[]) => docs.map((d) => `---\n${stringify(d)}`).join('');
