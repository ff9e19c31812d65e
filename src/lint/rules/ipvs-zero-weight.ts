import { nodeAt } from '../positions.js';
import { describeRealServer, describeVirtualService } from '../kube/ipvs-names.js';
import { docsUrl, ipvsRule } from '../types.js';

/**
 * A real server with weight 0 gets no new connections. kube-proxy sets weight 0 on endpoints
 * it is draining (graceful termination) and deletes them once their connections end; a real
 * server that stays at weight 0 is a leftover, and a service whose real servers all have weight
 * 0 accepts no new connections at all.
 */
export default ipvsRule({
  meta: {
    id: 'ipvs-zero-weight',
    severity: 'warning',
    target: 'ipvs',
    docs: {
      description: 'An IPVS real server with weight 0 (gets no new connections).',
      url: docsUrl('ipvs-zero-weight'),
    },
    messages: {
      zero: 'real server {{server}} of virtual service {{service}} has weight 0 and gets no new connections',
      allZero: 'every real server of virtual service {{service}} has weight 0: it accepts no new connections',
    },
  },
  check(context) {
    for (const vs of context.ruleSet.services) {
      const zero = vs.realServers.filter((rs) => rs.weight === 0);
      if (zero.length === 0) continue;
      const service = describeVirtualService(vs);
      if (zero.length === vs.realServers.length) {
        context.report({ messageId: 'allZero', data: { service }, at: nodeAt(vs, context.file) });
        continue;
      }
      for (const rs of zero) context.report({ messageId: 'zero', data: { server: describeRealServer(rs), service }, at: nodeAt(rs, context.file) });
    }
  },
});
