import { chainAt, nodeAt } from '../positions.js';
import { docsUrl, iptablesRule } from '../types.js';
import { isBaseChain, nftAt, nftReferences, serviceChainKind } from '../nft/references.js';
import { own } from '../../records.js';

/**
 * A KUBE-* chain that nothing jumps to does nothing: a service chain left behind by a failed
 * sync, or one of kube-proxy's entry chains whose jump from a built-in chain is gone (then none
 * of its rules run). KUBE-SEP chains are `stale-sep`'s business. In an excerpt, the jump to a
 * chain may be among the lines left out: such chains are not judged, and the rule says so once.
 */

/** Chains kube-proxy or kubelet create that may legitimately have no jump to them. */
const ALWAYS_EXEMPT = new Set([
  'KUBE-PROXY-CANARY',
  'KUBE-KUBELET-CANARY',
  'KUBE-IPTABLES-HINT',
  'KUBE-MARK-MASQ',
  'KUBE-MARK-DROP',
  'KUBE-NODE-PORT',
  'KUBE-LOAD-BALANCER',
  'KUBE-SOURCE-RANGES-FIREWALL',
]);

/** Entry chains and the built-in chains kube-proxy hooks them from, per table. */
const HOOKS: Record<string, Record<string, readonly string[]>> = {
  filter: {
    'KUBE-SERVICES': ['FORWARD', 'OUTPUT'],
    'KUBE-EXTERNAL-SERVICES': ['INPUT', 'FORWARD'],
    'KUBE-NODEPORTS': ['INPUT'],
    'KUBE-NODE-PORT': ['INPUT'],
    'KUBE-FORWARD': ['FORWARD'],
    'KUBE-PROXY-FIREWALL': ['INPUT', 'OUTPUT', 'FORWARD'],
    'KUBE-FIREWALL': ['INPUT', 'OUTPUT'],
    'KUBE-IPVS-FILTER': ['INPUT'],
    'KUBE-IPVS-OUT-FILTER': ['OUTPUT'],
  },
  nat: {
    'KUBE-SERVICES': ['PREROUTING', 'OUTPUT'],
    'KUBE-POSTROUTING': ['POSTROUTING'],
    'KUBE-NODEPORTS': [],
  },
};

export default iptablesRule({
  meta: {
    id: 'unused-chain',
    severity: 'warning',
    target: 'iptables',
    docs: {
      description: 'A KUBE-* chain is declared but never jumped to.',
      url: docsUrl('unused-chain'),
    },
    messages: {
      unused: 'chain {{chain}} is declared but nothing jumps to it',
      notHooked: 'chain {{chain}} is never jumped to: the jump from {{builtins}} is missing, so none of its rules run',
    },
  },
  check(context) {
    const { index, file } = context;
    for (const t of index.allTables()) {
      const why = t.partial;
      const hooks = own(HOOKS, t.table.name) ?? {};
      const references = t.facts().referenceCount;
      for (let o = 0; o < t.chainCount; o++) {
        const chain = t.chainAt(o);
        const name = chain.name;
        if ((references[o] as number) > 0 || !name.startsWith('KUBE-') || name.startsWith('KUBE-SEP-') || ALWAYS_EXEMPT.has(name)) continue;
        if (why !== undefined) {
          context.notJudged(why, nodeAt(t.table, file));
          break;
        }
        const from = own(hooks, name);
        if (from !== undefined) {
          const present = from.filter((b) => t.chains.has(b));
          if (present.length === 0) continue;
          context.report({ messageId: 'notHooked', data: { chain: name, builtins: present.join(', ') }, at: chainAt(chain, file) });
          continue;
        }
        context.report({ messageId: 'unused', data: { chain: name }, at: chainAt(chain, file) });
      }
    }
  },
  checkNft(context) {
    const { ruleSet: rs, file } = context;
    const referenced = new Set(nftReferences(rs).map((r) => r.to));
    if (rs.excerpt !== undefined) {
      context.notJudged(`table ${rs.family} ${rs.table} is an excerpt (${rs.excerpt})`, nftAt(rs, file));
      return;
    }
    // kube-proxy writes its helper chains (reject-chain, the checks) whatever the services:
    // only a chain of a service port or endpoint that nothing reaches is left over.
    for (const c of rs.chains) {
      if (isBaseChain(c) || referenced.has(c.name) || serviceChainKind(c.name) === undefined) continue;
      context.report({ messageId: 'unused', data: { chain: c.name }, at: nftAt(c, file) });
    }
  },
});
