import type { Rule } from '../../ast/types.js';
import { nodeAt, ruleAt } from '../positions.js';
import { lossiness } from '../kube/rule-set-index.js';
import { endpointAddress, isHostAddress } from '../kube/rule-facts.js';
import { docsUrl, iptablesRule } from '../types.js';

/**
 * Every KUBE-SEP chain starts with `-s <endpoint IP> -j KUBE-MARK-MASQ`: when a pod reaches
 * itself through its service, the reply must be masqueraded or the pod sees a packet from
 * itself and drops it (the "hairpin" case). Without that rule, such connections hang. A chain
 * an excerpt may show in part, or a lossy listing that may print the source as a host name, is
 * not judged: the rule says so once.
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
    const family = ruleSet.family;
    const lossy = lossiness(ruleSet);
    // One test for every chain (of the endpoint address at hand), not a closure per chain.
    let ip = '';
    const isEndpoint = (source: string) => isHostAddress(source, ip, family);
    for (const sep of kube.ofKind('SEP')) {
      const destination = kube.destination(sep);
      if (destination === undefined) continue;
      ip = endpointAddress(destination);
      if (kube.someHairpinSource(sep, isEndpoint)) continue;
      // The hairpin rule may be among the lines left out, or its source printed as a name.
      const why = kube.nat.mayBeCut(sep) ? kube.nat.partial : lossy;
      if (why !== undefined) {
        context.notJudged(why, nodeAt(kube.nat.table, file));
        continue;
      }
      const rule = kube.dnatRule(sep) as Rule;
      context.report({
        messageId: 'missing',
        data: { chain: kube.name(sep), destination, ip },
        at: ruleAt(rule, file),
        suppressions: rule.suppressions ?? [],
      });
    }
  },
});
