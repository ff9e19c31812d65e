import type { IpFamily } from '../../ast/types.js';
import type { Cluster, Service } from '../../model/cluster.js';
import { formatHostPort, parseHostPort } from './packet.js';
import type { DnsAnswer, TraceResult } from './result.js';
import type { PacketQuery, TraceAnswer, Tracer } from './tracer.js';

/** `NAME.NAMESPACE[.svc[.DOMAIN]]` or `NAMESPACE/NAME`, with an optional `:PORT`. */
const SERVICE_NAME = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:\.svc(?:\.[a-z0-9.-]+)?)?\.?|([a-z0-9-]+)\/([a-z0-9-]+))(?::(\d{1,5}))?$/;

/**
 * Traces a query whose destination may be a service's DNS name (manifests only): the name is
 * answered as cluster DNS would (a cluster IP, a headless service's ready endpoints, an
 * ExternalName's CNAME) and the packet is traced to the cluster IP.
 */
export function traceQuery(tracer: Tracer, cluster: Cluster | null, query: PacketQuery): TraceAnswer {
  if (parseHostPort(query.destination)) return tracer.trace(query);
  const m = SERVICE_NAME.exec(query.destination.trim().toLowerCase());
  if (!m) return tracer.trace(query);
  const name = m[1] ?? m[6] ?? '';
  const namespace = m[3] ?? m[5] ?? '';
  const portText = m[7];
  if (!cluster) return { ok: false, error: `destination ${query.destination}: a service name needs manifests as RULES (a dump has no DNS)` };
  const svc = cluster.services.find((s) => s.name === name && s.namespace === namespace);
  const fqdn = `${name}.${namespace}.svc.cluster.local`;
  const port = portText === undefined ? null : Number(portText);
  if (!svc) return answerOnly(query, fqdn, port, { name: fqdn, type: 'NXDOMAIN', records: [], note: `no Service ${namespace}/${name} among the manifests` });
  if (svc.type === 'ExternalName') {
    return answerOnly(query, fqdn, port, {
      name: fqdn,
      type: 'CNAME',
      records: [svc.externalName ?? ''],
      note: 'an ExternalName service is only a DNS alias: no kube-proxy rule is involved; the client connects to whatever the CNAME resolves to',
    });
  }
  const family = preferredFamily(query, svc);
  if (svc.headless) {
    const records = readyEndpointIPs(cluster, svc, family);
    return answerOnly(query, fqdn, port, {
      name: fqdn,
      type: family === 'ipv4' ? 'A' : 'AAAA',
      records,
      note: 'a headless service has no virtual IP and no kube-proxy rules: cluster DNS returns the ready endpoints and clients connect to them directly',
    });
  }
  const ip = svc.clusterIPs[family] ?? svc.clusterIPs.ipv4 ?? svc.clusterIPs.ipv6;
  if (!ip) return { ok: false, error: `service ${namespace}/${name} has no cluster IP` };
  const servicePort = port ?? (svc.ports.length === 1 ? (svc.ports[0]?.port ?? null) : null);
  if (servicePort === null && query.protocol !== 'icmp') return { ok: false, error: `service ${namespace}/${name} has ${svc.ports.length} ports; give one as NAME.NAMESPACE:PORT` };
  const answer = tracer.trace({ ...query, destination: formatHostPort(ip, query.protocol === 'icmp' ? null : servicePort) });
  if (answer.ok) {
    answer.result.dns = { name: fqdn, type: ip.family === 'ipv4' ? 'A' : 'AAAA', records: [ip.text], note: 'the cluster IP of the service' };
  }
  return answer;
}

function preferredFamily(query: PacketQuery, svc: Service): IpFamily {
  const src = query.source ? parseHostPort(query.source) : null;
  if (src) return src.ip.family;
  return svc.clusterIPs.ipv4 || !svc.clusterIPs.ipv6 ? 'ipv4' : 'ipv6';
}

function readyEndpointIPs(cluster: Cluster, svc: Service, family: IpFamily): string[] {
  const want = family === 'ipv4' ? 'IPv4' : 'IPv6';
  const out = new Set<string>();
  for (const slice of cluster.slices) {
    if (slice.namespace !== svc.namespace || slice.serviceName !== svc.name || slice.addressType !== want) continue;
    for (const e of slice.endpoints) if (e.ready !== false) out.add(e.ip.text);
  }
  return [...out].sort();
}

function answerOnly(query: PacketQuery, fqdn: string, port: number | null, dns: DnsAnswer): TraceAnswer {
  const result: TraceResult = {
    packet: {
      source: query.source ?? '(any client)',
      destination: port === null ? fqdn : `${fqdn}:${port}`,
      protocol: query.protocol ?? 'tcp',
      from: query.from ?? 'pod',
      family: dns.type === 'AAAA' ? 'ipv6' : 'ipv4',
      enters: query.from === 'node' ? 'OUTPUT' : 'PREROUTING',
    },
    verdict: 'NONE',
    endpoints: [],
    masquerade: false,
    path: [],
    outcomes: [],
    notes: [{ kind: 'info', message: dns.note }],
    dns,
  };
  return { ok: true, result };
}
