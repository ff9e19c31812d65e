import type { Cluster, Service, ServicePort } from '../../model/cluster.js';
import { protocolLower } from '../../compiler/endpoints.js';

/** `ns/name:port` split into its parts (`port` is '' for `ns/name`). */
export function splitServicePortName(spn: string): { namespace: string; name: string; port: string } | undefined {
  const slash = spn.indexOf('/');
  if (slash <= 0) return undefined;
  const rest = spn.slice(slash + 1);
  const colon = rest.indexOf(':');
  return { namespace: spn.slice(0, slash), name: colon < 0 ? rest : rest.slice(0, colon), port: colon < 0 ? '' : rest.slice(colon + 1) };
}

/** Each cluster's services by `ns/name`, made on the first lookup (rules look up every port). */
const servicesByName = new WeakMap<Cluster, Map<string, Service>>();

function serviceNamed(cluster: Cluster, namespace: string, name: string): Service | undefined {
  let byName = servicesByName.get(cluster);
  if (!byName) {
    byName = new Map();
    // The first of two services with one name, as a scan in order would find.
    for (const s of cluster.services) {
      const key = `${s.namespace}/${s.name}`;
      if (!byName.has(key)) byName.set(key, s);
    }
    servicesByName.set(cluster, byName);
  }
  return byName.get(`${namespace}/${name}`);
}

/** The manifests' service port a chain's service port name and protocol refer to. */
export function findServicePort(cluster: Cluster, spn: string, protocol: string | undefined): { svc: Service; port: ServicePort } | undefined {
  const parts = splitServicePortName(spn);
  if (!parts) return undefined;
  const svc = serviceNamed(cluster, parts.namespace, parts.name);
  if (!svc) return undefined;
  const port = svc.ports.find((p) => p.name === parts.port && (protocol === undefined || protocolLower(p.protocol) === protocol));
  return port ? { svc, port } : undefined;
}
