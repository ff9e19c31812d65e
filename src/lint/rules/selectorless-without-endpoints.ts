import { SliceIndex } from '../../compiler/endpoints.js';
import { at, serviceName } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * A Service without a selector gets no endpoints from the controllers: its EndpointSlices (or
 * Endpoints) must be written by hand. When the manifests define none for it, the service has
 * no backends and kube-proxy rejects its traffic.
 */
export default manifestRule({
  meta: {
    id: 'selectorless-without-endpoints',
    severity: 'warning',
    target: 'manifests',
    docs: {
      description: 'A Service without a selector and without any EndpointSlice or Endpoints object for it.',
      url: docsUrl('selectorless-without-endpoints'),
    },
    messages: {
      none: '{{service}} has no selector and the manifests define no EndpointSlice or Endpoints for it: it has no backends',
    },
  },
  check(context) {
    const { cluster } = context.model;
    const slices = new SliceIndex(cluster);
    for (const svc of cluster.services) {
      if (svc.type === 'ExternalName') continue;
      if (svc.selector && Object.keys(svc.selector).length > 0) continue;
      if (slices.slicesOf(svc).length > 0) continue;
      context.report({ messageId: 'none', data: { service: serviceName(svc) }, at: at(svc, ['spec']), object: svc.src });
    }
  },
});
