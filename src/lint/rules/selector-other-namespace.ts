import { selectorMatches } from '../../model/workloads.js';
import { at, serviceName } from '../kube/manifest-helpers.js';
import { selectorText, servicesWithoutBackends, workloadName } from '../kube/workload-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/** Workloads named in one message; the rest are counted. */
const NAMED = 3;

/**
 * A Service selects pods of its own namespace only. When its selector matches no workload there
 * but matches workloads of other namespaces, the Service (or the workloads) is most likely in
 * the wrong namespace (a missing `namespace:`, or a kustomization that sets it on one and not
 * the other): the Service has no endpoints. Not judged when the input gives the Service
 * EndpointSlices or Endpoints of its own.
 */
export default manifestRule({
  meta: {
    id: 'selector-other-namespace',
    severity: 'warning',
    target: 'manifests',
    docs: {
      description: 'A Service whose selector matches no workload in its namespace but workloads of another namespace.',
      url: docsUrl('selector-other-namespace'),
    },
    messages: {
      other:
        'selector {{selector}} of {{service}} matches no workload in namespace {{namespace}} but matches {{others}}: a Service selects pods of its own namespace only, so it has no backends',
    },
  },
  check(context) {
    const { model } = context;
    const { cluster } = model;
    for (const svc of servicesWithoutBackends(model)) {
      const elsewhere = cluster.workloads.filter((w) => w.namespace !== svc.namespace && selectorMatches(svc.selector, w.labels));
      if (elsewhere.length === 0) continue;
      const named = elsewhere.slice(0, NAMED).map(workloadName).join(', ');
      const rest = elsewhere.length - NAMED;
      context.report({
        messageId: 'other',
        data: {
          selector: selectorText(svc.selector),
          service: serviceName(svc),
          namespace: svc.namespace,
          others: rest > 0 ? `${named} and ${rest} more` : named,
        },
        at: at(svc, ['spec', 'selector']),
        object: svc.src,
      });
    }
  },
});
