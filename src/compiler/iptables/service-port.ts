import { commentArgs } from '../../ast/rule-builder.js';
import { serviceCommentText, type ServiceCommentRole } from '../../kube/rule-comments.js';
import { cidrContains, type ParsedIp } from '../../kube/ip.js';
import type { ProxySettings } from '../../model/settings.js';
import { endpointChainName, serviceChainNames } from '../../kube/chain-names.js';
import { probabilityText, type ProbabilityDecimals } from '../../kube/probability.js';
import type { ServiceEndpoint } from '../endpoints.js';
import type { ServicePortPlan } from '../service-port-plan.js';
import { localhostNodePortsEffective, nodePortAddressFound } from '../node-port-addresses.js';
import type { IptablesSink } from '../xtables/rule-sink.js';
import { ifLocal, ifNotLocal } from '../local-traffic.js';
import { writesNfacct } from './fixed-rules.js';
import { compileServicePortXlb } from './service-port-xlb.js';
import type { NodeIndependentParts } from '../node-independent.js';

/** kubelet's chain that marks packets for dropping (kube-proxy before 1.25 jumps to it). */
export const KUBE_MARK_DROP = 'KUBE-MARK-DROP';

export interface ServicePortContext {
  out: IptablesSink;
  settings: ProxySettings;
  /** More than 1000 endpoints in all: per-endpoint comments are left out. */
  largeCluster: boolean;
  /** The chain names, made once for every node compiled. */
  parts: NodeIndependentParts;
}

/**
 * Writes every rule of one service port, following kube-proxy's decisions: which chains exist,
 * which traffic is rejected or dropped in the filter table, and the endpoint fan-out.
 */
export function compileServicePort(ctx: ServicePortContext, plan: ServicePortPlan): void {
  const { out, settings } = ctx;
  const profile = settings.profile;
  if (!profile.policyChains) {
    compileServicePortXlb(ctx, plan);
    return;
  }
  const { port, name: spn, protocol: proto, addresses: addrs, externallyAccessible, externalPolicyLocal, internalPolicyLocal } = plan;
  const cat = plan.endpoints;
  const cip = addrs.clusterIP.text;
  const dport = String(port.port);

  const { svc: svcChain, svl: svlChain, ext: extChain, fw: fwChain } = ctx.parts.serviceChainNames(spn, proto);
  const say = (role: ServiceCommentRole, extra?: string): string => serviceCommentText(role, spn, extra);

  const sepOf = ctx.parts.endpointChainNamer(spn, proto);

  const localCount = cat.local?.length ?? 0;
  const usesClusterChain = (cat.cluster?.length ?? 0) > 0;
  const usesLocalChain = (localCount > 0 || plan.localChainMarksDrop) && (internalPolicyLocal || externalPolicyLocal);
  const internalChain = internalPolicyLocal ? svlChain : svcChain;
  const externalPolicyChain = externalPolicyLocal ? svlChain : svcChain;
  const { hasEndpoints, hasInternalEndpoints, hasExternalEndpoints } = plan;
  const usesExtChain = hasEndpoints && externallyAccessible;
  const usesFwChain = hasEndpoints && plan.hasSourceRangeFirewall;

  const noEndpoints = !hasEndpoints;
  const filterTarget = noEndpoints ? 'REJECT' : 'DROP';
  const filterComment = say(noEndpoints ? 'no-endpoints' : 'no-local-endpoints');
  const toService = (table: string, chain: string, comment: string) => out.rule(table, chain).comment(comment).protocol(proto);

  // 1. Cluster IP.
  if (hasInternalEndpoints) {
    toService('nat', 'KUBE-SERVICES', say('cluster-ip')).opt('-d', cip).opt('--dport', dport).jump(internalChain).add();
  } else {
    toService('filter', 'KUBE-SERVICES', filterComment).opt('-d', cip).opt('--dport', dport).jump(filterTarget).add();
  }

  // 2. External IPs.
  for (const eip of addrs.externalIPs) {
    if (hasEndpoints) {
      toService('nat', 'KUBE-SERVICES', say('external-ip')).opt('-d', eip.text).opt('--dport', dport).jump(extChain).add();
    }
    if (!hasExternalEndpoints) {
      toService('filter', 'KUBE-EXTERNAL-SERVICES', filterComment).opt('-d', eip.text).opt('--dport', dport).jump(filterTarget).add();
    }
  }

  // 3. Load-balancer IPs.
  for (const lb of addrs.loadBalancerIPs) {
    if (hasEndpoints) {
      toService('nat', 'KUBE-SERVICES', say('loadbalancer-ip')).opt('-d', lb.text).opt('--dport', dport).jump(usesFwChain ? fwChain : extChain).add();
    }
    if (usesFwChain && profile.proxyFirewallChain) {
      toService('filter', 'KUBE-PROXY-FIREWALL', say('firewall-not-accepted', fwChain)).opt('-d', lb.text).opt('--dport', dport).jump('DROP').add();
    }
  }
  if (!hasExternalEndpoints) {
    for (const lb of addrs.loadBalancerIPs) {
      toService('filter', 'KUBE-EXTERNAL-SERVICES', filterComment).opt('-d', lb.text).opt('--dport', dport).jump(filterTarget).add();
    }
  }

  // 4. NodePort.
  if (port.nodePort !== 0 && (!profile.nodePortsNeedAddress || nodePortAddressFound(settings))) {
    const np = String(port.nodePort);
    if (hasEndpoints) {
      if (localhostNodePortsEffective(settings) && writesNfacct(settings)) {
        out.rule('nat', 'KUBE-NODEPORTS')
            .comment(spn)
            .protocol(proto)
            .opt('-d', '127.0.0.0/8')
            .opt('--dport', np)
            .match('nfacct')
            .opt('--nfacct-name', 'localhost_nps_accepted_pkts')
            .jump(extChain)
            .add();
      }
      out.rule('nat', 'KUBE-NODEPORTS').comment(spn).protocol(proto).opt('--dport', np).jump(extChain).add();
    }
    if (!hasExternalEndpoints) {
      out.rule('filter', 'KUBE-EXTERNAL-SERVICES').comment(filterComment).match('addrtype').opt('--dst-type', 'LOCAL').protocol(proto).opt('--dport', np).jump(filterTarget).add();
    }
  }

  // 5. Health check node port.
  if (plan.healthCheckNodePort !== 0) {
    out.rule('filter', 'KUBE-NODEPORTS').comment(say('health-check-node-port')).protocol('tcp').opt('--dport', String(plan.healthCheckNodePort)).jump('ACCEPT').add();
  }

  // 6. Masquerade off-cluster traffic to the cluster IP.
  if (hasInternalEndpoints) {
    if (settings.masqueradeAll) {
      toService('nat', internalChain, say('cluster-ip')).opt('-d', cip).opt('--dport', dport).jump('KUBE-MARK-MASQ').add();
    } else if (settings.localDetector.kind !== 'none') {
      const r = toService('nat', internalChain, say('cluster-ip')).opt('-d', cip).opt('--dport', dport);
      ifNotLocal(r, settings.localDetector).jump('KUBE-MARK-MASQ').add();
    }
  }

  // 7. The external-destination chain.
  if (usesExtChain) {
    out.declare('nat', extChain);
    if (!externalPolicyLocal) {
      out.rule('nat', extChain).comment(say('masquerade-external')).jump('KUBE-MARK-MASQ').add();
    } else {
      if (settings.localDetector.kind !== 'none') {
        const r = out.rule('nat', extChain).comment(say('pod-external'));
        ifLocal(r, settings.localDetector).jump(svcChain).add();
      }
      out.rule('nat', extChain).comment(say('masquerade-local-external')).match('addrtype').opt('--src-type', 'LOCAL').jump('KUBE-MARK-MASQ').add();
      out.rule('nat', extChain).comment(say('route-local-external')).match('addrtype').opt('--src-type', 'LOCAL').jump(svcChain).add();
    }
    if (hasExternalEndpoints) out.rule('nat', extChain).jump(externalPolicyChain).add();
  }

  // 8. The load-balancer source-range firewall chain.
  if (usesFwChain) {
    out.declare('nat', fwChain);
    const lbComment = say('loadbalancer-ip');
    const primary = settings.primaryNodeIP;
    const allowFromNode = primary !== null && addrs.sourceRanges.some((c) => cidrContains(c, primary));
    const acceptRules = (lbs: typeof addrs.loadBalancerIPs) => {
      for (const range of addrs.sourceRanges) {
        out.rule('nat', fwChain).comment(lbComment).opt('-s', range.text).jump(extChain).add();
      }
      if (allowFromNode) {
        for (const lb of lbs) out.rule('nat', fwChain).comment(lbComment).opt('-s', lb.text).jump(extChain).add();
      }
    };
    if (profile.proxyFirewallChain) {
      acceptRules(addrs.loadBalancerIPs);
      if (profile.fwTrailingComment) out.rule('nat', fwChain).comment(say('firewall-other-dropped')).add();
    } else {
      // Before KUBE-PROXY-FIREWALL the rules are written once per load-balancer IP, each time
      // ending with the jump that marks what is left for dropping.
      for (const lb of addrs.loadBalancerIPs) {
        acceptRules([lb]);
        out.rule('nat', fwChain).comment(lbComment).jump(KUBE_MARK_DROP).add();
      }
    }
  }

  // 9, 10. Service chains with their endpoint fan-out.
  if (usesClusterChain) writeEndpointJumps(ctx, svcChain, spn, sepOf, cat.cluster ?? [], plan.affinityTimeout);
  if (usesLocalChain) {
    if (localCount > 0) writeEndpointJumps(ctx, svlChain, spn, sepOf, cat.local ?? [], plan.affinityTimeout);
    else {
      out.declare('nat', svlChain);
      out.rule('nat', svlChain).comment(say('no-local-endpoints')).jump(KUBE_MARK_DROP).add();
    }
  }

  // 11. Endpoint chains.
  writeEndpointChains(ctx, plan, sepOf);
}

/** The KUBE-SEP chain of every endpoint a service chain jumps to: masquerade hairpin traffic, DNAT. */
export function writeEndpointChains(ctx: ServicePortContext, plan: ServicePortPlan, sepOf: (ep: ServiceEndpoint) => string): void {
  const { out } = ctx;
  const spnComment = ctx.largeCluster || !ctx.settings.profile.serviceChainComments ? [] : commentArgs(plan.name);
  for (const ep of plan.endpoints.reachable) {
    const sep = sepOf(ep);
    out.rule('nat', sep).with(spnComment).opt('-s', addressArg(ctx, ep.ip)).jump('KUBE-MARK-MASQ').add();
    const dnat = out.rule('nat', sep).with(spnComment);
    if (plan.affinityTimeout !== null) dnat.match('recent').opt('--name', sep).opt('--set');
    dnat.protocol(plan.protocol).jump('DNAT', { flag: '--to-destination', negated: false, values: [ep.text] }).add();
  }
}

/** An address as a rule matches it: bare, or with `/32` (`/128`) before kube-proxy 1.23. */
export function addressArg(ctx: ServicePortContext, ip: ParsedIp): string {
  return ctx.settings.profile.bareIPs ? ip.text : `${ip.text}/${ip.family === 'ipv4' ? 32 : 128}`;
}

/**
 * A service chain's jumps to its endpoints: affinity rules first (for `affinityEndpoints`, which
 * kube-proxy 1.22 makes every endpoint of the port), then the random fan-out. Each is commented
 * `SPN -> IP:port` (`SPN` before kube-proxy 1.24), none in a large cluster.
 */
export function writeEndpointJumps(
  ctx: ServicePortContext,
  chain: string,
  spn: string,
  sepOf: (ep: ServiceEndpoint) => string,
  endpoints: readonly ServiceEndpoint[],
  affinityTimeout: number | null,
  affinityEndpoints: readonly ServiceEndpoint[] = endpoints,
): void {
  const { out } = ctx;
  out.declare('nat', chain);
  const seps = endpoints.map(sepOf);
  const { policyChains: withTarget, serviceChainComments, probabilityDecimals } = ctx.settings.profile;
  const start = (ep: ServiceEndpoint) => {
    const r = out.rule('nat', chain);
    if (!ctx.largeCluster && serviceChainComments) r.comment(withTarget ? serviceCommentText('endpoint', spn, ep.text) : spn);
    return r;
  };
  if (affinityTimeout !== null) {
    const seconds = String(affinityTimeout);
    for (const ep of affinityEndpoints) {
      const sep = sepOf(ep);
      start(ep).match('recent').opt('--name', sep).opt('--rcheck').opt('--seconds', seconds).opt('--reap').jump(sep).add();
    }
  }
  seps.forEach((sep, i) => {
    const r = start(endpoints[i] as ServiceEndpoint);
    const remaining = seps.length - i;
    if (remaining > 1) r.match('statistic').opt('--mode', 'random').opt('--probability', probability(remaining, probabilityDecimals));
    r.jump(sep).add();
  });
}

const PROBABILITIES: Record<ProbabilityDecimals, string[]> = { 10: [], 5: [] };

/** 1/n as kube-proxy prints it: ten decimals, five up to 1.16 (the profile's probabilityDecimals). */
export function probability(n: number, decimals: ProbabilityDecimals = 10): string {
  if (n >= 1024) return probabilityText(n, decimals);
  return (PROBABILITIES[decimals][n] ??= probabilityText(n, decimals));
}
