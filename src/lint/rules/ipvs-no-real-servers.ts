import { nodeAt } from '../positions.js';
import { describeVirtualService } from '../kube/ipvs-names.js';
import { docsUrl, ipvsRule } from '../types.js';

/**
 * An IPVS virtual service with no real server accepts connections to the service address and
 * has nowhere to send them: clients see timeouts or resets. kube-proxy keeps such services for
 * Services whose endpoints are all gone, so the finding usually means a Service without ready
 * pods, or real servers removed by hand.
 */
export default ipvsRule({
  meta: {
    id: 'ipvs-no-real-servers',
    severity: 'warning',
    target: 'ipvs',
    docs: {
      description: 'An IPVS virtual service without any real server.',
      url: docsUrl('ipvs-no-real-servers'),
    },
    messages: {
      none: 'virtual service {{service}} has no real servers: connections to it are not forwarded anywhere',
    },
  },
  check(context) {
    for (const vs of context.ruleSet.services) {
      if (vs.realServers.length > 0) continue;
      context.report({ messageId: 'none', data: { service: describeVirtualService(vs) }, at: nodeAt(vs, context.file) });
    }
  },
});
