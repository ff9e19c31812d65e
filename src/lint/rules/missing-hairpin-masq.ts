import type { Rule } from '../../ast/types.js';
import { nodeAt, ruleAt } from '../positions.js';
import { lossiness } from '../kube/rule-set-index.js';
import { endpointAddress, isHostAddress } from '../kube/rule-facts.js';
import { docsUrl, iptablesRule } from '../types.js';
import { readNftRule } from '../../ast/nft-rule.js';
import { readNftChainName } from '../../kube/nft-chain-names.js';
import { nftAt } from '../nft/references.js';

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
      missingNft: '{{chain}} DNATs to {{destination}} without an "ip saddr {{ip}} jump mark-for-masquerade" rule before it: a pod that reaches itself through the service gets no reply',
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
  checkNft(context) {
    const { ruleSet: rs, file } = context;
    // An endpoint chain marks packets from the endpoint itself for masquerading before its DNAT.
    for (const c of rs.chains) {
      const name = readNftChainName(c.name);
      if (name?.kind !== 'endpoint') continue;
      let marked = false;
      for (const r of c.rules) {
        const read = readNftRule(r);
        if (!read.ok) continue;
        const dnat = read.exprs.find((e) => e.kind === 'dnat');
        if (dnat?.kind === 'dnat') {
          if (!marked) {
            const destination = dnat.to;
            const ip = destination.replace(/^\[?([^\]]*?)\]?:\d+$/, '$1');
            context.report({ messageId: 'missingNft', data: { chain: c.name, destination, ip }, at: nftAt(r, file) });
          }
          break;
        }
        const last = read.exprs[read.exprs.length - 1];
        if (last?.kind === 'verdict' && last.chain === 'mark-for-masquerade' && read.exprs.some((e) => e.kind === 'match' && (e.key[0] === 'ip saddr' || e.key[0] === 'ip6 saddr'))) marked = true;
      }
    }
  },
});
