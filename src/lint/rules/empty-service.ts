import type { KubeChains } from '../kube/kube-chains.js';
import { chainAt, nodeAt } from '../positions.js';
import { docsUrl, iptablesRule } from '../types.js';
import { nftAt, nftReferences, serviceChainKind } from '../nft/references.js';
import { readNftRule } from '../../ast/nft-rule.js';

/**
 * A KUBE-SVC chain that rules jump to but that has no jump to any KUBE-SEP endpoint chain:
 * packets for the service fall through it un-DNATed and go to the cluster IP itself, where
 * nothing answers (kube-proxy writes a REJECT rule instead when a service has no endpoints).
 * In an excerpt, the endpoint jumps may be among the lines left out: only a chain the text shows
 * whole is judged, and the rule says once that it could not judge the others.
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
      emptyNft: '{{chain}} is sent packets by a service map but sends them to no endpoint: its traffic is not load-balanced anywhere',
      empty: '{{chain}}{{service}} is jumped to (line {{line}}) but has no jump to a KUBE-SEP endpoint chain: its traffic is not load-balanced anywhere',
    },
  },
  check(context) {
    const { index, file } = context;
    const kube = index.kubeChains();
    if (!kube) return;
    const f = kube.facts;
    const why = kube.nat.partial;
    for (const svc of kube.ofKind('SVC')) {
      const from = f.referenceHead[svc] as number;
      if (from < 0 && why === undefined) continue;
      if (jumpsToEndpoint(kube, svc)) continue;
      // The jump to the chain, or its jumps to endpoints, may be among the lines left out.
      if (why !== undefined && (from < 0 || kube.nat.mayBeCut(svc))) {
        context.notJudged(why, nodeAt(kube.nat.table, file));
        continue;
      }
      const spn = kube.servicePortName(svc);
      context.report({
        messageId: 'empty',
        data: { chain: kube.name(svc), service: spn ? ` (${spn})` : '', line: kube.nat.ruleAt(from).pos?.line ?? '?' },
        at: chainAt(kube.chain(svc), file),
      });
    }
  },
  checkNft(context) {
    const { ruleSet: rs, file } = context;
    if (rs.excerpt !== undefined) return;
    // A service with no endpoints gets an element of @no-endpoint-services, not a service chain:
    // a service chain a map sends packets to must split them among endpoints.
    const targets = new Set(nftReferences(rs).filter((r) => r.fromMap !== undefined).map((r) => r.to));
    for (const c of rs.chains) {
      if (serviceChainKind(c.name) !== 'service' || !targets.has(c.name)) continue;
      const splits = c.rules.some((r) => {
        const read = readNftRule(r);
        return read.ok && read.exprs.some((e) => e.kind === 'numgen' || e.kind === 'dnat-split' || e.kind === 'dnat');
      });
      if (!splits) context.report({ messageId: 'emptyNft', data: { chain: c.name }, at: nftAt(c, file) });
    }
  },
});

/** Whether a rule of chain `c` jumps to a KUBE-SEP-… name (a chain of the table or not). */
function jumpsToEndpoint(kube: KubeChains, c: number): boolean {
  const f = kube.facts;
  for (let n = f.firstRule[c] as number; n < (f.firstRule[c + 1] as number); n++) {
    const tc = f.targetChain[n] as number;
    if (tc >= 0 ? kube.isEndpointChain(tc) : f.target[n]?.startsWith('KUBE-SEP-') === true) return true;
  }
  return false;
}
