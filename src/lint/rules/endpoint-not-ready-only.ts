import { SliceIndex } from '../../compiler/endpoints.js';
import { at, serviceName } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * A Service whose endpoints are all not ready: kube-proxy sends its traffic only to ready
 * endpoints (falling back to serving, terminating ones), so the service rejects connections
 * although it seems to have backends. Usually failing readiness probes.
 */
export default manifestRule({
  meta: {
    id: 'endpoint-not-ready-only',
    severity: 'warning',
    target: 'manifests',
    docs: {
      description: 'A Service whose endpoints are all not ready.',
      url: docsUrl('endpoint-not-ready-only'),
    },
    messages: {
      notReady: 'all {{count}} endpoint(s) of {{service}} are not ready: kube-proxy sends it no traffic{{fallback}}',
    },
  },
  check(context) {
    const { cluster } = context.model;
    const slices = new SliceIndex(cluster);
    for (const svc of cluster.services) {
      if (svc.type === 'ExternalName') continue;
      const endpoints = slices.slicesOf(svc).flatMap((s) => s.endpoints);
      if (endpoints.length === 0 || endpoints.some((e) => e.ready !== false)) continue;
      const terminating = endpoints.filter((e) => e.serving !== false && e.terminating === true).length;
      context.report({
        messageId: 'notReady',
        data: {
          count: endpoints.length,
          service: serviceName(svc),
          fallback: terminating > 0 ? ` except through its ${terminating} serving, terminating endpoint(s)` : '',
        },
        at: at(svc, ['metadata', 'name']),
        object: svc.src,
      });
    }
  },
});
