import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/run-cli.js';

/**
 * Topology-aware routing: which endpoints cluster traffic goes to on node-a (zone z1) when the
 * EndpointSlice carries zone and node hints, in every proxy mode.
 */

interface Ep {
  ip: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  zones?: string[];
  nodes?: string[];
}

function cluster(endpoints: Ep[], options: { zone?: string | null; gates?: Record<string, unknown>; itpLocal?: boolean } = {}): string {
  const zone = options.zone === undefined ? 'z1' : options.zone;
  const docs = [
    {
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      hostnameOverride: 'node-a',
      ...(options.gates ? { featureGates: options.gates } : {}),
    },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-a', labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
      status: { addresses: [{ type: 'InternalIP', address: '192.168.0.10' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { clusterIP: '172.30.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], ...(options.itpLocal ? { internalTrafficPolicy: 'Local' } : {}) },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: endpoints.map((e) => ({
        addresses: [e.ip],
        conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
        nodeName: e.ip === '10.0.0.9' ? 'node-a' : 'node-x',
        ...(e.zones || e.nodes
          ? { hints: { ...(e.zones ? { forZones: e.zones.map((name) => ({ name })) } : {}), ...(e.nodes ? { forNodes: e.nodes.map((name) => ({ name })) } : {}) } }
          : {}),
      })),
    },
  ];
  return docs.map((d) => `---\n${stringify(d)}`).join('');
}

const PATTERNS = {
  iptables: /--to-destination (10\.0\.0\.\d+):8080/g,
  ipvs: / -r (10\.0\.0\.\d+):8080/g,
  nftables: /dnat to (10\.0\.0\.\d+):8080/g,
} as const;

/** The endpoints cluster traffic reaches, per mode (all three must agree). */
async function chosen(yaml: string): Promise<string[]> {
  const byMode: Record<string, string[]> = {};
  for (const [mode, pattern] of Object.entries(PATTERNS)) {
    const r = await runCli(['compile', '--mode', mode, '-'], yaml);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    byMode[mode] = [...new Set([...r.stdout.matchAll(pattern)].map((m) => m[1] as string))].sort();
  }
  expect(byMode.ipvs).toEqual(byMode.iptables);
  expect(byMode.nftables).toEqual(byMode.iptables);
  return byMode.iptables as string[];
}

const ZONED: Ep[] = [
  { ip: '10.0.0.1', zones: ['z1'] },
  { ip: '10.0.0.2', zones: ['z2'] },
  { ip: '10.0.0.3', zones: ['z1', 'z2'] },
];

describe('topology hints', () => {
  it('narrow cluster traffic to the endpoints hinted for the node’s zone', async () => {
    expect(await chosen(cluster(ZONED))).toEqual(['10.0.0.1', '10.0.0.3']);
  });

  it('are ignored when a ready endpoint has none, when none names the zone, or when the node has no zone', async () => {
    const all = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
    expect(await chosen(cluster([...ZONED.slice(0, 2), { ip: '10.0.0.3' }]))).toEqual(all);
    expect(await chosen(cluster(ZONED, { zone: 'z9' }))).toEqual(all);
    expect(await chosen(cluster(ZONED, { zone: null }))).toEqual(all);
  });

  it('count only ready endpoints: one without hints that is not ready changes nothing', async () => {
    expect(await chosen(cluster([...ZONED, { ip: '10.0.0.4', ready: false, serving: false }]))).toEqual(['10.0.0.1', '10.0.0.3']);
  });

  it('do not apply to the serving-and-terminating fallback', async () => {
    const terminating = ZONED.map((e) => ({ ...e, ready: false, serving: true, terminating: true }));
    expect(await chosen(cluster(terminating))).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  const NODE_HINTED: Ep[] = [
    { ip: '10.0.0.1', zones: ['z1'], nodes: ['node-b'] },
    { ip: '10.0.0.2', zones: ['z2'], nodes: ['node-a'] },
    { ip: '10.0.0.3', zones: ['z1'], nodes: ['node-c'] },
  ];

  it('for nodes are ignored without the PreferSameTrafficDistribution gate (kube-proxy 1.33)', async () => {
    expect(await chosen(cluster(NODE_HINTED))).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(await chosen(cluster(NODE_HINTED, { gates: { PreferSameTrafficDistribution: false, SomeOtherGate: true } }))).toEqual(['10.0.0.1', '10.0.0.3']);
  });

  it('for nodes come first with the gate on, and give way to zone hints when none names this node', async () => {
    const gates = { PreferSameTrafficDistribution: true };
    expect(await chosen(cluster(NODE_HINTED, { gates }))).toEqual(['10.0.0.2']);
    const elsewhere = NODE_HINTED.map((e) => ({ ...e, nodes: ['node-z'] }));
    expect(await chosen(cluster(elsewhere, { gates }))).toEqual(['10.0.0.1', '10.0.0.3']);
    const partly = [...NODE_HINTED.slice(0, 2), { ip: '10.0.0.3', zones: ['z1'] }];
    expect(await chosen(cluster(partly, { gates }))).toEqual(['10.0.0.1', '10.0.0.3']);
  });

  it('leave node-local traffic alone', async () => {
    const withLocal = [...ZONED, { ip: '10.0.0.9', zones: ['z2'] }];
    expect(await chosen(cluster(withLocal, { itpLocal: true }))).toEqual(['10.0.0.9']);
  });

  it('reject a feature gate that is not true or false', async () => {
    const r = await runCli(['compile', '-'], cluster(ZONED, { gates: { PreferSameTrafficDistribution: 'yes' } }));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      '<stdin>:6:34: error RC100: KubeProxyConfiguration (unnamed): featureGates.PreferSameTrafficDistribution: expected boolean, got string "yes"\n',
    );
  });
});
