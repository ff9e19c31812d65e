import type { Diagnostic } from '../diagnostics.js';
import type { IpFamily } from '../kube/ip.js';
import { parseCidr, parseIp, type ParsedCidr, type ParsedIp } from '../kube/ip.js';
import { load as loadYaml } from 'js-yaml';
import type { RawObject } from './read-documents.js';
import { locateIn, type ObjectSource } from './source-document.js';
import { INPUT_CODES, validateObject } from './validate.js';
import { displayName, quoteToken } from '../display-text.js';
import { serviceSchema, type ServiceObject } from './schemas/service.js';
import { endpointSliceSchema, endpointsSchema, type EndpointsObject } from './schemas/endpoints.js';
import { nodeSchema } from './schemas/node.js';
import { kubeProxyConfigSchema, type KubeProxyConfigObject } from './schemas/kube-proxy-config.js';
import type { Workload } from './workloads.js';
import { isWorkloadKind, readWorkload, WORKLOAD_APIS } from './read-workloads.js';

/**
 * The normalised cluster model: what the compiler backends read. Built from validated objects;
 * every address in it is parsed and canonical.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePort {
  name: string;
  protocol: Protocol;
  port: number;
  /** 0 when unset. */
  nodePort: number;
  targetPort: number | string | null;
}

export interface Service {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** Cluster IPs by family (absent for headless services or a family the service lacks). */
  clusterIPs: Partial<Record<IpFamily, ParsedIp>>;
  headless: boolean;
  externalIPs: ParsedIp[];
  /** `status.loadBalancer.ingress[].ip`, without `ipMode: Proxy` entries. */
  loadBalancerIPs: ParsedIp[];
  sourceRanges: ParsedCidr[];
  externalTrafficLocal: boolean;
  internalTrafficLocal: boolean;
  /** ClientIP affinity timeout in seconds, or null without affinity. */
  affinityTimeout: number | null;
  healthCheckNodePort: number;
  /** `spec.allocateLoadBalancerNodePorts`: false when a LoadBalancer Service asks for no NodePorts (unset is true). */
  allocateLoadBalancerNodePorts: boolean;
  /** `spec.ipFamilies` as written (empty when unset). */
  ipFamilies: IpFamily[];
  /** `spec.ipFamilyPolicy`, or null when unset. */
  ipFamilyPolicy: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack' | null;
  ports: ServicePort[];
  selector: Record<string, string> | null;
  externalName: string | null;
  annotations: Record<string, string>;
  /**
   * What rulec filled in because the manifests leave it out, as the API server and the endpoint
   * controller would (allocate.ts, workload-endpoints.ts): the values are rulec's, not a cluster's.
   */
  filledIn?: { clusterIPs?: true; nodePorts?: true; endpoints?: true };
  src: ObjectSource;
}

export interface Endpoint {
  /** First address of the endpoint, canonical. */
  ip: ParsedIp;
  ready: boolean | null;
  serving: boolean | null;
  terminating: boolean | null;
  nodeName: string | null;
  zone: string | null;
  /** Zones named by `hints.forZones`, or null without hints. */
  zoneHints: string[] | null;
  /** Nodes named by `hints.forNodes`, or null without hints. */
  nodeHints: string[] | null;
}

export interface EndpointSlice {
  namespace: string;
  name: string;
  serviceName: string | null;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  ports: { name: string; port: number | null; protocol: Protocol }[];
  endpoints: Endpoint[];
  /** True when converted from a v1 Endpoints object. */
  mirrored: boolean;
  src: ObjectSource;
}

export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  addresses: { type: string; ip: ParsedIp }[];
  podCIDRs: ParsedCidr[];
  src: ObjectSource;
}

export interface Cluster {
  services: Service[];
  slices: EndpointSlice[];
  /** Every Node of the input, in input order. */
  nodes: NodeInfo[];
  /** The node the rules are compiled for: the one Node, or the one `--node` names (see select-node.ts). */
  node: NodeInfo | null;
  /** Pods and the workloads that make them (Deployments, StatefulSets, …), for endpoints the input lacks. */
  workloads: Workload[];
  config: { value: KubeProxyConfigObject; src: ObjectSource } | null;
  /** Objects of kinds rulec does not read, skipped (for `--verbose`); `reason` when it is not the kind. */
  skipped: { kind: string; name: string; src: ObjectSource; reason?: string }[];
}

/** The ConfigMap whose `config.conf` is kube-proxy's configuration. */
export interface ConfigMapRef {
  namespace: string;
  name: string;
}

/** kube-proxy's own, as kubeadm and most installers write it. */
export const KUBE_PROXY_CONFIGMAP: ConfigMapRef = { namespace: 'kube-system', name: 'kube-proxy' };

/**
 * The kinds rulec reads and their apiVersions (a Map: a kind such as `constructor` is no key of
 * it). Workloads are read too, with their apiVersions in read-workloads.ts.
 */
const KNOWN: ReadonlyMap<string, string> = new Map([
  ['Service', 'v1'],
  ['EndpointSlice', 'discovery.k8s.io/v1'],
  ['Endpoints', 'v1'],
  ['Node', 'v1'],
  ['KubeProxyConfiguration', 'kubeproxy.config.k8s.io/v1alpha1'],
]);

/**
 * EndpointSlices of `discovery.k8s.io/v1beta1` (Kubernetes 1.17–1.24, in many pasted manifests)
 * hold what v1 holds, but an endpoint's node and zone are keys of its `topology` map.
 */
const OLD_ENDPOINT_SLICE_API = 'discovery.k8s.io/v1beta1';

function fromV1beta1(v: unknown): unknown {
  if (!isRecord(v) || !Array.isArray(v.endpoints)) return v;
  const endpoints = v.endpoints.map((e: unknown) => {
    if (!isRecord(e) || !isRecord(e.topology)) return e;
    const { topology, ...rest } = e;
    const out: Record<string, unknown> = { ...rest };
    const node = topology['kubernetes.io/hostname'];
    const zone = topology['topology.kubernetes.io/zone'];
    if (out.nodeName === undefined && typeof node === 'string') out.nodeName = node;
    if (out.zone === undefined && typeof zone === 'string') out.zone = zone;
    return out;
  });
  return { ...v, apiVersion: 'discovery.k8s.io/v1', endpoints };
}

export function buildCluster(objects: readonly RawObject[], diagnostics: Diagnostic[], configMap: ConfigMapRef = KUBE_PROXY_CONFIGMAP): Cluster {
  const cluster: Cluster = { services: [], slices: [], nodes: [], node: null, workloads: [], config: null, skipped: [] };
  const seen = new Map<string, ObjectSource>();
  for (const raw of objects) {
    const obj = unwrapKubeProxyConfigMap(raw, configMap, diagnostics);
    if ('skip' in obj) {
      cluster.skipped.push(obj.skip);
      continue;
    }
    const v = obj.value;
    const kind = isRecord(v) && typeof v.kind === 'string' ? v.kind : '';
    const apiVersion = isRecord(v) && typeof v.apiVersion === 'string' ? v.apiVersion : '';
    const workloadApis = isWorkloadKind(kind) ? WORKLOAD_APIS.get(kind) : undefined;
    const expectedApi = KNOWN.get(kind) ?? workloadApis?.[0];
    if (!expectedApi) {
      cluster.skipped.push({ kind: kind || '(no kind)', name: metaName(v), src: obj.src });
      continue;
    }
    const olderApi = (kind === 'EndpointSlice' && apiVersion === OLD_ENDPOINT_SLICE_API) || (workloadApis?.includes(apiVersion) ?? false);
    if (apiVersion !== expectedApi && !olderApi) {
      diagnostics.push({
        ...locateIn(obj.src, ['apiVersion']),
        severity: 'error',
        code: INPUT_CODES.apiVersion,
        message: `${kind} ${displayName(metaName(v))}: apiVersion ${quoteToken(apiVersion)} is not read; use ${expectedApi}`,
      });
      continue;
    }
    const key = `${kind}/${metaNamespace(v, kind)}/${metaName(v)}`;
    const prev = seen.get(key);
    if (prev) {
      const at = locateIn(prev, []);
      diagnostics.push({
        ...locateIn(obj.src, ['metadata', 'name']),
        severity: 'error',
        code: INPUT_CODES.duplicate,
        message: `${kind} ${describeName(v, kind)} is defined twice (first at ${at.file}:${at.line}:${at.column})`,
      });
      continue;
    }
    seen.set(key, obj.src);
    // The object's name for messages, made only when one is written.
    const what = (): string => `${kind} ${describeName(v, kind)}`;
    switch (kind) {
      case 'Service': {
        const s = validateObject(serviceSchema, v, obj.src, what, diagnostics);
        if (s) cluster.services.push(toService(s, obj.src));
        break;
      }
      case 'EndpointSlice': {
        const s = validateObject(endpointSliceSchema, apiVersion === OLD_ENDPOINT_SLICE_API ? fromV1beta1(v) : v, obj.src, what, diagnostics);
        if (!s) break;
        const endpoints: Endpoint[] = [];
        const family = s.addressType === 'IPv4' ? 'ipv4' : 'ipv6';
        // FQDN endpoints are not proxied.
        const given = s.addressType === 'FQDN' ? [] : (s.endpoints ?? []);
        // Plain loops: a large cluster has a hundred thousand endpoints here.
        for (let i = 0; i < given.length; i++) {
          const e = given[i] as (typeof given)[number];
          // Every address is checked; the endpoint is its first.
          let first: ParsedIp | undefined;
          for (let j = 0; j < e.addresses.length; j++) {
            const a = e.addresses[j] as string;
            const ip = parseIp(a);
            if (!ip || ip.family !== family) {
              diagnostics.push({
                ...locateIn(obj.src, ['endpoints', i, 'addresses', j]),
                severity: 'error',
                code: INPUT_CODES.fieldValue,
                message: `${what()}: endpoints[${i}].addresses[${j}]: ${JSON.stringify(a.slice(0, 40))} is not an ${s.addressType} address`,
              });
            } else first ??= ip;
          }
          if (!first) continue;
          endpoints.push({
            ip: first,
            ready: e.conditions?.ready ?? null,
            serving: e.conditions?.serving ?? null,
            terminating: e.conditions?.terminating ?? null,
            nodeName: e.nodeName ?? null,
            zone: e.zone ?? null,
            zoneHints: e.hints?.forZones ? e.hints.forZones.map((z) => z.name) : null,
            nodeHints: e.hints?.forNodes ? e.hints.forNodes.map((n) => n.name) : null,
          });
        }
        cluster.slices.push({
          namespace: s.metadata.namespace ?? 'default',
          name: s.metadata.name,
          serviceName: s.metadata.labels?.['kubernetes.io/service-name'] ?? null,
          addressType: s.addressType,
          ports: (s.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? null, protocol: p.protocol ?? 'TCP' })),
          endpoints,
          mirrored: false,
          src: obj.src,
        });
        break;
      }
      case 'Endpoints': {
        const e = validateObject(endpointsSchema, v, obj.src, what, diagnostics);
        if (e) cluster.slices.push(...mirrorEndpoints(e, obj.src, what, diagnostics));
        break;
      }
      case 'Node': {
        const n = validateObject(nodeSchema, v, obj.src, what, diagnostics);
        if (!n) break;
        const addresses: NodeInfo['addresses'] = [];
        (n.status?.addresses ?? []).forEach((a, i) => {
          const ip = parseIp(a.address);
          if (ip) addresses.push({ type: a.type, ip });
          else if (a.type === 'InternalIP' || a.type === 'ExternalIP') {
            diagnostics.push({
              ...locateIn(obj.src, ['status', 'addresses', i, 'address']),
              severity: 'error',
              code: INPUT_CODES.fieldValue,
              message: `${what()}: status.addresses[${i}].address: ${JSON.stringify(a.address.slice(0, 40))} is not an IP address`,
            });
          }
        });
        const cidrs = n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : []);
        cluster.nodes.push({
          name: n.metadata.name,
          labels: n.metadata.labels ?? {},
          addresses,
          podCIDRs: cidrs.map((c) => parseCidr(c.trim())).filter((c): c is ParsedCidr => c !== null),
          src: obj.src,
        });
        break;
      }
      case 'KubeProxyConfiguration': {
        const c = validateObject(kubeProxyConfigSchema, v, obj.src, what, diagnostics);
        if (!c) break;
        if (cluster.config) {
          const at = locateIn(cluster.config.src, []);
          diagnostics.push({
            ...locateIn(obj.src, []),
            severity: 'error',
            code: INPUT_CODES.duplicate,
            message: `more than one KubeProxyConfiguration given (first at ${at.file}:${at.line}:${at.column})`,
          });
          break;
        }
        cluster.config = { value: c, src: obj.src };
        break;
      }
      default: {
        if (!isWorkloadKind(kind)) break;
        const w = readWorkload(kind, v, obj.src, what, diagnostics);
        if (w) cluster.workloads.push(w);
        break;
      }
    }
  }
  // One Node is the node; with several, select-node.ts picks one.
  if (cluster.nodes.length === 1) cluster.node = cluster.nodes[0] ?? null;
  return cluster;
}

/**
 * kube-proxy's own ConfigMap (`kubectl -n kube-system get configmap kube-proxy -o yaml`) carries
 * its KubeProxyConfiguration as YAML text in `data["config.conf"]`: read as that object, with
 * positions pointing at the text. Only the ConfigMap kube-proxy reads (`configMap`), and only a
 * KubeProxyConfiguration in it: that one is skipped, with the reason, when it holds anything
 * else. Any other object is returned as it is (another ConfigMap is skipped as its kind).
 */
function unwrapKubeProxyConfigMap(obj: RawObject, configMap: ConfigMapRef, diagnostics: Diagnostic[]): RawObject | { skip: Cluster['skipped'][number] } {
  const v = obj.value;
  if (!isRecord(v) || v.kind !== 'ConfigMap' || v.apiVersion !== 'v1') return obj;
  const namespace = metaNamespace(v, 'ConfigMap');
  if (namespace !== configMap.namespace || metaName(v) !== configMap.name) return obj;
  const what = `${describeName(v, 'ConfigMap')}`;
  const text = isRecord(v.data) ? v.data['config.conf'] : undefined;
  if (typeof text !== 'string') return { skip: { kind: 'ConfigMap', name: what, src: obj.src, reason: 'it has no data["config.conf"] text' } };
  const src: ObjectSource = { doc: obj.src.doc, path: [...obj.src.path, 'data', 'config.conf'] };
  let inner: unknown;
  try {
    inner = loadYaml(text);
  } catch (err) {
    const reason = (err as { reason?: string }).reason ?? 'invalid YAML';
    diagnostics.push({ ...locateIn(src, []), severity: 'error', code: INPUT_CODES.fieldValue, message: `ConfigMap ${what}: data["config.conf"]: invalid YAML: ${reason}` });
    return { value: null, src };
  }
  if (isRecord(inner) && inner.kind === 'KubeProxyConfiguration') return { value: inner, src };
  const kind = isRecord(inner) && typeof inner.kind === 'string' ? `a ${JSON.stringify(inner.kind.slice(0, 40)).slice(1, -1)}` : 'no kind';
  return { skip: { kind: 'ConfigMap', name: what, src, reason: `data["config.conf"] holds ${kind}, not a KubeProxyConfiguration` } };
}

/** `NAMESPACE/NAME` of `--kube-proxy-configmap`, or null when it is not that. */
export function parseConfigMapRef(text: string): ConfigMapRef | null {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/.exec(text);
  if (!m || (m[1] ?? '').length > 63 || (m[3] ?? '').length > 253) return null;
  return { namespace: m[1] as string, name: m[3] as string };
}

function toService(s: ServiceObject, src: ObjectSource): Service {
  const spec = s.spec;
  const clusterIPs: Partial<Record<IpFamily, ParsedIp>> = {};
  const headless = spec.clusterIP === 'None';
  if (!headless) {
    if (spec.ipFamilies && spec.ipFamilies.length > 0) {
      spec.ipFamilies.forEach((fam, i) => {
        const text = spec.clusterIPs?.[i] ?? (i === 0 ? spec.clusterIP : undefined);
        const ip = text ? parseIp(text) : null;
        const family = fam === 'IPv4' ? 'ipv4' : 'ipv6';
        if (ip && ip.family === family) clusterIPs[family] = ip;
      });
    } else {
      const text = spec.clusterIP || spec.clusterIPs?.[0];
      const ip = text ? parseIp(text) : null;
      if (ip) clusterIPs[ip.family] = ip;
    }
  }
  const affinity = spec.sessionAffinity === 'ClientIP';
  return {
    namespace: s.metadata.namespace ?? 'default',
    name: s.metadata.name,
    type: spec.type ?? 'ClusterIP',
    clusterIPs,
    headless,
    externalIPs: (spec.externalIPs ?? []).map((t) => parseIp(t)).filter(isPresent),
    loadBalancerIPs: (s.status?.loadBalancer?.ingress ?? [])
      .filter((i) => i.ipMode !== 'Proxy')
      .map((i) => (i.ip ? parseIp(i.ip) : null))
      .filter(isPresent),
    sourceRanges: (spec.loadBalancerSourceRanges ?? []).map((c) => parseCidr(c.trim())).filter(isPresent),
    // Only NodePort and LoadBalancer Services can ask for Local external traffic.
    externalTrafficLocal: (spec.type === 'NodePort' || spec.type === 'LoadBalancer') && spec.externalTrafficPolicy === 'Local',
    internalTrafficLocal: spec.internalTrafficPolicy === 'Local',
    affinityTimeout: affinity ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : null,
    healthCheckNodePort: spec.healthCheckNodePort ?? 0,
    allocateLoadBalancerNodePorts: spec.allocateLoadBalancerNodePorts ?? true,
    ipFamilies: (spec.ipFamilies ?? []).map((f) => (f === 'IPv4' ? 'ipv4' : 'ipv6')),
    ipFamilyPolicy: spec.ipFamilyPolicy ?? null,
    ports: (spec.ports ?? []).map((p) => ({
      name: p.name ?? '',
      protocol: p.protocol ?? 'TCP',
      port: p.port,
      nodePort: p.nodePort ?? 0,
      targetPort: p.targetPort ?? null,
    })),
    selector: spec.selector ?? null,
    externalName: spec.externalName ?? null,
    annotations: s.metadata.annotations ?? {},
    src,
  };
}

/** Reads a v1 Endpoints object as the endpoint mirroring controller would: a slice per subset and family. */
function mirrorEndpoints(e: EndpointsObject, src: ObjectSource, what: () => string, diagnostics: Diagnostic[]): EndpointSlice[] {
  const slices: EndpointSlice[] = [];
  (e.subsets ?? []).forEach((subset, si) => {
    const byFamily: Record<IpFamily, Endpoint[]> = { ipv4: [], ipv6: [] };
    const add = (list: typeof subset.addresses, field: string, ready: boolean) =>
      (list ?? []).forEach((a, ai) => {
        const ip = parseIp(a.ip);
        if (!ip) {
          diagnostics.push({
            ...locateIn(src, ['subsets', si, field, ai, 'ip']),
            severity: 'error',
            code: INPUT_CODES.fieldValue,
            message: `${what()}: subsets[${si}].${field}[${ai}].ip: ${JSON.stringify(a.ip.slice(0, 40))} is not an IP address`,
          });
          return;
        }
        byFamily[ip.family].push({ ip, ready, serving: null, terminating: null, nodeName: a.nodeName ?? null, zone: null, zoneHints: null, nodeHints: null });
      });
    add(subset.addresses, 'addresses', true);
    add(subset.notReadyAddresses, 'notReadyAddresses', false);
    for (const family of ['ipv4', 'ipv6'] as const) {
      if (byFamily[family].length === 0) continue;
      slices.push({
        namespace: e.metadata.namespace ?? 'default',
        name: `${e.metadata.name}-mirrored-${si}-${family}`,
        serviceName: e.metadata.name,
        addressType: family === 'ipv4' ? 'IPv4' : 'IPv6',
        ports: (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
        endpoints: byFamily[family],
        mirrored: true,
        src,
      });
    }
  });
  return slices;
}

function isPresent<T>(v: T | null | undefined): v is T {
  return v !== null && v !== undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function metaName(v: unknown): string {
  const m = isRecord(v) && isRecord(v.metadata) ? v.metadata : {};
  return typeof m.name === 'string' ? m.name : '';
}

function metaNamespace(v: unknown, kind: string): string {
  if (kind === 'Node' || kind === 'KubeProxyConfiguration') return '';
  const m = isRecord(v) && isRecord(v.metadata) ? v.metadata : {};
  return typeof m.namespace === 'string' ? m.namespace : 'default';
}

function describeName(v: unknown, kind: string): string {
  const name = JSON.stringify(metaName(v).slice(0, 63)).slice(1, -1) || '(unnamed)';
  const ns = metaNamespace(v, kind);
  return ns ? `${JSON.stringify(ns.slice(0, 63)).slice(1, -1)}/${name}` : name;
}
