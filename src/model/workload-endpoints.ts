import type { Diagnostic } from '../diagnostics.js';
import { displayName, quoteToken } from '../display-text.js';
import { ipFromBigInt, ipToBigInt, type IpFamily, type ParsedCidr, type ParsedIp } from '../kube/ip.js';
import { stableHash } from '../kube/stable-hash.js';
import type { Cluster, Endpoint, EndpointSlice, NodeInfo, Protocol, Service } from './cluster.js';
import type { CompletionOptions } from './complete-cluster.js';
import { locateIn } from './source-document.js';
import { INPUT_CODES } from './validate.js';
import { resolveTargetPort, selectorMatches, type Workload } from './workloads.js';

/**
 * Endpoints for selector Services the input gives none, made from the workloads as the endpoint
 * controller would make them from the pods the workloads run. Every choice is deterministic:
 *
 * - Pods: `replicas` per workload (at most MAX_PODS_PER_WORKLOAD); a DaemonSet one per Node (one
 *   when there is no Node); a Pod is itself. A PodTemplate runs no pod.
 * - Placement: a pod template's `nodeName` when set; a DaemonSet's pods one on each Node; else pod
 *   i goes to the i-th Node after a start that is the hash of `namespace/kind/name`, Nodes sorted
 *   by name (round robin from a stable offset).
 * - Addresses: a Pod's own `status.podIPs`; else, per family, from the Node's podCIDR of that
 *   family (the cluster CIDR when the Node has no podCIDR at all, or there is no Node): the hash
 *   of `namespace/kind/name/i` (`/NODE` for a DaemonSet) picks a host, probed upwards past
 *   addresses already taken. Never the network address, the first host (the gateway) or the last
 *   address (broadcast). Explicit pod addresses are taken first, then workloads in order of
 *   namespace, name and kind, each pod in index order: a pod keeps its address when another
 *   workload is added unless that workload's pods take an address a pod held before.
 */

/** Pods made for one workload at most; the note says when a workload asks for more. */
export const MAX_PODS_PER_WORKLOAD = 10_000;

/** The label a Node's zone is read from. */
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** A pod a workload would run, with where it runs and its addresses. */
export interface WorkloadPod {
  workload: Workload;
  index: number;
  name: string;
  nodeName: string | null;
  zone: string | null;
  /** Its addresses by family (absent: the pod has none of that family). */
  ips: Partial<Record<IpFamily, ParsedIp>>;
  /** Whether the addresses are the Pod's own `status.podIPs` rather than chosen here. */
  explicit: boolean;
}

export interface WorkloadPods {
  /** Per workload, its pods in index order. */
  byWorkload: Map<Workload, WorkloadPod[]>;
  /** Workloads that asked for more pods than are made (see MAX_PODS_PER_WORKLOAD). */
  capped: Set<Workload>;
}

/** EndpointSlices for selector Services the input gives none, from the workloads, as the endpoint controller would make them. */
export function endpointsFromWorkloads(cluster: Cluster, options: CompletionOptions, diagnostics: Diagnostic[]): void {
  const wanted = servicesWanting(cluster);
  if (wanted.length === 0 || cluster.workloads.length === 0) return;
  const pods = workloadPods(cluster, options);
  const workloads = sortedWorkloads(cluster.workloads);
  for (const svc of wanted) {
    const matched = workloads.filter((w) => w.kind !== 'PodTemplate' && w.namespace === svc.namespace && selectorMatches(svc.selector, w.labels));
    if (matched.length === 0) continue;
    const made = slicesFor(svc, matched, pods);
    cluster.slices.push(...made.slices);
    svc.filledIn = { ...svc.filledIn, endpoints: true };
    diagnostics.push({
      ...locateIn(svc.src, ['spec', 'selector']),
      severity: 'note',
      code: INPUT_CODES.synthesised,
      message: noteText(svc, matched, pods, made),
    });
  }
}

/**
 * Services that get endpoints made: with a selector, neither ExternalName nor headless, with a
 * cluster IP, and no EndpointSlice or Endpoints of theirs in the input. In order of namespace and
 * name.
 */
function servicesWanting(cluster: Cluster): Service[] {
  const given = new Set<string>();
  for (const s of cluster.slices) if (s.serviceName !== null) given.add(`${s.namespace}/${s.serviceName}`);
  return cluster.services
    .filter(
      (s) =>
        s.type !== 'ExternalName' &&
        !s.headless &&
        s.selector !== null &&
        Object.keys(s.selector).length > 0 &&
        (s.clusterIPs.ipv4 !== undefined || s.clusterIPs.ipv6 !== undefined) &&
        !given.has(`${s.namespace}/${s.name}`),
    )
    .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
}

/** Workloads in the order pods are made: namespace, name, kind. */
export function sortedWorkloads(workloads: readonly Workload[]): Workload[] {
  return [...workloads].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name) || compareText(a.kind, b.kind));
}

/** Every workload's pods, placed and addressed; the same whatever the order of workloads and Nodes. */
export function workloadPods(cluster: Pick<Cluster, 'workloads' | 'nodes'>, options: Pick<CompletionOptions, 'clusterCIDRs'>): WorkloadPods {
  const nodes = [...cluster.nodes].sort((a, b) => compareText(a.name, b.name));
  const nodeByName = new Map(nodes.map((n) => [n.name, n] as const));
  const workloads = sortedWorkloads(cluster.workloads);
  const pool = new AddressPool();
  const byWorkload = new Map<Workload, WorkloadPod[]>();
  const capped = new Set<Workload>();

  // Explicit addresses first: no pod made here may take one.
  for (const w of workloads) for (const ip of w.podIPs) pool.take(ip);

  for (const w of workloads) {
    const placed = placements(w, nodes);
    if (placed.length > MAX_PODS_PER_WORKLOAD) {
      capped.add(w);
      placed.length = MAX_PODS_PER_WORKLOAD;
    }
    const list: WorkloadPod[] = [];
    placed.forEach(({ name, nodeName, key }, index) => {
      const node = nodeName === null ? undefined : nodeByName.get(nodeName);
      const pod: WorkloadPod = { workload: w, index, name, nodeName, zone: node?.labels[ZONE_LABEL] ?? null, ips: {}, explicit: false };
      if (w.kind === 'Pod' && w.podIPs.length > 0) {
        pod.explicit = true;
        for (const ip of w.podIPs) pod.ips[ip.family] ??= ip;
      } else {
        for (const family of ['ipv4', 'ipv6'] as const) {
          const range = podRange(node, family, options.clusterCIDRs);
          const ip = range && pool.allocate(range, key);
          if (ip) pod.ips[family] = ip;
        }
      }
      list.push(pod);
    });
    byWorkload.set(w, list);
  }
  return { byWorkload, capped };
}

/** A workload's pods: name, node and the key their addresses are hashed from. */
function placements(w: Workload, nodes: readonly NodeInfo[]): { name: string; nodeName: string | null; key: string }[] {
  const base = `${w.namespace}/${w.kind}/${w.name}`;
  if (w.kind === 'PodTemplate') return [];
  if (w.kind === 'Pod') return [{ name: w.name, nodeName: w.nodeName, key: `${base}/0` }];
  if (w.kind === 'DaemonSet' && w.replicas === null) {
    // One pod per Node (on the one its template names, when it names one).
    if (w.nodeName !== null) return [{ name: `${w.name}-0`, nodeName: w.nodeName, key: `${base}/${w.nodeName}` }];
    if (nodes.length === 0) return [{ name: `${w.name}-0`, nodeName: null, key: `${base}/0` }];
    return nodes.map((n, i) => ({ name: `${w.name}-${i}`, nodeName: n.name, key: `${base}/${n.name}` }));
  }
  const replicas = Math.max(0, Math.min(w.replicas ?? 1, MAX_PODS_PER_WORKLOAD + 1));
  const start = nodes.length > 0 ? Number(stableHash(base) % BigInt(nodes.length)) : 0;
  const out: { name: string; nodeName: string | null; key: string }[] = [];
  for (let i = 0; i < replicas; i++) {
    const nodeName = w.nodeName ?? (nodes.length > 0 ? (nodes[(start + i) % nodes.length] as NodeInfo).name : null);
    out.push({ name: `${w.name}-${i}`, nodeName, key: `${base}/${i}` });
  }
  return out;
}

/**
 * The range a pod's address of a family comes from: its Node's first podCIDR of that family; a
 * Node with podCIDRs but none of that family gives its pods no address of it. Without a Node, or
 * on a Node with no podCIDR, the first cluster CIDR of that family.
 */
function podRange(node: NodeInfo | undefined, family: IpFamily, clusterCIDRs: readonly ParsedCidr[]): ParsedCidr | null {
  if (node && node.podCIDRs.length > 0) return node.podCIDRs.find((c) => c.family === family) ?? null;
  return clusterCIDRs.find((c) => c.family === family) ?? null;
}

/** Addresses taken so far, and how many candidates of each range asked about are taken. */
class AddressPool {
  /** Addresses by canonical text. */
  private readonly taken = new Map<string, ParsedIp>();
  /** Ranges asked about, with how many of their candidate hosts are taken (kept up to date as ranges may overlap). */
  private readonly ranges = new Map<string, { range: ParsedCidr; candidates: bigint; used: bigint }>();

  take(ip: ParsedIp): void {
    if (this.taken.has(ip.text)) return;
    this.taken.set(ip.text, ip);
    for (const r of this.ranges.values()) if (isCandidate(r.range, r.candidates, ip)) r.used++;
  }

  /**
   * The address for `key` in `range`: the candidate host at the key's hash, else the next free one
   * upwards (wrapping round); null when the range has no free candidate. Candidates are every
   * address but the network address, the first host and the last address.
   */
  allocate(range: ParsedCidr, key: string): ParsedIp | null {
    const r = this.rangeOf(range);
    if (r.used >= r.candidates) return null;
    const base = ipToBigInt(range.network);
    let offset = stableHash(key) % r.candidates;
    // At most one round: the count says a candidate is free.
    for (let tried = 0n; tried < r.candidates; tried++) {
      const ip = ipFromBigInt(range.family, base + 2n + offset);
      if (!this.taken.has(ip.text)) {
        this.take(ip);
        return ip;
      }
      offset = (offset + 1n) % r.candidates;
    }
    return null;
  }

  private rangeOf(range: ParsedCidr): { range: ParsedCidr; candidates: bigint; used: bigint } {
    let r = this.ranges.get(range.text);
    if (!r) {
      const candidates = (1n << BigInt(range.network.bytes.length * 8 - range.prefix)) - 3n;
      r = { range, candidates, used: 0n };
      for (const ip of this.taken.values()) if (isCandidate(range, candidates, ip)) r.used++;
      this.ranges.set(range.text, r);
    }
    return r;
  }
}

/** Whether an address is one of a range's candidate hosts (not its network address, first host or last address). */
function isCandidate(range: ParsedCidr, candidates: bigint, ip: ParsedIp): boolean {
  const off = offsetIn(range, ip);
  return candidates > 0n && off !== null && off >= 2n && off < candidates + 2n;
}

/** The host offset of an address inside a range, or null when it is outside. */
function offsetIn(range: ParsedCidr, ip: ParsedIp): bigint | null {
  if (ip.family !== range.family) return null;
  const bits = BigInt(ip.bytes.length * 8 - range.prefix);
  const value = ipToBigInt(ip);
  const net = ipToBigInt(range.network);
  if (value >> bits !== net >> bits) return null;
  return value - net;
}

interface Made {
  slices: EndpointSlice[];
  /** Pods in at least one port of a slice. */
  endpoints: number;
  /** Per workload, the Service ports its pods are left out of (a named targetPort they lack). */
  unresolved: Map<Workload, string[]>;
  /** Per family of the Service, how many of its pods got no address of it. */
  unaddressed: Partial<Record<IpFamily, number>>;
}

/**
 * The Service's slices: per family it has a cluster IP of, the pods grouped by the ports they
 * resolve (a pod lacking a named targetPort is left out of that port), one slice per group.
 */
function slicesFor(svc: Service, matched: readonly Workload[], pods: WorkloadPods): Made {
  const families = (['ipv4', 'ipv6'] as const).filter((f) => svc.clusterIPs[f] !== undefined);
  const unresolved = new Map<Workload, string[]>();
  const groups = new Map<string, { ports: { name: string; port: number; protocol: Protocol }[]; pods: WorkloadPod[] }>();
  for (const w of matched) {
    const ports: { name: string; port: number; protocol: Protocol }[] = [];
    for (const p of svc.ports) {
      const port = resolveTargetPort(p.targetPort, p.port, p.protocol, w.ports);
      if (port === null) {
        const list = unresolved.get(w) ?? [];
        list.push(p.name);
        unresolved.set(w, list);
      } else ports.push({ name: p.name, port, protocol: p.protocol });
    }
    if (ports.length === 0) continue;
    const key = ports.map((p) => `${p.name}/${p.protocol}/${p.port}`).join(',');
    const group = groups.get(key) ?? { ports, pods: [] };
    group.pods.push(...(pods.byWorkload.get(w) ?? []));
    groups.set(key, group);
  }
  const keys = [...groups.keys()].sort(compareText);
  const slices: EndpointSlice[] = [];
  const counted = new Set<WorkloadPod>();
  const unaddressed: Partial<Record<IpFamily, number>> = {};
  for (const family of families) {
    let n = 0;
    for (const key of keys) {
      const group = groups.get(key) as { ports: { name: string; port: number; protocol: Protocol }[]; pods: WorkloadPod[] };
      const endpoints: Endpoint[] = [];
      for (const pod of group.pods) {
        const ip = pod.ips[family];
        if (!ip) {
          unaddressed[family] = (unaddressed[family] ?? 0) + 1;
          continue;
        }
        counted.add(pod);
        endpoints.push({
          ip,
          ready: pod.workload.ready,
          serving: pod.workload.ready,
          terminating: false,
          nodeName: pod.nodeName,
          zone: pod.zone,
          zoneHints: null,
          nodeHints: null,
        });
      }
      if (endpoints.length === 0) continue;
      n++;
      slices.push({
        namespace: svc.namespace,
        name: `${svc.name}-rulec-${family}${n > 1 ? `-${n}` : ''}`,
        serviceName: svc.name,
        addressType: family === 'ipv4' ? 'IPv4' : 'IPv6',
        ports: group.ports.map((p) => ({ ...p })),
        endpoints,
        mirrored: false,
        src: svc.src,
      });
    }
  }
  return { slices, endpoints: counted.size, unresolved, unaddressed };
}

/** `shop/web: no EndpointSlice in the input; 3 endpoints made from Deployment shop/web (replicas 3) by rulec`, and what was left out. */
function noteText(svc: Service, matched: readonly Workload[], pods: WorkloadPods, made: Made): string {
  const what = (w: Workload) => `${w.kind} ${displayName(`${w.namespace}/${w.name}`)}`;
  const sources = matched.map((w) => {
    const count = pods.byWorkload.get(w)?.length ?? 0;
    if (w.kind === 'Pod') return what(w);
    if (w.kind === 'DaemonSet' && w.replicas === null) return `${what(w)} (one per node: ${count})`;
    if (pods.capped.has(w)) return `${what(w)} (replicas ${w.replicas}; the first ${MAX_PODS_PER_WORKLOAD} made)`;
    return `${what(w)} (replicas ${count})`;
  });
  const n = made.endpoints;
  let text = `${displayName(`${svc.namespace}/${svc.name}`)}: no EndpointSlice in the input; ${n} endpoint${n === 1 ? '' : 's'} made from ${sources.join(', ')} by rulec`;
  for (const [w, ports] of made.unresolved) {
    const named = ports.map((p) => (p === '' ? 'the unnamed port' : `port ${quoteToken(p)}`)).join(', ');
    text += `; ${what(w)} has no container port its targetPort names: its pods are left out of ${named}`;
  }
  for (const family of ['ipv4', 'ipv6'] as const) {
    const k = made.unaddressed[family] ?? 0;
    if (k > 0) text += `; ${k} pod${k === 1 ? ' has' : 's have'} no ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address (no pod range of that family on ${k === 1 ? 'its' : 'their'} node, or it is full)`;
  }
  return text;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
