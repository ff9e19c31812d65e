import { resolveTargetPort, selectorMatches } from '../../model/workloads.js';
import { serviceName } from '../kube/manifest-helpers.js';
import { containerPortPath, selects, workloadAt, workloadName } from '../kube/workload-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * A named container port of a workload that the Services selecting its pods never send to,
 * neither by name nor by number, while they do send to other ports of it. Often on purpose (a
 * metrics or admin port scraped at the pod's address); sometimes a Service port that was meant
 * to target it names another port or an old number. A Service port whose named targetPort no
 * container port has is `targetport-unresolved`'s, not this rule's.
 */
export default manifestRule({
  meta: {
    id: 'port-not-targeted',
    severity: 'warning',
    target: 'manifests',
    docs: {
      description: 'A named container port that no Service selecting its pods targets, while those Services target other ports of it.',
      url: docsUrl('port-not-targeted'),
    },
    messages: {
      untargeted:
        'container port "{{name}}" ({{port}}/{{protocol}}) of {{workload}} is the target of no port of {{services}}, which select its pods: no Service sends traffic to it',
    },
  },
  check(context) {
    const { model } = context;
    const { cluster } = model;
    for (const w of cluster.workloads) {
      if (!w.ports.some((p) => p.name !== '')) continue;
      const services = cluster.services.filter((s) => s.namespace === w.namespace && selects(s) && selectorMatches(s.selector, w.labels));
      if (services.length === 0) continue;
      // The container ports the Services send to, as `port/protocol`.
      const targeted = new Set<string>();
      for (const s of services) {
        for (const p of s.ports) {
          const port = resolveTargetPort(p.targetPort, p.port, p.protocol, w.ports);
          if (port !== null) targeted.add(`${port}/${p.protocol}`);
        }
      }
      // Judged only when the Services send to some port the workload declares.
      if (!w.ports.some((p) => targeted.has(`${p.containerPort}/${p.protocol}`))) continue;
      for (const p of w.ports) {
        if (p.name === '' || targeted.has(`${p.containerPort}/${p.protocol}`)) continue;
        context.report({
          messageId: 'untargeted',
          data: { name: p.name, port: p.containerPort, protocol: p.protocol, workload: workloadName(w), services: services.map(serviceName).join(', ') },
          at: workloadAt(w, containerPortPath(model, w, p)),
          object: w.src,
        });
      }
    }
  },
});
