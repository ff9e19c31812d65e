import { NEWEST_PROFILE, type KubeProxyProfile } from '../kube/kube-proxy-profiles.js';
import type { IpFamily } from '../ast/types.js';
import type { Cluster, Endpoint, EndpointSlice, Protocol, Service, ServicePort } from '../model/cluster.js';
import { joinHostPort, type ParsedIp } from '../kube/ip.js';
import { byteCompare } from '../ast/canonical-order.js';
import type { ProxySettings } from '../model/settings.js';
import { formatServicePortName, type ServicePortNameStyle } from '../kube/service-port-name.js';

/**
 * Endpoints of a service port as kube-proxy sees them, and kube-proxy's choice among them
 * (which endpoints serve cluster traffic, which serve node-local traffic). Shared by every
 * backend.
 */

export interface ServiceEndpoint {
  ip: ParsedIp;
  port: number;
  /** `IP:port` or `[IP]:port`. */
  text: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  local: boolean;
  zoneHints: string[] | null;
  nodeHints: string[] | null;
}

/** Slices grouped by `namespace/serviceName`, built once per compile. */
export class SliceIndex {
  private readonly byService = new Map<string, EndpointSlice[]>();

  constructor(cluster: Cluster) {
    for (const s of cluster.slices) {
      if (!s.serviceName) continue;
      const key = `${s.namespace}/${s.serviceName}`;
      const list = this.byService.get(key);
      if (list) list.push(s);
      else this.byService.set(key, [s]);
    }
  }

  slicesOf(svc: Service): EndpointSlice[] {
    return this.byService.get(`${svc.namespace}/${svc.name}`) ?? [];
  }
}

/**
 * The endpoints of one service port in one family: slice ports matched by name and protocol,
 * the first address of each endpoint, duplicates merged (a non-terminating copy wins), sorted by
 * the `IP:port` string.
 */
export function serviceEndpoints(
  slices: readonly EndpointSlice[],
  port: ServicePort,
  family: IpFamily,
  nodeName: string,
  /** When given, filled with the node of each endpoint made. */
  nodeOf?: Map<ServiceEndpoint, string | null>,
): ServiceEndpoint[] {
  const wantType = family === 'ipv4' ? 'IPv4' : 'IPv6';
  const all: ServiceEndpoint[] = [];
  for (const slice of slices) {
    if (slice.addressType !== wantType) continue;
    for (const sp of slice.ports) {
      if (sp.name !== port.name || sp.protocol !== port.protocol || !sp.port) continue;
      for (const e of slice.endpoints) {
        const ep = serviceEndpoint(e, sp.port, nodeName);
        nodeOf?.set(ep, e.nodeName);
        all.push(ep);
      }
    }
  }
  // A stable sort keeps copies of one endpoint in the order they were given; of each group the
  // first that is not terminating is kept, else the first. Slices often list their endpoints in
  // order already: then there is nothing to sort.
  let sorted = true;
  for (let k = 1; k < all.length && sorted; k++) sorted = (all[k - 1] as ServiceEndpoint).text <= (all[k] as ServiceEndpoint).text;
  if (!sorted) all.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  let kept = 0;
  for (let k = 0; k < all.length; k++) {
    const ep = all[k] as ServiceEndpoint;
    const last = kept > 0 ? (all[kept - 1] as ServiceEndpoint) : undefined;
    if (last === undefined || last.text !== ep.text) all[kept++] = ep;
    else if (last.terminating && !ep.terminating) all[kept - 1] = ep;
  }
  all.length = kept;
  return all;
}

/** A slice's endpoint on one port, as the service port sees it from node `nodeName`. */
export function serviceEndpoint(e: Endpoint, port: number, nodeName: string): ServiceEndpoint {
  return {
    ip: e.ip,
    port,
    text: joinHostPort(e.ip.text, port),
    ready: e.ready ?? true,
    serving: e.serving ?? true,
    terminating: e.terminating ?? false,
    local: nodeName !== '' && e.nodeName === nodeName,
    zoneHints: e.zoneHints,
    nodeHints: e.nodeHints,
  };
}

export interface PortTraffic {
  /** NodePort, external IPs or load-balancer IPs of this family. */
  externallyAccessible: boolean;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
}

export interface Categorized {
  /** Endpoints for cluster-wide traffic (null when the port does not use them). */
  cluster: ServiceEndpoint[] | null;
  /** Endpoints for node-local traffic (null when the port does not use them). */
  local: ServiceEndpoint[] | null;
  /** Every endpoint a rule will jump to, sorted. */
  reachable: ServiceEndpoint[];
  hasEndpoints: boolean;
}

const servingTerminating = (e: ServiceEndpoint) => e.serving && e.terminating;
const none = () => false;

/** What the kube-proxy release decides about endpoints (its profile). */
export type EndpointProfile = Pick<KubeProxyProfile, 'policyChains' | 'terminatingFallback' | 'topologyHints' | 'endpointsInUse'>;

/** What decides topology-aware routing on this node. */
export type NodeTopology = Pick<ProxySettings, 'nodeName' | 'nodeZone' | 'preferSameNode'>;

/**
 * kube-proxy's endpoint selection: ready endpoints, narrowed by topology hints (see
 * `topologyFilter`), falling back to serving-and-terminating ones when none is ready; the local
 * set is the same over local endpoints. Without `terminatingFallback` (kube-proxy before 1.26,
 * whose ProxyTerminatingEndpoints gate was off) only ready endpoints are used.
 */
export function categorize(endpoints: readonly ServiceEndpoint[], traffic: PortTraffic, node: NodeTopology, profile: EndpointProfile = NEWEST_PROFILE): Categorized {
  if (!profile.policyChains) return filterEndpoints(endpoints, traffic, profile.endpointsInUse);
  const usableFallback = profile.terminatingFallback ? servingTerminating : none;
  const useLocal = traffic.internalPolicyLocal || traffic.externalPolicyLocal;
  const useCluster = !traffic.internalPolicyLocal || traffic.externallyAccessible;

  let cluster: ServiceEndpoint[] | null = null;
  if (useCluster) {
    const hinted = profile.topologyHints ? topologyFilter(endpoints, node) : null;
    cluster = endpoints.filter((e) => e.ready && (!hinted || hinted(e)));
    if (cluster.length === 0) cluster = endpoints.filter(usableFallback);
  }
  let local: ServiceEndpoint[] | null = null;
  if (useLocal) {
    local = endpoints.filter((e) => e.local && e.ready);
    if (local.length === 0) local = endpoints.filter((e) => e.local && usableFallback(e));
  }

  const hasEndpoints = useLocal ? endpoints.some((e) => e.ready || usableFallback(e)) : (cluster?.length ?? 0) > 0;

  return { cluster, local, reachable: union(cluster ?? [], local ?? []), hasEndpoints };
}

/**
 * kube-proxy's endpoint selection before 1.24 (`FilterEndpoints`): under externalTrafficPolicy:
 * Local every endpoint is used, the local ready ones for external traffic; else
 * internalTrafficPolicy: Local keeps only the local ones, for all traffic. Topology hints are off
 * (the TopologyAwareHints gate is off by default before 1.24). Service chains jump to the ready
 * endpoints. With `inUseOnly` (1.23) only those get endpoint chains and only they count as
 * endpoints; 1.22 gives every endpoint of the port a chain, and any endpoint counts.
 */
function filterEndpoints(endpoints: readonly ServiceEndpoint[], traffic: PortTraffic, inUseOnly: boolean): Categorized {
  const all = !traffic.externalPolicyLocal && traffic.internalPolicyLocal ? endpoints.filter((e) => e.local) : [...endpoints];
  const cluster = all.filter((e) => e.ready);
  const local = traffic.externalPolicyLocal ? cluster.filter((e) => e.local) : null;
  if (!inUseOnly) return { cluster, local, reachable: union(all, []), hasEndpoints: all.length > 0 };
  return { cluster, local, reachable: union(cluster, local ?? []), hasEndpoints: cluster.length > 0 };
}

function strictlySorted(list: readonly ServiceEndpoint[]): boolean {
  for (let i = 1; i < list.length; i++) if (!((list[i - 1] as ServiceEndpoint).text < (list[i] as ServiceEndpoint).text)) return false;
  return true;
}

/** The endpoints of two lists of one port's endpoints, once each, sorted by `IP:port`. */
function union(a: ServiceEndpoint[], b: ServiceEndpoint[]): ServiceEndpoint[] {
  if (b.length === 0 && strictlySorted(a)) return a;
  if (a.length === 0 && strictlySorted(b)) return b;
  const seen = new Set<string>();
  const reachable: ServiceEndpoint[] = [];
  for (const list of [a, b]) {
    for (const e of list) {
      if (!seen.has(e.text)) {
        seen.add(e.text);
        reachable.push(e);
      }
    }
  }
  return reachable.sort((x, y) => (x.text < y.text ? -1 : x.text > y.text ? 1 : 0));
}

/**
 * The hint test cluster traffic uses on this node, or null to use every ready endpoint. Same
 * node first (with the PreferSameTrafficDistribution gate): when every ready endpoint has node
 * hints and one names this node, only endpoints hinted for it. Else the same for zones and the
 * node's zone. Hints that leave this node nothing are ignored, never half applied.
 */
function topologyFilter(endpoints: readonly ServiceEndpoint[], node: NodeTopology): ((e: ServiceEndpoint) => boolean) | null {
  const { nodeName, nodeZone, preferSameNode } = node;
  if (preferSameNode && nodeName !== '' && hintsCover(endpoints, (e) => e.nodeHints, nodeName)) {
    return (e) => (e.nodeHints ?? []).includes(nodeName);
  }
  if (nodeZone && hintsCover(endpoints, (e) => e.zoneHints, nodeZone)) {
    return (e) => (e.zoneHints ?? []).includes(nodeZone);
  }
  return null;
}

/** Whether every ready endpoint has hints of a kind and at least one names `wanted`. */
function hintsCover(endpoints: readonly ServiceEndpoint[], hints: (e: ServiceEndpoint) => string[] | null, wanted: string): boolean {
  let named = false;
  for (const e of endpoints) {
    if (!e.ready) continue;
    const h = hints(e);
    if (!h || h.length === 0) return false;
    if (h.includes(wanted)) named = true;
  }
  return named;
}

/** `namespace/name:port`, or `namespace/name` for an unnamed port. */
export function servicePortName(svc: Service, port: ServicePort, style: ServicePortNameStyle = 'current'): string {
  return formatServicePortName({ namespace: svc.namespace, name: svc.name, port: port.name }, style);
}

export function protocolLower(p: Protocol): 'tcp' | 'udp' | 'sctp' {
  return p === 'TCP' ? 'tcp' : p === 'UDP' ? 'udp' : 'sctp';
}

/** Services kube-proxy handles in a family: not headless, not ExternalName, with a cluster IP of that family. */
export function handledServices(cluster: Cluster, family: IpFamily): Service[] {
  return cluster.services.filter((s) => s.type !== 'ExternalName' && !s.headless && s.clusterIPs[family] !== undefined);
}

/** Services sorted by namespace/name then ports by name and protocol: the canonical processing order. */
export function sortedServicePorts(services: readonly Service[]): { svc: Service; port: ServicePort; spn: string }[] {
  const keyed: { item: { svc: Service; port: ServicePort; spn: string }; service: string; protocol: string }[] = [];
  for (const svc of services) {
    const service = `${svc.namespace}/${svc.name}`;
    for (const port of svc.ports) keyed.push({ item: { svc, port, spn: servicePortName(svc, port) }, service, protocol: protocolLower(port.protocol) });
  }
  keyed.sort((a, b) => byteCompare(a.service, b.service) || byteCompare(a.item.spn, b.item.spn) || byteCompare(a.protocol, b.protocol));
  return keyed.map((k) => k.item);
}

export interface PortItem {
  svc: Service;
  port: ServicePort;
  spn: string;
  protocol: string;
}

/**
 * Service ports in the order the IPVS and nftables backends process them: by service port name (`ns/name:port`,
 * bytewise), then protocol. When two ports produce the same virtual server the later one wins.
 */
export function servicePortsByName(services: readonly Service[]): PortItem[] {
  const items: PortItem[] = [];
  for (const svc of services) {
    for (const port of svc.ports) items.push({ svc, port, spn: servicePortName(svc, port), protocol: protocolLower(port.protocol) });
  }
  return items.sort((a, b) => byteCompare(a.spn, b.spn) || byteCompare(a.protocol, b.protocol));
}
