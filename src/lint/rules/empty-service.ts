import { chainAt } from '../positions.js';
import { docsUrl, iptablesRule } from '../types.js';

/**
 * A KUBE-SVC chain that rules jump to but that has no jump to any KUBE-SEP endpoint chain:
 * packets for the service fall through it un-DNATed and go to the cluster IP itself, where
 * nothing answers (kube-proxy writes a REJECT rule instead when a service has no endpoints).
 */
export default iptablesRule({
  meta: {
    id: 'empty-service',
    severity: 'error',
    target: 'iptables',
    docs: {
      description: 'A KUBE-SVC chain that is jumped to but has no endpoint jumps.',
      url: docsUrl('empty-service'),
    },
    messages: {
      empty: '{{chain}}{{service}} is jumped to (line {{line}}) but has no jump to a KUBE-SEP endpoint chain: its traffic is not load-balanced anywhere',
    },
  },
  check(context) {
    const { index, file } = context;
    const kube = index.kubeChains();
    if (!kube) return;
    for (const svc of kube.ofKind('SVC')) {
      if (kube.nat.referenceCount(svc.name) === 0) continue;
      const hasEndpoint = svc.targets.some((t) => t !== undefined && t.startsWith('KUBE-SEP-'));
      if (hasEndpoint) continue;
      const from = kube.nat.referencesTo(svc.name)[0];
      const spn = svc.servicePortName;
      context.report({
        messageId: 'empty',
        data: { chain: svc.name, service: spn ? ` (${spn})` : '', line: from?.rule.pos?.line ?? '?' },
        at: chainAt(svc.chain, file),
      });
    }
  },
});
