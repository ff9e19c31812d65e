import { replicasPath } from '../../model/read-workloads.js';
import { serviceName } from '../kube/manifest-helpers.js';
import { hasEndpointObjects, selectedBy, selects, workloadAt, workloadName } from '../kube/workload-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * A workload scaled to zero that is all a Service reachable from outside the cluster selects
 * (type NodePort or LoadBalancer, or with externalIPs): the Service has no endpoints, and
 * kube-proxy rejects the connections clients outside make to it. Not judged when the input
 * gives the Service EndpointSlices or Endpoints of its own.
 */
export default manifestRule({
  meta: {
    id: 'replicas-zero-exposed',
    severity: 'warning',
    target: 'manifests',
    docs: {
      description: 'A workload with replicas: 0 that is all a NodePort/LoadBalancer Service (or one with externalIPs) selects.',
      url: docsUrl('replicas-zero-exposed'),
    },
    messages: {
      zero: '{{workload}} has {{field}}: 0 and is all that {{service}} ({{exposure}}) selects: the Service is reachable from outside the cluster but has no endpoints, so its connections are refused',
    },
  },
  check(context) {
    const { model } = context;
    const { cluster } = model;
    for (const svc of cluster.services) {
      if (!selects(svc)) continue;
      const exposure = svc.type === 'NodePort' || svc.type === 'LoadBalancer' ? svc.type : svc.externalIPs.length > 0 ? 'externalIPs' : null;
      if (!exposure) continue;
      const selected = selectedBy(cluster, svc);
      if (selected.length === 0 || selected.some((w) => w.replicas !== 0) || hasEndpointObjects(model, svc)) continue;
      for (const w of selected) {
        const path = replicasPath(w.kind) ?? ['metadata', 'name'];
        context.report({
          messageId: 'zero',
          data: { workload: workloadName(w), field: String(path[path.length - 1]), service: serviceName(svc), exposure },
          at: workloadAt(w, path),
          object: w.src,
        });
      }
    }
  },
});
