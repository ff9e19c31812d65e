import type { Diagnostic } from '../diagnostics.js';
import { parseCidr, type ParsedCidr } from '../kube/ip.js';
import { ANNOTATIONS, commaList } from './settings.js';
import type { Cluster } from './cluster.js';
import { allocateServices } from './allocate.js';
import { endpointsFromWorkloads } from './workload-endpoints.js';

/**
 * What the API server and the controllers add to manifests as a repository holds them, and
 * where from: the service CIDRs cluster IPs come from, the NodePort range, and the pod network.
 */
export interface CompletionOptions {
  serviceCIDRs: ParsedCidr[];
  nodePortRange: { min: number; max: number };
  /** The pod network(s), for pod addresses on Nodes without a podCIDR. */
  clusterCIDRs: ParsedCidr[];
  /** False when the objects are as a cluster holds them (`rulec.io/allocate: "false"`): nothing is allocated. Absent is true. */
  allocate?: boolean;
}

/**
 * Fills in what a cluster would: cluster IPs, NodePorts and health-check NodePorts the manifests
 * leave out, then endpoints from the workloads for Services the input gives none. Each addition
 * is a note. The result does not depend on the node: every node's rules read the same cluster.
 */
export function completeCluster(cluster: Cluster, options: CompletionOptions, diagnostics: Diagnostic[]): void {
  allocateServices(cluster, options, diagnostics);
  endpointsFromWorkloads(cluster, options, diagnostics);
}

/** Where kubeadm and kind put Services, when nothing says otherwise. */
export const DEFAULT_SERVICE_CIDRS = ['10.96.0.0/12', 'fd00:10:96::/112'] as const;
/** Where kind puts pods, when neither a Node's podCIDR nor the configuration's clusterCIDR says. */
export const DEFAULT_CLUSTER_CIDRS = ['10.244.0.0/16', 'fd00:10:244::/56'] as const;
export const DEFAULT_NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/**
 * The options from the flags, else the KubeProxyConfiguration (`clusterCIDR`, the
 * `rulec.io/service-cidrs` annotation; a bad value there is reported with the settings), else
 * the defaults above.
 */
export function completionOptions(cluster: Cluster, flags: { serviceCIDRs?: ParsedCidr[]; clusterCIDRs?: ParsedCidr[]; nodePortRange?: { min: number; max: number } }): CompletionOptions {
  const cfg = cluster.config?.value;
  const fromText = (list: readonly string[]): ParsedCidr[] => list.map((t) => parseCidr(t)).filter((c): c is ParsedCidr => c !== null);
  const annotated = fromText(commaList(cfg?.metadata?.annotations?.[ANNOTATIONS.serviceCIDRs]));
  const configured = fromText(commaList(cfg?.clusterCIDR ?? undefined));
  return {
    serviceCIDRs: flags.serviceCIDRs?.length ? flags.serviceCIDRs : annotated.length ? annotated : fromText(DEFAULT_SERVICE_CIDRS),
    clusterCIDRs: flags.clusterCIDRs?.length ? flags.clusterCIDRs : configured.length ? configured : fromText(DEFAULT_CLUSTER_CIDRS),
    nodePortRange: flags.nodePortRange ?? { ...DEFAULT_NODE_PORT_RANGE },
    // Any value but "false" is reported with the settings.
    allocate: cfg?.metadata?.annotations?.[ANNOTATIONS.allocate] !== 'false',
  };
}
