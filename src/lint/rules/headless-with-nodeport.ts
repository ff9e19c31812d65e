import { at, serviceName } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * A headless Service (`clusterIP: None`) has no virtual address, so kube-proxy writes no rules
 * for it, NodePorts included; the API server rejects `clusterIP: None` with type NodePort or
 * LoadBalancer.
 */
export default manifestRule({
  meta: {
    id: 'headless-with-nodeport',
    severity: 'error',
    target: 'manifests',
    docs: {
      description: 'A headless Service (clusterIP: None) of type NodePort/LoadBalancer or with a nodePort.',
      url: docsUrl('headless-with-nodeport'),
    },
    messages: {
      type: '{{service}} is headless (clusterIP: None) but of type {{type}}: headless services get no NodePort or load balancer',
      nodePort: 'nodePort {{port}} on headless {{service}} is never served: kube-proxy writes no rules for headless services',
    },
  },
  check(context) {
    for (const svc of context.model.cluster.services) {
      if (!svc.headless) continue;
      if (svc.type === 'NodePort' || svc.type === 'LoadBalancer') {
        context.report({ messageId: 'type', data: { service: serviceName(svc), type: svc.type }, at: at(svc, ['spec', 'type']), object: svc.src });
        continue;
      }
      svc.ports.forEach((p, i) => {
        if (p.nodePort === 0) return;
        context.report({
          messageId: 'nodePort',
          data: { port: p.nodePort, service: serviceName(svc) },
          at: at(svc, ['spec', 'ports', i, 'nodePort']),
          object: svc.src,
        });
      });
    }
  },
});
