import type { Service, ServicePort } from '../model/cluster.js';
import type { ParsedCidr, ParsedIp } from '../kube/ip.js';
import type { ProxySettings } from '../model/settings.js';
import type { KubeProxyProfile } from '../kube/kube-proxy-profiles.js';
import { categorize, protocolLower, servicePortName, type Categorized, type ServiceEndpoint } from './endpoints.js';

/** A service's addresses in the proxier's family. */
export interface FamilyAddresses {
  clusterIP: ParsedIp;
  externalIPs: ParsedIp[];
  loadBalancerIPs: ParsedIp[];
  /** `spec.loadBalancerSourceRanges` of this family, as written. */
  sourceRanges: ParsedCidr[];
}

/**
 * kube-proxy's decisions about one service port (its `ServicePort` predicates and the endpoint
 * categories of its proxiers), made once here and read by every backend: each backend only
 * turns them into its own rules. The Kubernetes field behind each decision is named on it.
 */
export interface ServicePortPlan {
  service: Service;
  port: ServicePort;
  /** `ns/name:port` (`ns/name` for an unnamed port): chain-name hashes and comments. */
  name: string;
  /** `tcp`, `udp` or `sctp`. */
  protocol: 'tcp' | 'udp' | 'sctp';
  addresses: FamilyAddresses;
  /**
   * Reachable from outside the cluster in this family: `spec.ports[].nodePort`, `spec.externalIPs`
   * or `status.loadBalancer.ingress[].ip` (kube-proxy's ExternallyAccessible).
   */
  externallyAccessible: boolean;
  /**
   * `spec.externalTrafficPolicy: Local` on an externally accessible port (ExternalPolicyLocal),
   * where the release honours it (1.5+).
   */
  externalPolicyLocal: boolean;
  /** `spec.internalTrafficPolicy: Local` (InternalPolicyLocal). */
  internalPolicyLocal: boolean;
  /** The endpoints each kind of traffic may use (EndpointSlice conditions, node, topology hints). */
  endpoints: Categorized;
  /** Every endpoint of the port, whatever its state (IPVS mode's hairpin set lists them all). */
  allEndpoints: readonly ServiceEndpoint[];
  /** Any usable endpoint at all; without one, traffic to the service is rejected. */
  hasEndpoints: boolean;
  /** Traffic to the cluster IP has an endpoint to go to (none when policy Local has no local one). */
  hasInternalEndpoints: boolean;
  /** External traffic has an endpoint to go to (none when policy Local has no local one). */
  hasExternalEndpoints: boolean;
  /**
   * Traffic without a local endpoint under a Local policy is marked for dropping by the KUBE-SVL
   * chain (`-j KUBE-MARK-DROP`, kube-proxy before 1.25) rather than dropped by filter rules: the
   * service has endpoints, uses a Local policy, and none is on this node.
   */
  localChainMarksDrop: boolean;
  /** `status.loadBalancer.ingress` with `spec.loadBalancerSourceRanges`: a source-range firewall. */
  hasSourceRangeFirewall: boolean;
  /** `spec.healthCheckNodePort` of a LoadBalancer with externalTrafficPolicy: Local, or 0. */
  healthCheckNodePort: number;
  /**
   * `spec.sessionAffinityConfig.clientIP.timeoutSeconds` under ClientIP affinity (the seconds the
   * release fixes, up to 1.7), else null.
   */
  affinityTimeout: number | null;
}

/** The addresses of a service in the proxier's family. */
export function familyAddresses(svc: Service, settings: ProxySettings): FamilyAddresses {
  const f = settings.family;
  return {
    clusterIP: svc.clusterIPs[f] as ParsedIp,
    externalIPs: svc.externalIPs.filter((ip) => ip.family === f),
    loadBalancerIPs: svc.loadBalancerIPs.filter((ip) => ip.family === f),
    sourceRanges: svc.sourceRanges.filter((c) => c.family === f),
  };
}

const ALPHA_EXTERNAL_TRAFFIC = 'service.alpha.kubernetes.io/external-traffic';
const BETA_EXTERNAL_TRAFFIC = 'service.beta.kubernetes.io/external-traffic';

/**
 * Whether a NodePort or LoadBalancer Service asks for "OnlyLocal" external traffic, read as the
 * release reads it (the profile's onlyLocalSource): `OnlyLocal` in the annotations up to 1.6 (an
 * annotation with another value leaves the decision to the next one), the beta annotation before
 * the field in 1.7 (any value but `OnlyLocal` is no), the field from 1.8.
 */
function requestsOnlyLocal(svc: Service, source: KubeProxyProfile['onlyLocalSource']): boolean {
  if (source === 'field') return svc.externalTrafficLocal;
  if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') return false;
  const alpha = svc.annotations[ALPHA_EXTERNAL_TRAFFIC];
  const beta = svc.annotations[BETA_EXTERNAL_TRAFFIC];
  if (source === 'beta-annotation-then-field') return beta === undefined ? svc.externalTrafficLocal : beta === 'OnlyLocal';
  for (const value of [alpha, beta]) {
    if (value === 'OnlyLocal') return true;
    if (value === 'Global') return false;
  }
  return false;
}

/** Decides everything kube-proxy decides about one port of a service before writing its rules. */
export function planServicePort(svc: Service, port: ServicePort, endpoints: readonly ServiceEndpoint[], settings: ProxySettings): ServicePortPlan {
  const addresses = familyAddresses(svc, settings);
  const externallyAccessible = port.nodePort !== 0 || addresses.loadBalancerIPs.length > 0 || addresses.externalIPs.length > 0;
  // Honoured from 1.5 (the profile's localTrafficChain), asked for as the release reads it.
  const externalPolicyLocal = externallyAccessible && settings.profile.localTrafficChain && requestsOnlyLocal(svc, settings.profile.onlyLocalSource);
  // Read from 1.22 (the profile's internalTrafficPolicy).
  const internalPolicyLocal = settings.profile.internalTrafficPolicy && svc.internalTrafficLocal;
  const cat = categorize(endpoints, { externallyAccessible, externalPolicyLocal, internalPolicyLocal }, settings, settings.profile);
  const localCount = cat.local?.length ?? 0;
  // Before KUBE-PROXY-FIREWALL (1.25), traffic with no local endpoint goes on to the KUBE-SVL
  // chain, which marks it for dropping: the nat rules are written as with endpoints.
  const marksDrop = !settings.profile.proxyFirewallChain;
  const noLocalEndpoints = localCount === 0 && !marksDrop;
  return {
    service: svc,
    port,
    name: servicePortName(svc, port, settings.profile.unnamedPortColon ? 'colon-always' : 'current'),
    protocol: protocolLower(port.protocol),
    addresses,
    externallyAccessible,
    externalPolicyLocal,
    internalPolicyLocal,
    endpoints: cat,
    allEndpoints: endpoints,
    hasEndpoints: cat.hasEndpoints,
    hasInternalEndpoints: cat.hasEndpoints && !(internalPolicyLocal && noLocalEndpoints),
    hasExternalEndpoints: cat.hasEndpoints && !(externalPolicyLocal && noLocalEndpoints),
    localChainMarksDrop: marksDrop && cat.hasEndpoints && (internalPolicyLocal || externalPolicyLocal) && localCount === 0,
    hasSourceRangeFirewall: addresses.loadBalancerIPs.length > 0 && addresses.sourceRanges.length > 0,
    healthCheckNodePort: svc.type === 'LoadBalancer' && svc.externalTrafficLocal ? svc.healthCheckNodePort : 0,
    // Up to 1.7 the release fixes the seconds (the profile's fixedAffinitySeconds).
    affinityTimeout: svc.affinityTimeout === null ? null : (settings.profile.fixedAffinitySeconds ?? svc.affinityTimeout),
  };
}
