import { nftAt, serviceChainKind } from '../nft/references.js';
import { docsUrl, nftRule } from '../types.js';

/**
 * kube-proxy keeps every cluster IP in `@cluster-ips`: `cluster-ips-check` rejects a packet to a
 * cluster IP on a port no service has (the client gets an error at once) and drops packets to the
 * rest of the service CIDR. A cluster IP that `@service-ips` sends to a service chain but that is
 * missing from `@cluster-ips` is treated as unallocated: its wrong ports are dropped instead of
 * rejected, and clients wait for a timeout.
 */
export default nftRule({
  meta: {
    id: 'cluster-ip-not-in-set',
    severity: 'warning',
    target: 'nftables',
    docs: {
      description: 'A cluster IP that @service-ips sends to a service chain is missing from @cluster-ips.',
      url: docsUrl('cluster-ip-not-in-set'),
    },
    messages: {
      missing: '{{ip}} is the cluster IP of {{target}} but is not in @cluster-ips: packets to its other ports are dropped instead of rejected',
    },
  },
  check(context) {
    const { ruleSet: rs, file } = context;
    const clusterIPs = rs.sets.find((s) => s.name === 'cluster-ips' && s.kind === 'set');
    const serviceIPs = rs.sets.find((s) => s.name === 'service-ips' && s.kind === 'map');
    if (!clusterIPs || !serviceIPs) return;
    const known = new Set(clusterIPs.elements.map((e) => e.key[0] ?? ''));
    const reported = new Set<string>();
    for (const el of serviceIPs.elements) {
      const ip = el.key[0] ?? '';
      const target = (el.value ?? '').split(' ')[1] ?? '';
      if (serviceChainKind(target) !== 'service' || known.has(ip) || reported.has(ip)) continue;
      reported.add(ip);
      context.report({ messageId: 'missing', data: { ip, target }, at: nftAt(el, file) });
    }
  },
});
