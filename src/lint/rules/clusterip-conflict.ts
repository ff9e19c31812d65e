import type { Service } from '../../model/cluster.js';
import { parseIp } from '../../kube/ip.js';
import { at, serviceName, where } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * Two Services with the same cluster IP: the API server allocates each cluster IP once, so one
 * of the manifests cannot be applied; on a node, both services' rules match the same address and
 * the first one in KUBE-SERVICES takes the traffic of the port they share. Addresses written in
 * the manifests are compared, in every family and across all the files of a run; the finding
 * is at the second and names where the first is.
 */
export default manifestRule({
  meta: {
    id: 'clusterip-conflict',
    severity: 'error',
    target: 'manifests',
    docs: {
      description: 'Two Services have the same cluster IP.',
      url: docsUrl('clusterip-conflict'),
    },
    messages: {
      conflict: 'cluster IP {{ip}} of {{service}} is also the cluster IP of {{other}} ({{where}})',
    },
  },
  check(context) {
    const seen = new Map<string, { svc: Service; path: (string | number)[] }>();
    for (const svc of context.model.cluster.services) {
      const raw = context.model.raw(svc.src);
      for (const ip of Object.values(svc.clusterIPs)) {
        if (!ip) continue;
        // Only addresses the manifests ask for: one the API server would allocate is free.
        const path = writtenClusterIPPath(raw, ip.text);
        if (!path) continue;
        const prev = seen.get(ip.text);
        if (!prev) {
          seen.set(ip.text, { svc, path });
          continue;
        }
        context.report({
          messageId: 'conflict',
          data: { ip: ip.text, service: serviceName(svc), other: serviceName(prev.svc), where: where(prev.svc, prev.path) },
          at: at(svc, path),
          object: svc.src,
        });
      }
    }
  },
});

/** `spec.clusterIP` when it holds `ip`, else the `spec.clusterIPs` entry that does, else null (the address is not written). */
function writtenClusterIPPath(raw: unknown, ip: string): (string | number)[] | null {
  const spec = typeof raw === 'object' && raw !== null ? (raw as { spec?: { clusterIP?: unknown; clusterIPs?: unknown } }).spec : undefined;
  const same = (x: unknown) => typeof x === 'string' && parseIp(x)?.text === ip;
  if (same(spec?.clusterIP)) return ['spec', 'clusterIP'];
  const list = Array.isArray(spec?.clusterIPs) ? (spec.clusterIPs as unknown[]) : [];
  const i = list.findIndex(same);
  return i >= 0 ? ['spec', 'clusterIPs', i] : null;
}

/** `spec.clusterIP` when it holds `ip`, else the `spec.clusterIPs` entry that does. */
export function clusterIPPath(raw: unknown, ip: string): (string | number)[] {
  return writtenClusterIPPath(raw, ip) ?? ['spec', 'clusterIP'];
}
