import { SliceIndex } from '../../compiler/endpoints.js';
import { at, servicePortLabel } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * A named targetPort (`targetPort: http`) is resolved per pod, against the pod's container port
 * names; pods with no such port are left out of the port's endpoints. When the Service has
 * endpoints but none of its EndpointSlices carries the port, no pod exposes a port of that name
 * (a typo, or a renamed container port) and the service port has no backends at all.
 */
export default manifestRule({
  meta: {
    id: 'targetport-unresolved',
    severity: 'error',
    target: 'manifests',
    docs: {
      description: 'A named targetPort that no endpoint port matches.',
      url: docsUrl('targetport-unresolved'),
    },
    messages: {
      unresolved:
        'targetPort "{{target}}" of {{service}} resolves in none of the service\'s EndpointSlices: no pod exposes a container port named "{{target}}"',
    },
  },
  check(context) {
    const { cluster } = context.model;
    const slices = new SliceIndex(cluster);
    for (const svc of cluster.services) {
      if (svc.type === 'ExternalName' || !svc.selector || Object.keys(svc.selector).length === 0) continue;
      const own = slices.slicesOf(svc).filter((s) => s.endpoints.length > 0);
      if (own.length === 0) continue;
      svc.ports.forEach((p, i) => {
        if (typeof p.targetPort !== 'string') return;
        const resolved = own.some((s) => s.ports.some((sp) => sp.name === p.name && sp.protocol === p.protocol && sp.port));
        if (resolved) return;
        context.report({
          messageId: 'unresolved',
          data: { target: p.targetPort, service: servicePortLabel(svc, p.name) },
          at: at(svc, ['spec', 'ports', i, 'targetPort']),
          object: svc.src,
        });
      });
    }
  },
});
