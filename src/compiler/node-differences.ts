import type { Cluster } from '../model/cluster.js';
import type { ProxySettings } from '../model/settings.js';
import type { ServiceEndpoint } from './endpoints.js';
import { NodeIndependentParts } from './node-independent.js';
import { planServicePort, type ServicePortPlan } from './service-port-plan.js';

/** One node's endpoints for a service port: those of cluster-wide traffic and the node-local ones. */
export interface NodeEndpoints {
  node: string;
  cluster: string[];
  local: string[];
}

/** A service port whose rules are not the same on every node, and why. */
export interface NodeDifference {
  /** `ns/name:port`. */
  name: string;
  protocol: string;
  /** What makes the nodes differ: `externalTrafficPolicy: Local`, `internalTrafficPolicy: Local`, `topology hints`. */
  why: string[];
  /** Which sets differ: `local`, `cluster`, or both. */
  differs: ('cluster' | 'local')[];
  nodes: NodeEndpoints[];
}

/**
 * The service ports whose endpoints are not the same on every node, from kube-proxy's own
 * decisions (the per-port plan) for each node's settings: local endpoints under a Local traffic
 * policy, and cluster-wide endpoints narrowed by topology hints. `parts`: those the nodes' compiles
 * share, else made here.
 */
export function nodeDifferences(cluster: Cluster, nodes: readonly { node: string; settings: ProxySettings }[], parts = new NodeIndependentParts(cluster)): NodeDifference[] {
  const first = nodes[0];
  if (!first) return [];
  const out: NodeDifference[] = [];
  const texts = (list: readonly ServiceEndpoint[] | null): string[] => (list ?? []).map((e) => e.text).sort();
  for (const p of parts.portsByName(first.settings.family)) {
    // Without a Local policy or topology hints, every node chooses the same endpoints.
    const firstPlan = planServicePort(p.svc, p.port, parts.endpointsOn(p.svc, p.port, first.settings.family, ''), first.settings);
    if (!firstPlan.externalPolicyLocal && !firstPlan.internalPolicyLocal && !parts.hinted(p.svc, p.port, first.settings.family)) continue;
    const per: NodeEndpoints[] = [];
    let plan: ServicePortPlan | undefined;
    for (const { node, settings } of nodes) {
      plan = planServicePort(p.svc, p.port, parts.endpointsOn(p.svc, p.port, settings.family, settings.nodeName), settings);
      per.push({ node, cluster: texts(plan.endpoints.cluster), local: texts(plan.endpoints.local) });
    }
    const same = (k: 'cluster' | 'local') => per.every((n) => n[k].join(' ') === per[0]?.[k].join(' '));
    const differs = (['cluster', 'local'] as const).filter((k) => !same(k));
    if (differs.length === 0 || !plan) continue;
    const why: string[] = [];
    if (plan.externalPolicyLocal) why.push('externalTrafficPolicy: Local');
    if (plan.internalPolicyLocal) why.push('internalTrafficPolicy: Local');
    if (differs.includes('cluster')) why.push('topology hints');
    out.push({ name: p.spn, protocol: p.protocol, why, differs, nodes: per });
  }
  return out;
}

/** A difference in words: `ns/web:http (tcp) differs between nodes (externalTrafficPolicy: Local): local endpoints: worker-1 10.244.1.5:80; worker-2 none`. */
export function describeNodeDifference(d: NodeDifference): string {
  const sets = d.differs.map((k) => `${k === 'local' ? 'local endpoints' : 'endpoints for cluster-wide traffic'}: ${d.nodes.map((n) => `${n.node} ${n[k].length ? n[k].join(', ') : 'none'}`).join('; ')}`);
  return `${d.name} (${d.protocol}) differs between nodes (${d.why.join(', ')}): ${sets.join('; and ')}`;
}
