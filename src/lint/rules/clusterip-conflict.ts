import type { Service } from '../../model/cluster.js';
import { parseIp } from '../../kube/ip.js';
import { at, serviceName, where } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * Two Services with the same cluster IP: the API server allocates each cluster IP once, so one
 * of the manifests cannot be applied; on a node, both services' rules match the same address and
 * the first one in KUBE-SERVICES takes the traffic of the port they share.
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
    const seen = new Map<string, Service>();
    for (const svc of context.model.cluster.services) {
      for (const ip of Object.values(svc.clusterIPs)) {
        if (!ip) continue;
        const prev = seen.get(ip.text);
        if (!prev) {
          seen.set(ip.text, svc);
          continue;
        }
        context.report({
          messageId: 'conflict',
          data: { ip: ip.text, service: serviceName(svc), other: serviceName(prev), where: where(prev, ['spec', 'clusterIP']) },
          at: at(svc, clusterIPPath(context.model.raw(svc.src), ip.text)),
          object: svc.src,
        });
      }
    }
  },
});

/** `spec.clusterIP` when it holds `ip`, else the `spec.clusterIPs` entry that does. */
export function clusterIPPath(raw: unknown, ip: string): (string | number)[] {
  const spec = typeof raw === 'object' && raw !== null ? (raw as { spec?: { clusterIP?: unknown; clusterIPs?: unknown } }).spec : undefined;
  const same = (x: unknown) => typeof x === 'string' && parseIp(x)?.text === ip;
  if (same(spec?.clusterIP)) return ['spec', 'clusterIP'];
  const list = Array.isArray(spec?.clusterIPs) ? (spec.clusterIPs as unknown[]) : [];
  const i = list.findIndex(same);
  return i >= 0 ? ['spec', 'clusterIPs', i] : ['spec', 'clusterIP'];
}
