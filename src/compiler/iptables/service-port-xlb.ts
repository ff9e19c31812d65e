import { serviceChainName } from '../../kube/chain-names.js';
import { cidrContains } from '../../kube/ip.js';
import { serviceCommentText, FIXED_COMMENTS, type ServiceCommentRole } from '../../kube/rule-comments.js';
import { ifLocal, ifNotLocal } from '../local-traffic.js';
import { nodePortAddressFound } from '../node-port-addresses.js';
import type { ServicePortPlan } from '../service-port-plan.js';
import { KUBE_MARK_DROP, addressArg, probability, writeEndpointChains, writeEndpointJumps, type ServicePortContext } from './service-port.js';
import type { ServiceEndpoint } from '../endpoints.js';

/**
 * One service port as kube-proxy 1.2 to 1.23 write it (the profile's `policyChains` off): a KUBE-SVC
 * chain holding the masquerade rules of each kind of traffic, a KUBE-XLB chain for
 * externalTrafficPolicy: Local, a KUBE-FW chain for every load-balancer IP ending in
 * KUBE-MARK-DROP, and REJECT rules for a service without endpoints. The order of the rules is
 * `syncProxyRules`' (openshift/sdn release-4.10, kubernetes 1.23.4; release-4.9, 1.22.0-rc.0;
 * release-4.8, 1.21.1; release-4.7, 1.20.0-rc.0; release-4.6, 1.19.2; release-4.5 to 4.2, 1.18
 * to 1.14; kubernetes v1.2.0 to v1.5.0 and master at 1.6 to 1.13; docs/versions.md §3.1-§3.20).
 * What changed between those releases is read from the profile, never from the version.
 */
export function compileServicePortXlb(ctx: ServicePortContext, plan: ServicePortPlan): void {
  const { out, settings } = ctx;
  const { port, name: spn, protocol: proto, addresses: addrs, externalPolicyLocal: local, hasEndpoints } = plan;
  const cip = addressArg(ctx, addrs.clusterIP);
  const dport = String(port.port);
  const { svc: svcChain, fw: fwChain } = ctx.parts.serviceChainNames(spn, proto);
  const xlbChain = serviceChainName('XLB', spn, proto);
  const say = (role: ServiceCommentRole): string => serviceCommentText(role, spn);
  const sepOf = ctx.parts.endpointChainNamer(spn, proto);
  const toService = (table: string, chain: string, comment: string) => out.rule(table, chain).comment(comment).protocol(proto);
  const reject = (chain: string) => toService('filter', chain, say('no-endpoints'));
  const detector = settings.localDetector;
  // Where the masquerade rules go: the service chain (1.22+), else just ahead of their jump.
  const profile = settings.profile;
  const inSvc = profile.masqueradeInServiceChain;
  const masqChain = inSvc ? svcChain : 'KUBE-SERVICES';
  // Up to 1.9 the nat rules are written whether the service has endpoints or not.
  const writesNat = hasEndpoints || profile.natRulesWithoutEndpoints;
  // The REJECTs of external IPs and NodePorts: KUBE-EXTERNAL-SERVICES from 1.10.
  const externalReject = profile.externalServicesChain ? 'KUBE-EXTERNAL-SERVICES' : 'KUBE-SERVICES';
  const clusterIPReject = () => reject('KUBE-SERVICES').opt('-d', cip).opt('--dport', dport).jump('REJECT').add();

  if (writesNat) out.declare('nat', svcChain);
  // Declared for every port under policy Local, with endpoints or not.
  if (local) out.declare('nat', xlbChain);

  // Cluster IP.
  if (writesNat) {
    const masq = () => toService('nat', masqChain, say('cluster-ip')).opt('-d', cip).opt('--dport', dport);
    const cidrRule = detector.kind !== 'none';
    if (settings.masqueradeAll) masq().jump('KUBE-MARK-MASQ').add();
    // 1.3-1.6 write both rules; from 1.7 the cluster-CIDR one only without masqueradeAll; 1.2 neither.
    const cidrToo = profile.clusterIPMasquerade === 'both' || (profile.clusterIPMasquerade === 'either' && !settings.masqueradeAll);
    if (cidrRule && cidrToo) ifNotLocal(masq(), detector).jump('KUBE-MARK-MASQ').add();
    toService('nat', 'KUBE-SERVICES', say('cluster-ip')).opt('-d', cip).opt('--dport', dport).jump(svcChain).add();
  }
  // Up to 1.9 the cluster-IP REJECT is the port's last rule.
  if (!hasEndpoints && !profile.natRulesWithoutEndpoints) clusterIPReject();

  // External IPs.
  for (const eip of addrs.externalIPs) {
    if (!writesNat) {
      reject(externalReject).opt('-d', addressArg(ctx, eip)).opt('--dport', dport).jump('REJECT').add();
      continue;
    }
    const toEip = (chain: string) => toService('nat', chain, say('external-ip')).opt('-d', addressArg(ctx, eip)).opt('--dport', dport);
    // In 1.19 external IPs ignore externalTrafficPolicy: Local (externalIPsFollowPolicy).
    const eipLocal = local && settings.profile.externalIPsFollowPolicy;
    const dest = eipLocal ? xlbChain : svcChain;
    if (settings.profile.externalIPSingleJump) {
      if (!eipLocal) ifNotLocal(toEip(masqChain), detector).jump('KUBE-MARK-MASQ').add();
      toEip('KUBE-SERVICES').jump(dest).add();
    } else {
      // Before 1.21: masquerade whatever the source, then jump only for traffic from outside
      // (not bridged, not from this node) or to a local address.
      if (!eipLocal) toEip(masqChain).jump('KUBE-MARK-MASQ').add();
      toEip('KUBE-SERVICES').match('physdev').not('--physdev-is-in').match('addrtype').not('--src-type', 'LOCAL').jump(dest).add();
      toEip('KUBE-SERVICES').match('addrtype').opt('--dst-type', 'LOCAL').jump(dest).add();
    }
    if (!hasEndpoints && profile.externalIPReject) reject(externalReject).opt('-d', addressArg(ctx, eip)).opt('--dport', dport).jump('REJECT').add();
  }

  // Load-balancer IPs: a KUBE-FW chain, its rules once per IP.
  const primary = settings.primaryNodeIP;
  const allowFromNode = primary !== null && addrs.sourceRanges.some((c) => cidrContains(c, primary));
  for (const lb of addrs.loadBalancerIPs) {
    if (!writesNat) {
      if (profile.loadBalancerReject !== 'none') reject(profile.loadBalancerReject).opt('-d', addressArg(ctx, lb)).opt('--dport', dport).jump('REJECT').add();
      continue;
    }
    if (!profile.loadBalancerFwChain) {
      // 1.2-1.3: masquerade and jump to the service, in KUBE-SERVICES.
      const toLb = () => toService('nat', 'KUBE-SERVICES', say('loadbalancer-ip')).opt('-d', addressArg(ctx, lb)).opt('--dport', dport);
      toLb().jump('KUBE-MARK-MASQ').add();
      toLb().jump(svcChain).add();
      continue;
    }
    out.declare('nat', fwChain);
    toService('nat', 'KUBE-SERVICES', say('loadbalancer-ip')).opt('-d', addressArg(ctx, lb)).opt('--dport', dport).jump(fwChain).add();
    const fw = () => out.rule('nat', fwChain).comment(say('loadbalancer-ip'));
    const chosen = local ? xlbChain : svcChain;
    if (!local) fw().jump('KUBE-MARK-MASQ').add();
    if (addrs.sourceRanges.length === 0) fw().jump(chosen).add();
    else {
      for (const range of addrs.sourceRanges) fw().opt('-s', range.text).jump(chosen).add();
      if (allowFromNode) fw().opt('-s', addressArg(ctx, lb)).jump(chosen).add();
    }
    fw().jump(KUBE_MARK_DROP).add();
  }

  // NodePort (none when nodePortAddresses name no address of the node; up to 1.22 that also ends
  // the port: nodePortWithoutAddressEndsPort).
  const nodePortAddress = port.nodePort === 0 || nodePortAddressFound(settings);
  if (!nodePortAddress && settings.profile.nodePortWithoutAddressEndsPort) return;
  if (port.nodePort !== 0 && nodePortAddress) {
    const np = String(port.nodePort);
    const nodePortRule = (chain: string) => out.rule('nat', chain).comment(spn).protocol(proto).opt('--dport', np);
    const nodePortReject = () => out.rule('filter', externalReject).comment(say('no-endpoints')).match('addrtype').opt('--dst-type', 'LOCAL').protocol(proto).opt('--dport', np).jump('REJECT').add();
    if (!writesNat) {
      nodePortReject();
    } else if (!local) {
      nodePortRule(inSvc ? svcChain : 'KUBE-NODEPORTS').jump('KUBE-MARK-MASQ').add();
      nodePortRule('KUBE-NODEPORTS').jump(svcChain).add();
    } else {
      if (profile.nodePortLocalhostMasquerade) nodePortRule('KUBE-NODEPORTS').opt('-s', settings.family === 'ipv6' ? '::1/128' : '127.0.0.0/8').jump('KUBE-MARK-MASQ').add();
      nodePortRule('KUBE-NODEPORTS').jump(xlbChain).add();
    }
    // Up to 1.9, after the nat rules (NodePort REJECTs from 1.6).
    if (writesNat && !hasEndpoints && profile.nodePortReject) nodePortReject();
  }

  // Health check node port.
  if (plan.healthCheckNodePort !== 0 && settings.profile.filterNodePortsChain) {
    out.rule('filter', 'KUBE-NODEPORTS').comment(say('health-check-node-port')).protocol('tcp').opt('--dport', String(plan.healthCheckNodePort)).jump('ACCEPT').add();
  }

  if (!hasEndpoints) {
    if (profile.natRulesWithoutEndpoints) clusterIPReject();
    return;
  }
  writeEndpointChains(ctx, plan, sepOf);
  const inUse = settings.profile.endpointsInUse;
  // 1.22: the affinity rules name every endpoint of the port, ready or not.
  writeEndpointJumps(ctx, svcChain, spn, sepOf, plan.endpoints.cluster ?? [], plan.affinityTimeout, inUse ? undefined : plan.endpoints.reachable);
  if (!local) return;

  // The KUBE-XLB chain.
  if (detector.kind !== 'none') ifLocal(out.rule('nat', xlbChain).comment(FIXED_COMMENTS.redirectPodsToClusterIP), detector).jump(svcChain).add();
  if (profile.xlbLocalTrafficRules) {
    out.rule('nat', xlbChain).comment(say('masquerade-local-lb-ip')).match('addrtype').opt('--src-type', 'LOCAL').jump('KUBE-MARK-MASQ').add();
    out.rule('nat', xlbChain).comment(say('route-local-lb-ip')).match('addrtype').opt('--src-type', 'LOCAL').jump(svcChain).add();
  }
  const localEndpoints = plan.endpoints.local ?? [];
  if (localEndpoints.length === 0) out.rule('nat', xlbChain).comment(say('no-local-endpoints')).jump(KUBE_MARK_DROP).add();
  else if (!settings.profile.xlbBalancingRules) writeEndpointJumps(ctx, xlbChain, spn, sepOf, localEndpoints, plan.affinityTimeout);
  else writeBalancingRules(ctx, xlbChain, plan, sepOf, localEndpoints);
}

/**
 * kube-proxy 1.22's (and before) jumps from KUBE-XLB to the local endpoints: affinity rules commented `SPN`
 * (from 1.9), then "Balancing rule N for SPN", commented whatever the cluster's size.
 */
function writeBalancingRules(ctx: ServicePortContext, xlbChain: string, plan: ServicePortPlan, sepOf: (ep: ServiceEndpoint) => string, endpoints: readonly ServiceEndpoint[]): void {
  const { out } = ctx;
  const seps = endpoints.map(sepOf);
  const { xlbAffinity, probabilityDecimals } = ctx.settings.profile;
  // Affinity rules in KUBE-XLB from 1.9.
  if (plan.affinityTimeout !== null && xlbAffinity) {
    const seconds = String(plan.affinityTimeout);
    for (const sep of seps) out.rule('nat', xlbChain).comment(plan.name).match('recent').opt('--name', sep).opt('--rcheck').opt('--seconds', seconds).opt('--reap').jump(sep).add();
  }
  seps.forEach((sep, i) => {
    const r = out.rule('nat', xlbChain).comment(serviceCommentText('balancing-rule', plan.name, String(i)));
    if (i < seps.length - 1) r.match('statistic').opt('--mode', 'random').opt('--probability', probability(seps.length - i, probabilityDecimals));
    r.jump(sep).add();
  });
}
