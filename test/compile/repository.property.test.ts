import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFiles } from '../../src/compiler/index.js';
import { shuffler, yamlStream, type Obj } from '../support/generated-cluster.js';

/**
 * Properties over generated repositories: Services without cluster IPs or node ports (some with
 * them written), workloads instead of EndpointSlices, several Nodes. Whatever rulec fills in, the
 * order of documents and keys never changes the bytes, and what the manifests write always wins.
 */

const appArb = fc.record({
  ns: fc.constantFrom('shop', 'auth', 'default'),
  type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
  local: fc.boolean(),
  writtenIP: fc.option(fc.integer({ min: 2, max: 4000 }), { nil: undefined }),
  writtenNodePort: fc.option(fc.integer({ min: 30000, max: 32767 }), { nil: undefined }),
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet'),
  replicas: fc.integer({ min: 0, max: 4 }),
  namedPort: fc.boolean(),
});

const repositoryArb = fc.record({
  apps: fc.uniqueArray(fc.tuple(fc.constantFrom('web', 'api', 'db', 'cache', 'queue', 'search', 'mail'), appArb), { minLength: 1, maxLength: 7, selector: ([name, a]) => `${a.ns}/${name}` }),
  nodes: fc.integer({ min: 0, max: 3 }),
});

type Repository = typeof repositoryArb extends fc.Arbitrary<infer T> ? T : never;

function toObjects(r: Repository): Obj[] {
  const out: Obj[] = [];
  for (let n = 1; n <= r.nodes; n++) {
    out.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `worker-${n}`, labels: { 'topology.kubernetes.io/zone': `z${n}` } }, spec: { podCIDR: `10.244.${n}.0/24` }, status: { addresses: [{ type: 'InternalIP', address: `192.168.0.${10 + n}` }] } });
  }
  // Each distinct written value once: two Services claiming one is another fault.
  const ips = new Set<number>();
  const ports = new Set<number>();
  r.apps.forEach(([name, a]) => {
    const spec: Obj = { type: a.type, selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: a.namedPort ? 'http' : 8080, ...(a.type !== 'ClusterIP' && a.writtenNodePort !== undefined && !ports.has(a.writtenNodePort) ? { nodePort: a.writtenNodePort } : {}) }] };
    if (a.type !== 'ClusterIP' && a.writtenNodePort !== undefined) ports.add(a.writtenNodePort);
    if (a.writtenIP !== undefined && !ips.has(a.writtenIP)) spec.clusterIP = `10.96.${a.writtenIP >> 8}.${a.writtenIP & 255}`;
    if (a.writtenIP !== undefined) ips.add(a.writtenIP);
    if (a.type !== 'ClusterIP' && a.local) spec.externalTrafficPolicy = 'Local';
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: a.ns }, spec });
    const template = { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } };
    out.push({ apiVersion: 'apps/v1', kind: a.kind, metadata: { name, namespace: a.ns }, spec: { ...(a.kind === 'DaemonSet' ? {} : { replicas: a.replicas }), selector: { matchLabels: { app: name } }, template } });
  });
  return out;
}

function compile(text: string, node: string | undefined): string {
  const r = compileFiles(['-'], { readStdin: () => text, flags: node === undefined ? {} : { node } });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.text ?? '';
}

describe('manifests as a repository holds them', () => {
  it('document order and key order never change the bytes, on any node', () => {
    fc.assert(
      fc.property(repositoryArb, fc.integer(), (r, seed) => {
        const docs = toObjects(r);
        const node = r.nodes > 1 ? 'worker-2' : undefined;
        const reference = compile(yamlStream(docs), node);
        const s = shuffler(seed);
        expect(compile(yamlStream(s.shuffle(docs).map((d) => s.deep(d) as Obj)), node)).toBe(reference);
      }),
      { numRuns: 80 },
    );
  });

  it('every Service gets its rules, and the cluster IPs and node ports the manifests write are the ones used', () => {
    fc.assert(
      fc.property(repositoryArb, (r) => {
        const docs = toObjects(r);
        const text = compile(yamlStream(docs), r.nodes > 1 ? 'worker-1' : undefined);
        for (const d of docs.filter((o) => o.kind === 'Service')) {
          const meta = d.metadata as { name: string; namespace: string };
          const spec = d.spec as { clusterIP?: string; ports: { nodePort?: number }[] };
          const spn = `${meta.namespace}/${meta.name}:http`;
          // A cluster IP rule when there are endpoints, a reject when there are none: never nothing.
          expect(text, spn).toMatch(new RegExp(`--comment "${spn} (?:cluster IP|has no endpoints)"`));
          if (spec.clusterIP !== undefined) expect(text).toContain(`-d ${spec.clusterIP} --dport 80`);
          const nodePort = spec.ports[0]?.nodePort;
          if (nodePort !== undefined) expect(text).toContain(`--dport ${nodePort}`);
        }
      }),
      { numRuns: 80 },
    );
  });
});
