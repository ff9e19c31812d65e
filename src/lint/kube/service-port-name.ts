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

/** The manifests' service port a chain's service port name and protocol refer to. */
export function findServicePort(cluster: Cluster, spn: string, protocol: string | undefined): { svc: Service; port: ServicePort } | undefined {
  const parts = splitServicePortName(spn);
  if (!parts) return undefined;
  const svc = cluster.services.find((s) => s.namespace === parts.namespace && s.name === parts.name);
  if (!svc) return undefined;
  const port = svc.ports.find((p) => p.name === parts.port && (protocol === undefined || protocolLower(p.protocol) === protocol));
  return port ? { svc, port } : undefined;
}
