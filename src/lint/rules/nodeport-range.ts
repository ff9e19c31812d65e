import { at, servicePortLabel, serviceName } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * The API server allocates NodePorts from the service-node-port-range (30000-32767 unless
 * configured otherwise) and rejects a Service whose nodePort lies outside it, so such a manifest
 * cannot be applied; the configured range is `nodePortRange` in the rulec configuration.
 */
export default manifestRule({
  meta: {
    id: 'nodeport-range',
    severity: 'error',
    target: 'manifests',
    docs: {
      description: 'A nodePort (or healthCheckNodePort) outside 30000-32767 or the configured NodePort range.',
      url: docsUrl('nodeport-range'),
    },
    messages: {
      outside: '{{what}} {{port}} of {{service}} is outside the NodePort range {{min}}-{{max}}: the API server rejects it',
    },
  },
  check(context) {
    const { min, max } = context.settings.nodePortRange;
    for (const svc of context.model.cluster.services) {
      svc.ports.forEach((p, i) => {
        if (p.nodePort === 0 || (p.nodePort >= min && p.nodePort <= max)) return;
        context.report({
          messageId: 'outside',
          data: { what: 'nodePort', port: p.nodePort, service: servicePortLabel(svc, p.name), min, max },
          at: at(svc, ['spec', 'ports', i, 'nodePort']),
          object: svc.src,
        });
      });
      const hc = svc.healthCheckNodePort;
      if (hc !== 0 && (hc < min || hc > max)) {
        context.report({
          messageId: 'outside',
          data: { what: 'healthCheckNodePort', port: hc, service: serviceName(svc), min, max },
          at: at(svc, ['spec', 'healthCheckNodePort']),
          object: svc.src,
        });
      }
    }
  },
});
