import { SliceIndex, serviceEndpoints } from '../../compiler/endpoints.js';
import { chainAt, nodeAt } from '../positions.js';
import { findServicePort } from '../kube/service-port-name.js';
import { docsUrl, iptablesRule } from '../types.js';
import { nftAt, nftReferences, serviceChainKind } from '../nft/references.js';

/**
 * A KUBE-SEP endpoint chain that no service chain jumps to is left over from an endpoint that is
 * gone (kube-proxy deletes such chains on its next full sync; one that stays means the sync is
 * failing). With reference manifests, a SEP whose DNAT destination is no longer an endpoint of
 * its service is stale too. In an excerpt, the jump to an endpoint chain may be among the lines
 * left out: unreferenced endpoint chains are not judged there, and the rule says so once.
 */
export default iptablesRule({
  meta: {
    id: 'stale-sep',
    severity: 'warning',
    target: 'iptables',
    docs: {
      description: 'A KUBE-SEP chain that no KUBE-SVC/KUBE-SVL chain jumps to, or (with --manifests) that sends to an address that is no longer an endpoint of its service.',
      url: docsUrl('stale-sep'),
    },
    messages: {
      unreferenced: '{{chain}}{{what}} is not jumped to from any KUBE-SVC or KUBE-SVL chain: it is left over from an endpoint that is gone',
      unreferencedNft: '{{chain}} is not reached from any service or local chain: it is left over from an endpoint that is gone',
      notAnEndpoint: '{{chain}} sends {{service}} traffic to {{destination}}, which is not an endpoint of {{service}} in the manifests',
    },
  },
  check(context) {
    const { index, file } = context;
    const kube = index.kubeChains();
    if (!kube) return;
    const nat = kube.nat;
    const seps = kube.ofKind('SEP');
    const why = nat.partial;
    const f = kube.facts;
    for (const sep of seps) {
      let fromService = false;
      for (let n = f.referenceHead[sep] as number; n >= 0 && !fromService; n = f.nextReference[n] as number) fromService = kube.isServiceChain(f.chainOf[n] as number);
      if (fromService) continue;
      if (why !== undefined) {
        context.notJudged(why, nodeAt(nat.table, file));
        break;
      }
      const spn = kube.servicePortName(sep);
      const destination = kube.destination(sep);
      const parts = [spn, destination ? `-> ${destination}` : undefined].filter(Boolean);
      context.report({
        messageId: 'unreferenced',
        data: { chain: kube.name(sep), what: parts.length ? ` (${parts.join(' ')})` : '' },
        at: chainAt(kube.chain(sep), file),
      });
    }

    const model = context.manifests;
    if (!model) return;
    const slices = new SliceIndex(model.cluster);
    const family = context.ruleSet.family;
    const nodeName = model.proxySettings(family).nodeName;
    const known = new Map<string, Set<string> | null>();
    for (const sep of seps) {
      const spn = kube.servicePortName(sep);
      const destination = kube.destination(sep);
      if (!spn || !destination) continue;
      const proto = kube.protocol(sep);
      const key = `${spn} ${proto ?? ''}`;
      let endpoints = known.get(key);
      if (endpoints === undefined) {
        const found = findServicePort(model.cluster, spn, proto);
        const svcSlices = found ? slices.slicesOf(found.svc) : [];
        endpoints =
          found && svcSlices.length > 0 ? new Set(serviceEndpoints(svcSlices, found.port, family, nodeName).map((e) => e.text)) : null;
        known.set(key, endpoints);
      }
      if (endpoints === null || endpoints.has(destination)) continue;
      context.report({
        messageId: 'notAnEndpoint',
        data: { chain: kube.name(sep), service: spn, destination },
        at: chainAt(kube.chain(sep), file),
      });
    }
  },
  checkNft(context) {
    const { ruleSet: rs, file } = context;
    // An endpoint chain is reached from its service's service or local chain (random split or affinity).
    if (rs.excerpt !== undefined) {
      context.notJudged(`table ${rs.family} ${rs.table} is an excerpt (${rs.excerpt})`, nftAt(rs, file));
      return;
    }
    const reached = new Set<string>();
    for (const r of nftReferences(rs)) {
      const from = r.fromChain === undefined ? undefined : serviceChainKind(r.fromChain);
      if (from === 'service' || from === 'local') reached.add(r.to);
    }
    for (const c of rs.chains) {
      if (serviceChainKind(c.name) !== 'endpoint' || reached.has(c.name)) continue;
      context.report({ messageId: 'unreferencedNft', data: { chain: c.name }, at: nftAt(c, file) });
    }
  },
});
