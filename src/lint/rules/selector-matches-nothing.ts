import { selectorMatches } from '../../model/workloads.js';
import { at, serviceName } from '../kube/manifest-helpers.js';
import { selectorText, servicesWithoutBackends } from '../kube/workload-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * A Service whose selector picks none of the pods the manifests make: the endpoint controller
 * gives it no endpoints and kube-proxy rejects its traffic. Judged only when the manifests hold
 * workloads at all (a set of Services alone says nothing about the pods), and when the input
 * gives the Service no EndpointSlice or Endpoints of its own. A selector that matches pods of
 * another namespace is `selector-other-namespace`'s.
 */
export default manifestRule({
  meta: {
    id: 'selector-matches-nothing',
    severity: 'warning',
    target: 'manifests',
    docs: {
      description: 'A Service whose selector matches the pods of no workload in its namespace, without EndpointSlices or Endpoints of its own.',
      url: docsUrl('selector-matches-nothing'),
    },
    messages: {
      nothing:
        'selector {{selector}} of {{service}} matches the pods of no workload in namespace {{namespace}}, and the manifests define no EndpointSlice or Endpoints for it: it has no backends',
    },
  },
  check(context) {
    const { model } = context;
    const { cluster } = model;
    for (const svc of servicesWithoutBackends(model)) {
      if (cluster.workloads.some((w) => selectorMatches(svc.selector, w.labels))) continue;
      context.report({
        messageId: 'nothing',
        data: { selector: selectorText(svc.selector), service: serviceName(svc), namespace: svc.namespace },
        at: at(svc, ['spec', 'selector']),
        object: svc.src,
      });
    }
  },
});
