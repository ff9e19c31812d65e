import { nftAt, serviceChainKind } from '../nft/references.js';
import { readNftChainName } from '../../kube/nft-chain-names.js';
import { docsUrl, nftRule } from '../types.js';

/**
 * kube-proxy sends a packet to a service by its destination: `@service-ips` maps an address,
 * protocol and port to the service's chain (its cluster IP; the local chain with an internal Local
 * policy) or its external chain (external and LoadBalancer IPs), `@service-nodeports` maps a protocol and node port to the external chain.
 * Each chain is named after its service port and protocol (`service-HASH-ns/name/proto/port`): an
 * element whose protocol is not its chain's, or whose chain is no service chain at all, sends the
 * service's traffic where kube-proxy would not.
 */
const MAPS: Readonly<Record<string, { protoPart: number; kinds: readonly string[] }>> = {
  'service-ips': { protoPart: 1, kinds: ['service', 'external', 'local'] },
  'service-nodeports': { protoPart: 0, kinds: ['external'] },
};

export default nftRule({
  meta: {
    id: 'service-map-target',
    severity: 'error',
    target: 'nftables',
    docs: {
      description: "An element of @service-ips or @service-nodeports that sends packets to a chain that is not the chain of that protocol's service port.",
      url: docsUrl('service-map-target'),
    },
    messages: {
      notAServiceChain: '@{{map}} sends {{key}} to {{target}}, which is not a {{kinds}} chain',
      otherProtocol: '@{{map}} sends {{key}} ({{proto}}) to {{target}}, the chain of a {{chainProto}} port',
    },
  },
  check(context) {
    const { ruleSet: rs, file } = context;
    for (const s of rs.sets) {
      const spec = Object.hasOwn(MAPS, s.name) ? MAPS[s.name] : undefined;
      if (spec === undefined || s.kind !== 'map') continue;
      for (const el of s.elements) {
        const [verb, target] = (el.value ?? '').split(' ');
        if ((verb !== 'goto' && verb !== 'jump') || target === undefined) continue;
        const key = el.key.join(' . ');
        const kind = serviceChainKind(target);
        if (kind === undefined || !spec.kinds.includes(kind)) {
          context.report({ messageId: 'notAServiceChain', data: { map: s.name, key, target, kinds: spec.kinds.join(', ').replace(/, ([^,]*)$/, ' or $1') }, at: nftAt(el, file) });
          continue;
        }
        const proto = el.key[spec.protoPart] ?? '';
        const chainProto = readNftChainName(target)?.protocol ?? '';
        if (chainProto !== '' && proto !== chainProto) {
          context.report({ messageId: 'otherProtocol', data: { map: s.name, key, proto, target, chainProto }, at: nftAt(el, file) });
        }
      }
    }
  },
});
