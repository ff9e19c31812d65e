// Generates a large, realistic cluster for the benchmarks: N Services (a mix of ClusterIP,
// NodePort and LoadBalancer, one port each) with E endpoints each in one EndpointSlice,
// plus the Node and KubeProxyConfiguration. Returns the objects; writers below print them as
// a YAML stream or as the JSON List `kubectl get -o json` prints.
import { writeFileSync } from 'node:fs';

export function generateCluster({ services = 10000, endpoints = 10 } = {}) {
  const objects = [
    {
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'iptables',
      clusterCIDR: '10.0.0.0/8',
      hostnameOverride: 'node-1',
    },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1' },
      status: { addresses: [{ type: 'InternalIP', address: '192.168.0.10' }] },
    },
  ];
  for (let i = 0; i < services; i++) {
    const ns = `team-${i % 50}`;
    const name = `app-${i}`;
    const kind = i % 10 === 0 ? 'LoadBalancer' : i % 4 === 0 ? 'NodePort' : 'ClusterIP';
    const ports = [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }];
    if (kind !== 'ClusterIP') ports.forEach((p, j) => (p.nodePort = 30000 + ((i * 2 + j) % 2768)));
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels: { app: name } },
      spec: {
        type: kind,
        clusterIP: `172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
        selector: { app: name },
        ports,
      },
    };
    if (kind === 'LoadBalancer') svc.status = { loadBalancer: { ingress: [{ ip: `34.${(i >> 8) & 255}.${i & 255}.1` }] } };
    objects.push(svc);
    const eps = [];
    for (let e = 0; e < endpoints; e++) {
      const n = i * endpoints + e;
      eps.push({
        addresses: [`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`],
        conditions: { ready: true },
        nodeName: `node-${n % 20}`,
      });
    }
    objects.push(endpointSlice(ns, name, eps, ports.map((p) => ({ name: p.name, protocol: p.protocol, port: p.targetPort }))));
  }
  return objects;
}

/** A YAML stream in block style, as `kubectl get -o yaml` users write manifests. */
/** The one EndpointSlice of Service `ns/name`. */
function endpointSlice(ns, name, endpoints, ports) {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

export function toYamlStream(objects) {
  const out = [];
  const emit = (v, indent, inList) => {
    const pad = ' '.repeat(indent);
    if (Array.isArray(v)) {
      if (v.length === 0) return ' []\n';
      let s = '\n';
      for (const item of v) {
        if (item && typeof item === 'object') {
          const body = emit(item, indent + 2, true);
          s += `${pad}- ${body.slice(indent + 2)}`;
        } else s += `${pad}- ${JSON.stringify(item)}\n`;
      }
      return s;
    }
    if (v && typeof v === 'object') {
      let s = inList ? '' : '\n';
      for (const [k, val] of Object.entries(v)) {
        if (val && typeof val === 'object') s += `${pad}${k}:${emit(val, indent + 2, false)}`;
        else s += `${pad}${k}: ${JSON.stringify(val)}\n`;
      }
      return s;
    }
    return ` ${JSON.stringify(v)}\n`;
  };
  for (const o of objects) out.push(`---${emit(o, 0, false)}`);
  return out.join('');
}

export function writeYaml(path, objects) {
  writeFileSync(path, toYamlStream(objects));
}

export function writeJsonList(path, objects) {
  writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } }, null, 4));
}

/**
 * The same objects as a person writes them by hand: the outline in block style, the small
 * collections in flow style (`selector: {app: web}`, `ports: [{name: http, port: 80}]`,
 * `addresses: ["10.0.0.1"]`, one `{…}` per endpoint), some scalars quoted.
 */
export function toFlowYamlStream(objects) {
  const plain = (v) => (typeof v === 'string' && /^[A-Za-z][\w.\/-]*$/.test(v) && !/^(true|false|null)$/i.test(v) ? v : JSON.stringify(v));
  const flow = (v) => {
    if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
    if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')}}`;
    return plain(v);
  };
  const emit = (v, indent) => {
    const pad = ' '.repeat(indent);
    let s = '';
    for (const [k, val] of Object.entries(v)) {
      if (k === 'endpoints' && Array.isArray(val)) s += `${pad}${k}:\n${val.map((e) => `${pad}- ${flow(e)}\n`).join('')}`;
      else if (val && typeof val === 'object' && !Array.isArray(val) && ['metadata', 'spec', 'status'].includes(k)) s += `${pad}${k}:\n${emit(val, indent + 2)}`;
      else if (Array.isArray(val) && val.length > 1) s += `${pad}${k}: [\n${val.map((x) => `${pad}    ${flow(x)},\n`).join('')}${pad}  ]\n`;
      else s += `${pad}${k}: ${flow(val)}\n`;
    }
    return s;
  };
  return objects.map((o) => `---\n${emit(o, 0)}`).join('');
}

export function writeFlowYaml(path, objects) {
  writeFileSync(path, toFlowYamlStream(objects));
}

/**
 * The objects as `kubectl get svc,endpointslices -A -o json|yaml` prints them: each with the
 * metadata the API server adds (uid, resourceVersion, creationTimestamp, managedFields, the
 * last-applied-configuration annotation kubectl apply leaves) and a status.
 */
export function asKubectlPrints(objects) {
  let n = 0;
  return objects.map((o) => {
    if (o.kind !== 'Service' && o.kind !== 'EndpointSlice') return o;
    n++;
    const stamp = `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T${String(n % 24).padStart(2, '0')}:00:00Z`;
    const applied = JSON.stringify({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace }, spec: o.spec });
    const fields = o.kind === 'Service'
      ? { 'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} }, 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:ports': { '.': {}, 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {}, 'f:targetPort': {} } }, 'f:selector': {}, 'f:sessionAffinity': {}, 'f:type': {} } }
      : { 'f:addressType': {}, 'f:endpoints': {}, 'f:metadata': { 'f:labels': { '.': {}, 'f:endpointslice.kubernetes.io/managed-by': {}, 'f:kubernetes.io/service-name': {} }, 'f:ownerReferences': { '.': {}, 'k:{"uid":"0"}': {} } }, 'f:ports': {} };
    const metadata = {
      ...o.metadata,
      uid: `0b6c${String(n).padStart(4, '0')}-1f2e-4c3d-9a8b-7c6d5e4f3a2b`,
      resourceVersion: String(100000 + n),
      creationTimestamp: stamp,
      labels: { ...(o.metadata.labels ?? {}), ...(o.kind === 'EndpointSlice' ? { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } : {}) },
      annotations: o.kind === 'Service' ? { 'kubectl.kubernetes.io/last-applied-configuration': `${applied}\n` } : { 'endpoints.kubernetes.io/last-change-trigger-time': stamp },
      managedFields: [{ manager: o.kind === 'Service' ? 'kubectl-client-side-apply' : 'kube-controller-manager', operation: 'Update', apiVersion: o.apiVersion, time: stamp, fieldsType: 'FieldsV1', fieldsV1: fields }],
    };
    const out = { ...o, metadata };
    if (o.kind === 'Service') out.status = o.status ?? { loadBalancer: {} };
    return out;
  });
}

/**
 * A cluster of many nodes, for `compile --all-nodes`: N Nodes (zone labels, a podCIDR and an
 * InternalIP each) and S Services with E endpoints each, every endpoint's address in the podCIDR of
 * the node it runs on, the nodes taken in turn. Every fifth Service is a NodePort or LoadBalancer
 * Service with `externalTrafficPolicy: Local`, every seventh has `internalTrafficPolicy: Local`,
 * so that the nodes' rules differ.
 */
export function generateMultiNodeCluster({ nodes = 100, services = 1000, endpoints = 10 } = {}) {
  const objects = [
    { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'iptables', clusterCIDR: '10.0.0.0/8' },
  ];
  for (let n = 0; n < nodes; n++) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}`, 'topology.kubernetes.io/zone': `zone-${n % 3}` } },
      spec: { podCIDR: `10.${64 + (n >> 8)}.${n & 255}.0/24` },
      status: { addresses: [{ type: 'InternalIP', address: `192.168.${n >> 8}.${(n & 255) + 0}` }, { type: 'Hostname', address: `node-${n}` }] },
    });
  }
  let next = 0;
  const podOn = new Array(nodes).fill(2);
  for (let i = 0; i < services; i++) {
    const ns = `team-${i % 20}`;
    const name = `app-${i}`;
    const kind = i % 10 === 0 ? 'LoadBalancer' : i % 5 === 0 ? 'NodePort' : 'ClusterIP';
    const ports = [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }];
    if (kind !== 'ClusterIP') ports[0].nodePort = 30000 + (i % 2768);
    const spec = { type: kind, clusterIP: `172.20.${i >> 8}.${i & 255}`, selector: { app: name }, ports };
    if (kind !== 'ClusterIP' && i % 20 === 0) spec.externalTrafficPolicy = 'Local';
    if (kind === 'ClusterIP' && i % 7 === 0) spec.internalTrafficPolicy = 'Local';
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels: { app: name } }, spec };
    if (kind === 'LoadBalancer') svc.status = { loadBalancer: { ingress: [{ ip: `34.1.${i >> 8}.${i & 255}` }] } };
    objects.push(svc);
    const eps = [];
    for (let e = 0; e < endpoints; e++) {
      const node = next++ % nodes;
      const host = podOn[node]++;
      eps.push({ addresses: [`10.${64 + (node >> 8)}.${node & 255}.${host}`], conditions: { ready: true }, nodeName: `node-${node}`, zone: `zone-${node % 3}` });
    }
    objects.push(endpointSlice(ns, name, eps, [{ name: 'http', protocol: 'TCP', port: 8080 }]));
  }
  return objects;
}
