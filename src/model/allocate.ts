import type { Diagnostic } from '../diagnostics.js';
import { stableHash } from '../kube/stable-hash.js';
import { ipFromBigInt, ipToBigInt, type IpFamily, type ParsedCidr, type ParsedIp } from '../kube/ip.js';
import type { Cluster, Service } from './cluster.js';
import type { CompletionOptions } from './complete-cluster.js';
import { locateIn } from './source-document.js';
import { INPUT_CODES } from './validate.js';

/**
 * Cluster IPs, NodePorts and health-check NodePorts the manifests leave out, as the API server
 * would give them, but deterministic: each value is a stable function of the Service's
 * `namespace/name` (and port), so a repository compiles to the same rules on every run.
 *
 * - Every address or port the manifests give (of any Service) is taken first and never moved.
 * - Then the Services are served in `namespace/name` order. A value's candidates are the sha256
 *   of `KEY/ATTEMPT` for attempt 1, 2, … taken modulo the range; the first candidate not taken is
 *   given. After a few attempts the search goes on address by address from the first candidate,
 *   so a nearly full range is still searched to its end, and a full one is an error (RC104).
 * - Cluster IPs come from the service CIDR of their family (the first one with room); the first
 *   address of a CIDR (the `kubernetes` Service's), its network address and, for IPv4, its
 *   broadcast address are never given.
 * - A NodePort number is taken whatever its protocol; ports of one Service with the same port
 *   number share one NodePort, as the API server gives them.
 *
 * Adding a Service changes another's values only when the newcomer takes one of them first (or a
 * value taken that way frees one another Service preferred). Each value given is a note (RC106).
 * Nothing is allocated when the options say the objects are as a cluster holds them
 * (`rulec.io/allocate: "false"`, for objects written by tests that bypass the API server).
 */
export function allocateServices(cluster: Cluster, options: CompletionOptions, diagnostics: Diagnostic[]): void {
  if (options.allocate === false) return;
  const takenIps = new Set<string>();
  const takenPorts = new Set<number>();
  for (const svc of cluster.services) {
    for (const ip of Object.values(svc.clusterIPs)) if (ip) takenIps.add(ip.text);
    for (const p of svc.ports) if (p.nodePort > 0) takenPorts.add(p.nodePort);
    if (svc.healthCheckNodePort > 0) takenPorts.add(svc.healthCheckNodePort);
  }
  const ordered = [...cluster.services].sort(byName);
  // A Service with a written cluster IP is as an API server stored it (or as a test wrote it,
  // bypassing one): what it lacks besides is left out, as kube-proxy leaves it out.
  const stored = new Set(ordered.filter((svc) => Object.keys(svc.clusterIPs).length > 0));
  for (const svc of ordered) allocateClusterIPs(svc, options.serviceCIDRs, takenIps, diagnostics);
  for (const svc of ordered) {
    if (stored.has(svc)) noteStored(svc, diagnostics);
    else allocateNodePorts(svc, options.nodePortRange, takenPorts, diagnostics);
  }
}

/** A NodePort the Service of a written cluster IP lacks: not allocated (a note says so). */
function noteStored(svc: Service, diagnostics: Diagnostic[]): void {
  const wantsNodePorts = svc.type === 'NodePort' || (svc.type === 'LoadBalancer' && svc.allocateLoadBalancerNodePorts);
  if (svc.headless || !wantsNodePorts) return;
  svc.ports.forEach((p, i) => {
    if (p.nodePort > 0) return;
    diagnostics.push({
      ...locateIn(svc.src, ['spec', 'ports', i]),
      severity: 'note',
      code: INPUT_CODES.asStored,
      message: `${svc.namespace}/${svc.name}: port ${p.name || `${p.port}/${p.protocol}`} has no nodePort, but the Service has a written cluster IP, as a stored object has: read as it is, with no node port (remove the cluster IP to have rulec allocate both)`,
    });
  });
}

function byName(a: Service, b: Service): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** How many hashed candidates are tried before the search goes on one by one. */
const HASHED_ATTEMPTS = 16;

/** A number below `count` from sha256(`key/attempt`). */
function candidate(key: string, attempt: number, count: bigint): bigint {
  return stableHash(`${key}/${attempt}`) % count;
}

/**
 * The first free offset in `[0, count)` for `key`: hashed candidates first, then one by one from
 * the first candidate, wrapping. `free` says whether an offset is free; `taken` bounds the search
 * (at most that many offsets are not free). Null when every offset is taken.
 */
function probe(key: string, count: bigint, taken: number, free: (offset: bigint) => boolean): bigint | null {
  if (count <= 0n) return null;
  const first = candidate(key, 1, count);
  if (free(first)) return first;
  for (let attempt = 2; attempt <= HASHED_ATTEMPTS; attempt++) {
    const c = candidate(key, attempt, count);
    if (free(c)) return c;
  }
  // At most `taken` offsets are taken, so one of the first `taken + 1` from here is free, if any is.
  const steps = BigInt(taken) + 1n < count ? BigInt(taken) + 1n : count;
  for (let i = 1n; i <= steps; i++) {
    const c = (first + i) % count;
    if (free(c)) return c;
  }
  return null;
}

const FAMILY_NAME: Record<IpFamily, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

/**
 * The families `svc` has cluster IPs of, as the API server decides them: SingleStack (or no
 * policy) → the first of `ipFamilies`, else the family of a written address, else the first
 * service CIDR's; PreferDualStack → both families when a CIDR of each exists; RequireDualStack →
 * both. The order is `ipFamilies`', then the written addresses', then the CIDRs'. A
 * PreferDualStack Service whose every written family has its address is taken as an API server
 * left it (single-stack). A string is an error to report.
 */
function familiesOf(svc: Service, cidrFamilies: readonly IpFamily[]): IpFamily[] | string {
  const written = (['ipv4', 'ipv6'] as const).filter((f) => svc.clusterIPs[f]);
  const policy = svc.ipFamilyPolicy ?? 'SingleStack';
  if (policy === 'SingleStack') {
    const family = svc.ipFamilies[0] ?? written[0] ?? cidrFamilies[0] ?? 'ipv4';
    return [family];
  }
  if (policy === 'PreferDualStack' && svc.ipFamilies.length > 0 && svc.ipFamilies.every((f) => svc.clusterIPs[f])) return [...svc.ipFamilies];
  const order = [...new Set<IpFamily>([...svc.ipFamilies, ...written, ...cidrFamilies, 'ipv4', 'ipv6'])];
  const possible = order.filter((f) => svc.clusterIPs[f] || cidrFamilies.includes(f));
  if (policy === 'RequireDualStack' && possible.length < 2) {
    const lacking = order.find((f) => !possible.includes(f)) ?? 'ipv6';
    return `ipFamilyPolicy RequireDualStack needs a cluster IP of each family, and there is no ${FAMILY_NAME[lacking]} service CIDR to allocate one from (give one with --service-cidr)`;
  }
  return possible;
}

/** The offsets of a CIDR that can be given: not its network address, not its first address, not IPv4's broadcast address. */
function usableRange(cidr: ParsedCidr): { base: bigint; low: bigint; count: bigint } {
  const bits = cidr.family === 'ipv4' ? 32 : 128;
  const size = 1n << BigInt(bits - cidr.prefix);
  const high = cidr.family === 'ipv4' ? size - 2n : size - 1n;
  return { base: ipToBigInt(cidr.network), low: 2n, count: high - 2n + 1n };
}

function allocateClusterIPs(svc: Service, cidrs: readonly ParsedCidr[], taken: Set<string>, diagnostics: Diagnostic[]): void {
  if (svc.headless || svc.type === 'ExternalName') return;
  const who = `${svc.namespace}/${svc.name}`;
  const cidrFamilies = [...new Set(cidrs.map((c) => c.family))];
  const families = familiesOf(svc, cidrFamilies);
  const error = (message: string): void => {
    diagnostics.push({ ...locateIn(svc.src, ['spec']), severity: 'error', code: INPUT_CODES.settings, message: `${who}: ${message}` });
  };
  if (typeof families === 'string') return error(families);
  const allocated: Partial<Record<IpFamily, ParsedIp>> = {};
  for (const family of families) {
    if (svc.clusterIPs[family]) continue;
    const ofFamily = cidrs.filter((c) => c.family === family);
    if (ofFamily.length === 0) {
      error(`no ${FAMILY_NAME[family]} service CIDR to allocate a cluster IP from (give one with --service-cidr)`);
      continue;
    }
    let ip: ParsedIp | null = null;
    for (const cidr of ofFamily) {
      const { base, low, count } = usableRange(cidr);
      const at = (offset: bigint): ParsedIp => ipFromBigInt(family, base + low + offset);
      const offset = probe(`${family}/${who}`, count, taken.size, (o) => !taken.has(at(o).text));
      if (offset !== null) {
        ip = at(offset);
        break;
      }
    }
    if (!ip) {
      error(`no cluster IP left to allocate in ${ofFamily.map((c) => c.text).join(', ')}: every address is taken (widen the range with --service-cidr)`);
      continue;
    }
    taken.add(ip.text);
    allocated[family] = ip;
    svc.filledIn = { ...svc.filledIn, clusterIPs: true };
    diagnostics.push({
      ...locateIn(svc.src, ['spec']),
      severity: 'note',
      code: INPUT_CODES.allocated,
      message: `${who}: cluster IP ${ip.text} allocated by rulec (none in the manifest)`,
    });
  }
  // The families in their order, written addresses kept.
  const clusterIPs: Partial<Record<IpFamily, ParsedIp>> = {};
  for (const family of families) {
    const ip = svc.clusterIPs[family] ?? allocated[family];
    if (ip) clusterIPs[family] = ip;
  }
  for (const family of ['ipv4', 'ipv6'] as const) if (!clusterIPs[family] && svc.clusterIPs[family]) clusterIPs[family] = svc.clusterIPs[family];
  svc.clusterIPs = clusterIPs;
}

function allocateNodePorts(svc: Service, range: { min: number; max: number }, taken: Set<number>, diagnostics: Diagnostic[]): void {
  // The API server rejects a headless Service of type NodePort or LoadBalancer: it gets nothing.
  if (svc.headless) return;
  const who = `${svc.namespace}/${svc.name}`;
  const count = BigInt(range.max - range.min + 1);
  const next = (key: string): number | null => {
    const offset = probe(key, count, taken.size, (o) => !taken.has(range.min + Number(o)));
    return offset === null ? null : range.min + Number(offset);
  };
  const exhausted = (what: string, path: (string | number)[]): void => {
    diagnostics.push({
      ...locateIn(svc.src, path),
      severity: 'error',
      code: INPUT_CODES.settings,
      message: `${who}: no ${what} left to allocate in ${range.min}-${range.max}: every port is taken (widen the range with --service-node-port-range)`,
    });
  };
  const wantsNodePorts = svc.type === 'NodePort' || (svc.type === 'LoadBalancer' && svc.allocateLoadBalancerNodePorts);
  if (wantsNodePorts) {
    // Ports with the same number share one NodePort, whatever their protocol, a written one first.
    const byNumber = new Map<number, number>();
    for (const p of svc.ports) if (p.nodePort > 0 && !byNumber.has(p.port)) byNumber.set(p.port, p.nodePort);
    svc.ports.forEach((p, i) => {
      if (p.nodePort > 0) return;
      const portName = p.name || `${p.port}/${p.protocol}`;
      let nodePort = byNumber.get(p.port) ?? null;
      if (nodePort === null) {
        nodePort = next(`nodePort/${who}/${p.name}/${p.protocol}`);
        if (nodePort === null) return exhausted(`node port for port ${portName}`, ['spec', 'ports', i]);
        taken.add(nodePort);
        byNumber.set(p.port, nodePort);
      }
      p.nodePort = nodePort;
      svc.filledIn = { ...svc.filledIn, nodePorts: true };
      diagnostics.push({
        ...locateIn(svc.src, ['spec', 'ports', i]),
        severity: 'note',
        code: INPUT_CODES.allocated,
        message: `${who}: node port ${nodePort} allocated by rulec for port ${portName} (none in the manifest)`,
      });
    });
  }
  if (svc.type === 'LoadBalancer' && svc.externalTrafficLocal && svc.healthCheckNodePort === 0) {
    const port = next(`healthCheckNodePort/${who}`);
    if (port === null) return exhausted('health check node port', ['spec']);
    taken.add(port);
    svc.healthCheckNodePort = port;
    svc.filledIn = { ...svc.filledIn, nodePorts: true };
    diagnostics.push({
      ...locateIn(svc.src, ['spec']),
      severity: 'note',
      code: INPUT_CODES.allocated,
      message: `${who}: health check node port ${port} allocated by rulec (none in the manifest)`,
    });
  }
}
