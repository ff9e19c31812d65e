import { at, serviceName } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * An ExternalName Service is a DNS CNAME: kube-proxy writes no rules for it, so its ports do
 * nothing (clients connect to the external name on whatever port they use). Ports on it suggest
 * the author expected port mapping that never happens.
 */
export default manifestRule({
  meta: {
    id: 'externalname-with-ports',
    severity: 'warning',
    target: 'manifests',
    docs: {
      description: 'An ExternalName Service with ports (they are ignored).',
      url: docsUrl('externalname-with-ports'),
    },
    messages: {
      ports: '{{service}} is an ExternalName Service (a DNS alias for {{name}}): its {{count}} port(s) are ignored and no port is mapped',
    },
  },
  check(context) {
    for (const svc of context.model.cluster.services) {
      if (svc.type !== 'ExternalName' || svc.ports.length === 0) continue;
      context.report({
        messageId: 'ports',
        data: { service: serviceName(svc), name: svc.externalName ?? '?', count: svc.ports.length },
        at: at(svc, ['spec', 'ports']),
        object: svc.src,
      });
    }
  },
});
