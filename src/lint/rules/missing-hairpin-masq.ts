import { ruleAt } from '../positions.js';
import { endpointAddress, isHostAddress } from '../kube/rule-facts.js';
import { docsUrl, iptablesRule } from '../types.js';

/**
 * Every KUBE-SEP chain starts with `-s <endpoint IP> -j KUBE-MARK-MASQ`: when a pod reaches
 * itself through its service, the reply must be masqueraded or the pod sees a packet from
 * itself and drops it (the "hairpin" case). Without that rule, such connections hang.
 */
export default iptablesRule({
  meta: {
    id: 'missing-hairpin-masq',
    severity: 'error',
    target: 'iptables',
    docs: {
      description: 'A KUBE-SEP chain without its `-s <endpoint> -j KUBE-MARK-MASQ` hairpin rule before the DNAT.',
      url: docsUrl('missing-hairpin-masq'),
    },
    messages: {
      missing:
        '{{chain}} DNATs to {{destination}} without a "-s {{ip}} -j KUBE-MARK-MASQ" rule before it: a pod that reaches itself through the service gets no reply',
    },
  },
  check(context) {
    const { index, file, ruleSet } = context;
    const kube = index.kubeChains();
    if (!kube) return;
    for (const sep of kube.ofKind('SEP')) {
      if (!sep.dnat) continue;
      const ip = endpointAddress(sep.dnat.destination);
      const found = (sep.hairpinSources ?? []).some((s) => isHostAddress(s, ip, ruleSet.family));
      if (found) continue;
      context.report({
        messageId: 'missing',
        data: { chain: sep.name, destination: sep.dnat.destination, ip },
        at: ruleAt(sep.dnat.ref.rule, file),
        suppressions: sep.dnat.ref.rule.suppressions ?? [],
      });
    }
  },
});
