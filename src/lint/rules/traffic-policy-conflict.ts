import { at, rawSpecField, serviceName } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * Traffic-policy fields that cannot hold together: `externalTrafficPolicy` only applies to
 * NodePort and LoadBalancer Services (the API server rejects it elsewhere), and a
 * `healthCheckNodePort` only exists for a LoadBalancer with `externalTrafficPolicy: Local`
 * (kube-proxy ignores it anywhere else, so the load balancer's health checks fail).
 */
export default manifestRule({
  meta: {
    id: 'traffic-policy-conflict',
    severity: 'error',
    target: 'manifests',
    docs: {
      description: 'externalTrafficPolicy on a Service that is not NodePort/LoadBalancer, or a healthCheckNodePort without LoadBalancer + externalTrafficPolicy Local.',
      url: docsUrl('traffic-policy-conflict'),
    },
    messages: {
      externalPolicy: 'externalTrafficPolicy {{policy}} on {{service}}, which is of type {{type}}: it only applies to NodePort and LoadBalancer Services',
      healthCheck: 'healthCheckNodePort {{port}} on {{service}} is ignored: it needs type LoadBalancer with externalTrafficPolicy Local',
    },
  },
  check(context) {
    const { model } = context;
    for (const svc of model.cluster.services) {
      const policy = rawSpecField(model, svc, 'externalTrafficPolicy');
      if (typeof policy === 'string' && policy !== '' && svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') {
        context.report({
          messageId: 'externalPolicy',
          data: { policy, service: serviceName(svc), type: svc.type },
          at: at(svc, ['spec', 'externalTrafficPolicy']),
          object: svc.src,
        });
      }
      if (svc.healthCheckNodePort !== 0 && !(svc.type === 'LoadBalancer' && svc.externalTrafficLocal)) {
        context.report({
          messageId: 'healthCheck',
          data: { port: svc.healthCheckNodePort, service: serviceName(svc) },
          at: at(svc, ['spec', 'healthCheckNodePort']),
          object: svc.src,
        });
      }
    }
  },
});
