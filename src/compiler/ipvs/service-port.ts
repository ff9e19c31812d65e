import type { IpvsProtocol, RealServer, VirtualService } from '../../ast/types.js';
import type { Service } from '../../model/cluster.js';
import { cidrContains, isZeroCidr, type ParsedCidr, type ParsedIp } from '../../kube/ip.js';
import type { ProxySettings } from '../../model/settings.js';
import type { Categorized } from '../endpoints.js';
import { familyAddresses as serviceFamilyAddresses, type FamilyAddresses, type ServicePortPlan } from '../service-port-plan.js';
import { ipPortEntry, ipPortIpEntry, ipPortNetEntry, portEntry } from './ipset-entries.js';
import type { SetKey } from './ipset-catalogue.js';
import { compareAddressPort } from './order.js';
import type { IpvsState, VirtualServiceOwner } from './state.js';

export interface IpvsPortContext {
  state: IpvsState;
  settings: ProxySettings;
  /** The proxier's primary node IP (for the load-balancer source-range check). */
  primaryNodeIP: ParsedIp;
  /** Local addresses outside kube-ipvs0: external and LB IPs among them are not bound. */
  localAddresses: ReadonlySet<string>;
  /** The addresses NodePort virtual servers listen on. */
  nodePortIPs: readonly ParsedIp[];
}

/**
 * The addresses of a service in the proxier's family. Source ranges are kept for this family;
 * a zero CIDR (`0.0.0.0/0`, `::/0`) among them means the service has no source ranges at all.
 */
export function familyAddresses(svc: Service, settings: ProxySettings): FamilyAddresses {
  return withoutZeroSourceRange(serviceFamilyAddresses(svc, settings));
}

function withoutZeroSourceRange(a: FamilyAddresses): FamilyAddresses {
  return a.sourceRanges.some(isZeroCidr) ? { ...a, sourceRanges: [] as ParsedCidr[] } : a;
}

/**
 * The real servers of a virtual server. With a Local policy, the node-local endpoints; when
 * there are none, IPVS mode from 1.24 falls back to the cluster-wide ones (kubernetes PR 97081,
 * `fallback`), unlike iptables and nftables modes. A port that never uses cluster endpoints
 * (internal policy Local and not externally reachable) then has none. Before 1.24 a Local policy
 * without local endpoints leaves the virtual server without real servers.
 */
export function realServersFor(cat: Categorized, onlyLocal: boolean, fallback = true): RealServer[] {
  const local = onlyLocal ? cat.local : null;
  const chosen = local && (local.length > 0 || !fallback) ? local : (cat.cluster ?? []);
  return [...chosen]
    .sort((a, b) => compareAddressPort(a.ip, a.port, b.ip, b.port))
    .map((ep): RealServer => ({ address: ep.ip.text, port: ep.port, forward: 'masq', weight: 1 }));
}

/**
 * The addresses a service port binds to kube-ipvs0: its cluster IP, and external/LB IPs (from
 * 1.28 only those not on another interface).
 */
export function boundAddressesOf(svc: Service, settings: ProxySettings, localAddresses: ReadonlySet<string>): ParsedIp[] {
  const a = familyAddresses(svc, settings);
  const skipLocal = settings.ipvsProfile.bindSkipsLocalAddresses;
  return [a.clusterIP, ...[...a.externalIPs, ...a.loadBalancerIPs].filter((ip) => !skipLocal || !localAddresses.has(ip.text))];
}

const NODE_PORT_SETS: Record<IpvsProtocol, { all: SetKey; local: SetKey }> = {
  tcp: { all: 'nodePortTCP', local: 'nodePortLocalTCP' },
  udp: { all: 'nodePortUDP', local: 'nodePortLocalUDP' },
  sctp: { all: 'nodePortSCTP', local: 'nodePortLocalSCTP' },
};
/** SCTP NodePorts up to 1.14: port-only bitmap sets. */
const SCTP_BITMAP_SETS = { all: 'nodePortSCTPBitmap', local: 'nodePortLocalSCTPBitmap' } as const;

/**
 * What one service port adds to the IPVS state, in kube-proxy's order: hairpin entries for its
 * local endpoints, then the virtual servers and set members of its cluster IP, external IPs,
 * load-balancer IPs and NodePort, then its health-check node port.
 */
export function compileIpvsServicePort(ctx: IpvsPortContext, plan: ServicePortPlan): void {
  const { state, settings } = ctx;
  const profile = settings.ipvsProfile;
  const { port, protocol: proto, name: spn } = plan;
  const addrs = withoutZeroSourceRange(plan.addresses);
  const extLocal = plan.externalPolicyLocal;
  // Up to 1.19 external IPs ignore externalTrafficPolicy (no KUBE-EXTERNAL-IP-LOCAL before 1.18,
  // the ExternalPolicyForExternalIP gate off in 1.18-1.19).
  const extIPLocal = extLocal && profile.externalIPLocalSet && settings.profile.externalIPsFollowPolicy;
  // 1.12-1.13: load-balancer virtual servers keep to local endpoints only with ClientIP affinity.
  const lbLocal = extLocal && (!profile.lbLocalOnlyWithAffinity || plan.affinityTimeout !== null);
  const bindable = (ip: ParsedIp) => !profile.bindSkipsLocalAddresses || !ctx.localAddresses.has(ip.text);
  const cat = plan.endpoints;
  const endpoints = plan.allEndpoints;
  // The real servers of the port's virtual servers: one sorted list per policy, shared by them.
  const servers = new Map<boolean, RealServer[]>();
  const serversFor = (onlyLocal: boolean): RealServer[] => {
    let list = servers.get(onlyLocal);
    if (!list) {
      list = realServersFor(cat, onlyLocal, profile.localFallsBackToCluster);
      servers.set(onlyLocal, list);
    }
    return list;
  };
  const vs = (address: ParsedIp, vsPort: number, onlyLocal: boolean): VirtualService => ({
    protocol: proto,
    address: address.text,
    port: vsPort,
    family: settings.family,
    scheduler: settings.ipvsScheduler,
    // kube-proxy sets IP_VS_SVC_F_SCHED2 for `mh`: hash the source port too.
    schedulerFlags: settings.ipvsScheduler === 'mh' && profile.mhSourcePort ? ['mh-port'] : [],
    ...(plan.affinityTimeout !== null ? { persistence: { timeout: plan.affinityTimeout } } : {}),
    realServers: serversFor(onlyLocal),
  });

  // Hairpin: every endpoint on this node, whatever its state (1.12: every endpoint).
  for (const ep of endpoints) {
    if (ep.local || profile.loopBackAllEndpoints) state.addMember('loopBack', ipPortIpEntry(ep.ip.text, proto, ep.port, ep.ip.text));
  }

  const owner = (role: VirtualServiceOwner['role'], onlyLocal: boolean): VirtualServiceOwner => ({ servicePortName: spn, role, onlyLocal });

  // 1. Cluster IP, always bound to kube-ipvs0.
  state.addMember('clusterIP', ipPortEntry(addrs.clusterIP.text, proto, port.port));
  state.putService(vs(addrs.clusterIP, port.port, plan.internalPolicyLocal), addrs.clusterIP, owner('cluster IP', plan.internalPolicyLocal));
  state.bind(addrs.clusterIP);

  // 2. External IPs.
  for (const eip of addrs.externalIPs) {
    state.addMember(extIPLocal ? 'externalIPLocal' : 'externalIP', ipPortEntry(eip.text, proto, port.port));
    state.putService(vs(eip, port.port, extIPLocal), eip, owner('external IP', extIPLocal));
    if (bindable(eip)) state.bind(eip);
  }

  // 3. Load-balancer ingress IPs.
  for (const lb of addrs.loadBalancerIPs) {
    const entry = ipPortEntry(lb.text, proto, port.port);
    state.addMember('loadBalancer', entry);
    if (extLocal) state.addMember('loadBalancerLocal', entry);
    if (addrs.sourceRanges.length > 0) {
      state.addMember('loadBalancerFW', entry);
      for (const range of addrs.sourceRanges) state.addMember('loadBalancerSourceCIDR', ipPortNetEntry(lb.text, proto, port.port, range.text));
      if (addrs.sourceRanges.some((c) => cidrContains(c, ctx.primaryNodeIP))) {
        state.addMember('loadBalancerSourceIP', ipPortIpEntry(lb.text, proto, port.port, lb.text));
      } else if (profile.outFilter) {
        state.noNodeAccess.push({ ip: lb, protocol: proto, port: port.port });
      }
    }
    state.putService(vs(lb, port.port, lbLocal), lb, owner('load-balancer IP', lbLocal));
    if (bindable(lb)) state.bind(lb);
  }

  // 4. NodePort on every node address; without any, the rest of the port is skipped.
  if (port.nodePort !== 0) {
    if (ctx.nodePortIPs.length === 0) return;
    const bitmapSctp = proto === 'sctp' && profile.sctpNodePorts === 'bitmap';
    const sets = bitmapSctp ? SCTP_BITMAP_SETS : NODE_PORT_SETS[proto];
    // SCTP: one ip,port entry per NodePort address; 1.15 only the node IP's; bitmap sets the port.
    const sctpIPs = profile.sctpNodePorts === 'hash-primary' ? [ctx.primaryNodeIP] : ctx.nodePortIPs;
    const entries = proto === 'sctp' && !bitmapSctp ? sctpIPs.map((ip) => ipPortEntry(ip.text, proto, port.nodePort)) : [portEntry(port.nodePort)];
    for (const e of entries) state.addMember(sets.all, e);
    if (extLocal) for (const e of entries) state.addMember(sets.local, e);
    for (const ip of ctx.nodePortIPs) state.putService(vs(ip, port.nodePort, extLocal), ip, owner('NodePort', extLocal));
  }

  // 5. Health-check node port of a LoadBalancer service with Local policy.
  if (plan.healthCheckNodePort !== 0 && profile.healthCheckNodePorts) {
    state.addMember('healthCheckNodePort', portEntry(plan.healthCheckNodePort));
  }
}
