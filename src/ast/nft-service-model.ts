import type { NftChain, NftRuleSet } from './nft-types.js';
import { readNftRule, type NftExpr } from './nft-rule.js';
import { frontendText, hostPortText, serviceStates, type ServicePortState } from './service-port-state.js';
import { nftServicePortName, readNftChainName } from '../kube/nft-chain-names.js';

/**
 * What kube-proxy's nftables table says about each service port, in the terms of the iptables
 * service model so that either can be compared with the other: the frontends (`cluster IP
 * 10.96.0.10:53`, `node port 30080`, `external or load balancer IP …`), the endpoints of the
 * service chain and of the local chain, and the policies the chains show.
 */
export function nftServiceModel(rs: NftRuleSet): Map<string, ServicePortState> {
  const { get, add, sorted } = serviceStates();
  const chains = new Map(rs.chains.map((c) => [c.name, c]));
  const clusterIPs = new Set((rs.sets.find((s) => s.name === 'cluster-ips')?.elements ?? []).map((e) => e.key[0] ?? ''));
  const stateOf = (chain: string): ServicePortState | undefined => {
    const n = readNftChainName(chain);
    return !n || n.kind === 'endpoint' ? undefined : get(nftServicePortName(n), n.protocol);
  };
  const exprsOf = (c: NftChain): NftExpr[][] => c.rules.map((r) => readNftRule(r)).flatMap((r) => (r.ok ? [r.exprs] : []));
  const endpointOf = (chain: string): string | undefined => {
    const c = chains.get(chain);
    for (const x of c ? exprsOf(c) : []) for (const e of x) if (e.kind === 'dnat') return e.to;
    return undefined;
  };
  const walked = new Set<string>();
  const walk = (chain: string, s: ServicePortState): void => {
    if (walked.has(chain)) return;
    walked.add(chain);
    const c = chains.get(chain);
    if (!c) return;
    const local = chain.startsWith('local-');
    const external = chain.startsWith('external-');
    for (const x of exprsOf(c)) {
      const last = x[x.length - 1];
      const target = last?.kind === 'verdict' && (last.verdict === 'goto' || last.verdict === 'jump') ? last.chain : undefined;
      const source = x.find((e) => e.kind === 'match' && (e.key[0] === 'ip saddr' || e.key[0] === 'ip6 saddr'));
      if (target === 'mark-for-masquerade') {
        if (external && x.length === 1) add(s.policies, 'externalTrafficPolicy: Cluster');
        else if (source?.kind === 'match' && source.negated && source.value.kind === 'words') add(s.policies, `masquerade traffic not from ${source.value.words[0] ?? ''}`);
        else if (!external && x.length === 1) add(s.policies, 'masquerade all traffic');
        continue;
      }
      const direct = x.find((e) => e.kind === 'dnat-split');
      if (direct?.kind === 'dnat-split') {
        for (const t of direct.targets) add(local ? s.localEndpoints : s.endpoints, t.to);
        continue;
      }
      const numgen = x.find((e) => e.kind === 'numgen');
      if (numgen?.kind === 'numgen') {
        for (const entry of numgen.entries) {
          const ep = endpointOf(entry.verdict[1] ?? '');
          if (ep !== undefined) add(local ? s.localEndpoints : s.endpoints, ep);
        }
        continue;
      }
      if (source?.kind === 'match' && source.value.kind === 'named' && source.value.name.startsWith('affinity-')) {
        const set = rs.sets.find((x) => x.name === (source.value.kind === 'named' ? source.value.name : ''));
        add(s.policies, `session affinity${set?.timeout === undefined ? '' : ` ${set.timeout}s`}`);
        continue;
      }
      if (external && target?.startsWith('local-')) add(s.policies, 'externalTrafficPolicy: Local');
      if (target !== undefined && /^(?:service|local|firewall)-/.test(target)) walk(target, s);
    }
  };
  for (const set of rs.sets) {
    for (const el of set.elements) {
      const [verb, target] = (el.value ?? '').split(' ');
      if (set.name === 'service-ips' || set.name === 'service-nodeports') {
        if ((verb !== 'goto' && verb !== 'jump') || target === undefined) continue;
        const s = stateOf(target);
        if (!s) continue;
        if (set.name === 'service-nodeports') add(s.frontends, frontendText('node port', el.key[1] ?? '?'));
        else {
          const ip = el.key[0] ?? '';
          const where = hostPortText(ip, el.key[2] ?? '?');
          add(s.frontends, frontendText(clusterIPs.has(ip) ? 'cluster IP' : 'external or load balancer IP', where));
          if (clusterIPs.has(ip) && target.startsWith('local-')) add(s.policies, 'internalTrafficPolicy: Local');
        }
        walk(target, s);
      }
    }
  }
  return sorted();
}
