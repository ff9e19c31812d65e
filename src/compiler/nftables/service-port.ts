import { cidrContains, type ParsedIp } from '../../kube/ip.js';
import type { ProxySettings } from '../../model/settings.js';
import type { ServiceEndpoint } from '../endpoints.js';
import type { ServicePortPlan } from '../service-port-plan.js';
import type { NftBuilder } from './builder.js';
import { endpointNames, servicePortBase, servicePortChains } from './chain-names.js';
import { ifLocalWords, ifNotLocalWords, type FamilyWords } from './family-words.js';
import { NFT } from './skeleton.js';

export interface NftPortContext {
  b: NftBuilder;
  settings: ProxySettings;
  w: FamilyWords;
  /** The proxier's primary node IP (for the load-balancer source-range check). */
  primaryNodeIP: ParsedIp;
}

/**
 * Everything one service port adds to the table, in kube-proxy's order: its chains, the
 * elements that send its cluster IP, external IPs, load-balancer IPs and NodePort to them (or
 * drop and reject when it has no endpoints for that traffic), its firewall, the masquerade and
 * short-circuit rules, the endpoint fan-out with session affinity, and one chain per endpoint.
 */
export function compileNftServicePort(ctx: NftPortContext, plan: ServicePortPlan): void {
  const { b, w } = ctx;
  const { ipX } = w;
  const { service: svc, port, name: spn, protocol: proto, addresses: addrs, externallyAccessible } = plan;
  const { settings } = ctx;
  const { hasEndpoints, hasInternalEndpoints, hasExternalEndpoints } = plan;
  const portText = String(port.port);
  const base = servicePortBase(svc, port);
  const chains = servicePortChains(base);

  const extLocal = plan.externalPolicyLocal;
  const intLocal = plan.internalPolicyLocal;
  const cat = plan.endpoints;
  const clusterEndpoints = cat.cluster ?? [];
  const localEndpoints = cat.local ?? [];
  const names = new Map<string, { chain: string; affinitySet: string }>();
  const namesOf = (ep: ServiceEndpoint) => {
    let n = names.get(ep.text);
    if (n === undefined) {
      n = endpointNames(base, ep);
      names.set(ep.text, n);
    }
    return n;
  };

  for (const ep of cat.reachable) b.chain(namesOf(ep).chain);
  const usesClusterChain = clusterEndpoints.length > 0;
  const usesLocalChain = localEndpoints.length > 0;
  if (usesClusterChain) b.chain(chains.service);
  if (usesLocalChain) b.chain(chains.local);

  const internalChain = intLocal ? chains.local : chains.service;
  const externalPolicyChain = extLocal ? chains.local : chains.service;
  const usesExternalChain = hasEndpoints && externallyAccessible;
  if (usesExternalChain) b.chain(chains.external);

  // With no endpoints at all, traffic is rejected; with none for one kind of traffic only (a
  // Local policy without local endpoints), that traffic is dropped.
  const verdict = hasEndpoints ? 'drop' : `goto ${NFT.rejectChain}`;
  const toService = (ip: ParsedIp, target: string) => b.element(NFT.serviceIPs, { key: [ip.text, proto, portText], value: `goto ${target}` });
  const noEndpoints = (ip: ParsedIp) => b.element(NFT.noEndpointServices, { key: [ip.text, proto, portText], comment: spn, value: verdict });

  // The cluster IP.
  b.element(NFT.clusterIPs, { key: [addrs.clusterIP.text] });
  if (hasInternalEndpoints) toService(addrs.clusterIP, internalChain);
  else noEndpoints(addrs.clusterIP);

  // External IPs.
  for (const ip of addrs.externalIPs) {
    if (hasEndpoints) toService(ip, chains.external);
    if (!hasExternalEndpoints) noEndpoints(ip);
  }

  // The firewall of a load balancer with source ranges (NodePorts are not subject to it).
  // Source ranges as written: unlike IPVS mode, a zero CIDR among them is kept (it admits all).
  const usesFirewall = plan.hasSourceRangeFirewall;
  if (usesFirewall) {
    const sources = addrs.sourceRanges.map((c) => c.text);
    // A load balancer that loops back to its own VIP reaches the node with that source.
    if (addrs.sourceRanges.some((c) => cidrContains(c, ctx.primaryNodeIP))) sources.push(...addrs.loadBalancerIPs.map((ip) => ip.text));
    b.rule(chains.firewall, [ipX, 'saddr', '!=', '{', ...withCommas(sources), '}', 'drop']);
  }

  // Load-balancer IPs.
  for (const ip of addrs.loadBalancerIPs) {
    if (hasEndpoints) toService(ip, chains.external);
    if (usesFirewall) b.element(NFT.firewallIPs, { key: [ip.text, proto, portText], value: `goto ${chains.firewall}` });
  }
  if (!hasExternalEndpoints) for (const ip of addrs.loadBalancerIPs) noEndpoints(ip);

  // The NodePort.
  if (port.nodePort !== 0) {
    const key = [proto, String(port.nodePort)];
    if (hasEndpoints) b.element(NFT.serviceNodePorts, { key, value: `goto ${chains.external}` });
    if (!hasExternalEndpoints) b.element(NFT.noEndpointNodePorts, { key, comment: spn, value: verdict });
  }

  // Traffic to the cluster IP from outside the pod network is masqueraded.
  if (hasInternalEndpoints) {
    const dest = [ipX, 'daddr', addrs.clusterIP.text];
    if (settings.masqueradeAll) b.rule(internalChain, [...dest, 'jump', NFT.markMasq]);
    else if (settings.localDetector.kind !== 'none') b.rule(internalChain, [...dest, ...ifNotLocalWords(settings.localDetector, ipX), 'jump', NFT.markMasq]);
  }

  // The external chain: masquerade (Cluster policy), or keep the source and short-circuit pod
  // and node traffic to the cluster-wide endpoints (Local policy).
  if (usesExternalChain) {
    if (!extLocal) b.rule(chains.external, ['jump', NFT.markMasq]);
    else {
      if (settings.localDetector.kind !== 'none') {
        b.rule(chains.external, [...ifLocalWords(settings.localDetector, ipX), 'goto', chains.service], 'short-circuit pod traffic');
      }
      b.rule(chains.external, ['fib', 'saddr', 'type', 'local', 'jump', NFT.markMasq], 'masquerade local traffic');
      b.rule(chains.external, ['fib', 'saddr', 'type', 'local', 'goto', chains.service], 'short-circuit local traffic');
    }
    if (hasExternalEndpoints) b.rule(chains.external, ['goto', externalPolicyChain]);
  }

  const affinity = plan.affinityTimeout;
  if (affinity !== null) {
    for (const ep of cat.reachable) {
      b.set({ name: namesOf(ep).affinitySet, kind: 'set', type: w.addrType, flags: ['dynamic', 'timeout'], timeout: affinity });
    }
  }

  const fanOut = (chain: string, list: readonly ServiceEndpoint[]) => {
    if (affinity !== null) {
      for (const ep of list) b.rule(chain, [ipX, 'saddr', `@${namesOf(ep).affinitySet}`, 'goto', namesOf(ep).chain]);
    }
    const targets = list.map((ep, i) => `${i} : goto ${namesOf(ep).chain}`);
    b.rule(chain, ['numgen', 'random', 'mod', String(list.length), 'vmap', '{', ...withCommas(targets), '}']);
  };
  if (usesClusterChain) fanOut(chains.service, clusterEndpoints);
  if (usesLocalChain) fanOut(chains.local, localEndpoints);

  for (const ep of cat.reachable) {
    const n = namesOf(ep);
    b.rule(n.chain, [ipX, 'saddr', ep.ip.text, 'jump', NFT.markMasq]);
    if (affinity !== null) b.rule(n.chain, ['update', `@${n.affinitySet}`, '{', ipX, 'saddr', '}']);
    b.rule(n.chain, ['meta', 'l4proto', proto, 'dnat', 'to', ep.text]);
  }
}

/** Items separated by `,` words, as knftables writes a list: `a , b`. */
function withCommas(items: readonly string[]): string[] {
  const out: string[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(',');
    out.push(item);
  });
  return out;
}
