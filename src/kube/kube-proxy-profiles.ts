import { SERVICE_CHAIN_PREFIXES } from './chain-names.js';
import type { FixedCommentId } from './rule-comments.js';

/**
 * One jump kube-proxy installs in a built-in chain, outside its restore text (`EnsureChain`, then
 * `EnsureRule(Prepend, …)`: `iptables -I CHAIN` when the rule is not there yet).
 */
export interface KubeProxyHook {
  table: 'filter' | 'nat';
  chain: 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
  /** kube-proxy's chain jumped to. */
  target: string;
  /** The rule's comment, or null for none (the KUBE-FIREWALL jumps). */
  comment: FixedCommentId | null;
  /** `-m conntrack --ctstate NEW` ahead of the comment. */
  newConnOnly: boolean;
  /** Written only when the table declares the target chain (which a setting may leave out). */
  optional: boolean;
}

/**
 * What kube-proxy of each minor release writes differently in iptables mode: one profile per
 * range of releases that write the same text, chosen once from `--kube-proxy-version` (or the
 * `rulec.io/kube-proxy-version` annotation) and read by the per-port plan and the iptables
 * backend. The facts and their sources are in docs/versions.md (§3.1 to §3.24; the fields for
 * 1.2 to 1.18 cite their section, and §4 lists them by topic).
 */
export interface KubeProxyProfile {
  /** The releases that write this layout, as `1.A-1.B` or `1.A`. */
  range: string;
  /**
   * nfacct counters on the INVALID drop and a localhost NodePort rule of their own (1.31+).
   * Written only when the node's kernel has them too (`rulec.io/nfacct`).
   */
  nfacct: boolean;
  /**
   * The filter chain KUBE-FIREWALL with the "block incoming localnet connections" rule in
   * kube-proxy's own restore text (1.27+), as long as `rulec.io/kube-firewall-chain` says so.
   */
  kubeFirewallChain: boolean;
  /**
   * A KUBE-FW chain ends with the comment-only rule "other traffic to SPN will be dropped by
   * KUBE-PROXY-FIREWALL" (1.27+); 1.25-1.26 end it with the last accept rule.
   */
  fwTrailingComment: boolean;
  /**
   * The filter chain KUBE-PROXY-FIREWALL (1.25+): source-range drops and the drops of traffic
   * with no local endpoint are filter DROP rules. Before (1.24), the nat rules jump to
   * KUBE-MARK-DROP instead: at the end of each KUBE-FW chain (once per load-balancer IP) and in a
   * KUBE-SVL chain without local endpoints, which kube-proxy then declares too.
   */
  proxyFirewallChain: boolean;
  /**
   * The `localhostNodePorts` setting exists (1.26+): without it, NodePorts answer on loopback
   * addresses in both families (no `! -d ::1/128` on the IPv6 nodeports jump, loopback addresses
   * kept in the nodePortAddresses list).
   */
  localhostNodePortsSetting: boolean;
  /**
   * The per-port layout of 1.24+: KUBE-EXT (external traffic) and KUBE-SVL (Local policy) chains,
   * masquerading in KUBE-EXT, KUBE-FW only with source ranges, endpoint jumps commented
   * `SPN -> IP:port`; endpoints categorized per policy (`CategorizeEndpoints`). Before (1.23):
   * KUBE-XLB for externalTrafficPolicy: Local, masquerade rules in KUBE-SVC, KUBE-FW for every
   * load-balancer IP, endpoint jumps commented `SPN`, and internalTrafficPolicy: Local narrowing the
   * endpoints of all traffic to the local ones (`FilterEndpoints`).
   */
  policyChains: boolean;
  /**
   * Addresses written bare (1.23+): `-d 172.30.0.41`, `-s 10.180.0.1`. Before, cluster, external
   * and load-balancer IPs and endpoint addresses carry `/32` (`/128` in IPv6).
   */
  bareIPs: boolean;
  /**
   * One KUBE-FORWARD conntrack rule, "kubernetes forwarding conntrack rule" (1.23+). Before, two
   * alike: "… pod source rule" and "… pod destination rule".
   */
  oneForwardConntrackRule: boolean;
  /**
   * KUBE-SEP chains only for the endpoints jumped to (all but 1.22). kube-proxy 1.22 gives every
   * endpoint of the port, ready or not, a KUBE-SEP chain and an affinity rule, and counts a port
   * with any endpoint as having endpoints.
   */
  endpointsInUse: boolean;
  /**
   * KUBE-XLB jumps to the local endpoints are "Balancing rule N for SPN" (up to 1.22); from 1.23
   * they are written like the KUBE-SVC ones (`writeServiceToEndpointRules`).
   */
  xlbBalancingRules: boolean;
  /**
   * The masquerade rules of cluster-IP, external-IP and NodePort traffic are in the KUBE-SVC chain
   * (1.22+); before, in KUBE-SERVICES and KUBE-NODEPORTS just ahead of the jump they go with.
   */
  masqueradeInServiceChain: boolean;
  /**
   * `spec.internalTrafficPolicy` is read (the ServiceInternalTrafficPolicy gate: alpha, off, in
   * 1.21; on from 1.22). Without it every Service is treated as policy Cluster.
   */
  internalTrafficPolicy: boolean;
  /**
   * The filter chain KUBE-NODEPORTS with its health-check-node-port ACCEPT rules (1.21+).
   */
  filterNodePortsChain: boolean;
  /**
   * One jump per external IP, its masquerade rule through the local-traffic detector (1.21+).
   * Before: a plain masquerade rule, then two jumps, `-m physdev ! --physdev-is-in -m addrtype !
   * --src-type LOCAL` and `-m addrtype --dst-type LOCAL`.
   */
  externalIPSingleJump: boolean;
  /**
   * A NodePort port on a node with no NodePort address is left half written (1.22 and before:
   * `continue` in the NodePort block): no health-check rule, no endpoint jumps or KUBE-SEP chains.
   */
  nodePortWithoutAddressEndsPort: boolean;
  /**
   * externalTrafficPolicy: Local applies to external IPs too (the ExternalPolicyForExternalIP
   * gate, off in 1.19, locked on from 1.20): in 1.19 external IPs are masqueraded and sent to
   * KUBE-SVC even under policy Local.
   */
  externalIPsFollowPolicy: boolean;
  /**
   * An unnamed port's name is written `ns/name:` with the colon (up to 1.19), in comments and
   * in the chain-name hashes; `ns/name` from 1.20.
   */
  unnamedPortColon: boolean;
  /** Topology hints narrow the endpoints (the TopologyAwareHints gate, on by default from 1.24). */
  topologyHints: boolean;
  /**
   * NodePort rules only when kube-proxy found a NodePort address on the node (`len(nodeAddresses)
   * != 0`, up to 1.26).
   */
  nodePortsNeedAddress: boolean;
  /**
   * Serving-and-terminating endpoints stand in when no endpoint is ready (the
   * ProxyTerminatingEndpoints feature gate: alpha, off, in 1.22-1.25; on from 1.26).
   */
  terminatingFallback: boolean;
  /**
   * KUBE-POSTROUTING is one rule, `-m mark --mark M/M -j MASQUERADE`, and KUBE-MARK-MASQ sets the
   * mark with `--set-xmark M/M` (1.2-1.18, docs/versions.md §3.1, §3.16); from 1.19 three rules
   * clearing the mark and `--or-mark M`.
   */
  oneRulePostrouting: boolean;
  /** `--random-fully` on MASQUERADE when the node's iptables has it (1.16+, §3.13). */
  randomFully: boolean;
  /** Decimals of the random-split probabilities: `%0.5f` up to 1.16, `%0.10f` from 1.17 (§3.14). */
  probabilityDecimals: 5 | 10;
  /**
   * ClientIP affinity seconds the release fixes whatever the Service says: 180 (1.2-1.4,
   * `stickyMaxAgeSeconds`), 10800 (1.5-1.7, 180 minutes); null from 1.8, which reads
   * `sessionAffinityConfig.clientIP.timeoutSeconds` (§3.1, §3.4, §3.7).
   */
  fixedAffinitySeconds: number | null;
  /**
   * KUBE-SVC and KUBE-SEP rules carry `-m comment --comment SPN` (all but 1.12-1.17, whose
   * `appendServiceCommentLocked` dropped them, §3.10, §3.15).
   */
  serviceChainComments: boolean;
  /** The filter chain KUBE-FORWARD (1.9+, §3.8). */
  forwardChain: boolean;
  /**
   * KUBE-FORWARD's two conntrack rules match the cluster CIDR (`-s CIDR`, `-d CIDR`) and are
   * written only with one (1.9-1.17, §3.8, §3.15).
   */
  forwardConntrackCidr: boolean;
  /** KUBE-FORWARD starts with `-m conntrack --ctstate INVALID -j DROP` (1.15+, §3.12). */
  forwardInvalidDrop: boolean;
  /**
   * The filter chain KUBE-EXTERNAL-SERVICES holds the REJECTs of external IPs and NodePorts
   * without endpoints (1.10+, §3.9); before, they are in filter KUBE-SERVICES.
   */
  externalServicesChain: boolean;
  /**
   * Masquerading of traffic to a cluster IP: `masquerade-all` only with masqueradeAll (1.2);
   * `both`, masqueradeAll and the cluster-CIDR rule independently (1.3-1.6); `either`, the
   * cluster-CIDR rule only without masqueradeAll (1.7+) (§3.1, §3.2, §3.6).
   */
  clusterIPMasquerade: 'masquerade-all' | 'both' | 'either';
  /**
   * A KUBE-FW chain per load-balancer IP (1.4+, §3.3); before, a masquerade rule and a jump to
   * KUBE-SVC in KUBE-SERVICES.
   */
  loadBalancerFwChain: boolean;
  /** externalTrafficPolicy: Local is honoured, through KUBE-XLB (1.5+; in 1.4 behind a gate that is off, §3.3, §3.4). */
  localTrafficChain: boolean;
  /** A REJECT for a NodePort of a service without endpoints (1.6+, §3.5). */
  nodePortReject: boolean;
  /** A REJECT for an external IP of a service without endpoints (1.7+, §3.6). */
  externalIPReject: boolean;
  /**
   * Where the REJECT for a load-balancer IP of a service without endpoints goes: none up to 1.13,
   * filter KUBE-SERVICES 1.14-1.19, KUBE-EXTERNAL-SERVICES from 1.20 (§3.11, §3.17).
   */
  loadBalancerReject: 'none' | 'KUBE-SERVICES' | 'KUBE-EXTERNAL-SERVICES';
  /**
   * A service without endpoints still gets its nat rules and an empty KUBE-SVC chain, with its
   * cluster-IP REJECT written last (1.2-1.9, §3.1, §3.9); from 1.10 only the REJECTs.
   */
  natRulesWithoutEndpoints: boolean;
  /** KUBE-XLB starts its endpoint jumps with the affinity rules (1.9+, §3.8). */
  xlbAffinity: boolean;
  /**
   * A NodePort under policy Local masquerades traffic from loopback (`-s 127.0.0.0/8 -j
   * KUBE-MARK-MASQ`) before its KUBE-XLB jump (1.10+, §3.9).
   */
  nodePortLocalhostMasquerade: boolean;
  /** KUBE-XLB's "masquerade LOCAL traffic" and "route LOCAL traffic" rules (1.16+, §3.13). */
  xlbLocalTrafficRules: boolean;
  /**
   * The prefixes of the chains kube-proxy deletes when no service uses them any more (the
   * `HasPrefix` tests of `syncProxyRules`): KUBE-SVC- and KUBE-SEP- (1.2-1.3), with KUBE-FW- and
   * KUBE-XLB- (1.4-1.23), then the newest list (docs/versions.md §3.1, §3.3; 1.24-1.27 also delete
   * KUBE-XLB- chains, not modelled).
   */
  staleChainPrefixes: readonly string[];
  /**
   * Above 1000 endpoint chains the KUBE-SVC/KUBE-SEP comments are left out
   * (`endpointChainsNumberThreshold`, 1.12+, §3.10); before, they are written whatever the size.
   */
  largeClusterMode: boolean;
  /**
   * What asks for "OnlyLocal" external traffic (a NodePort or LoadBalancer Service in every
   * release): `annotations`, `service.alpha.kubernetes.io/external-traffic` then
   * `service.beta.kubernetes.io/external-traffic` set to `OnlyLocal` (`NeedsHealthCheck`, 1.5-1.6);
   * `beta-annotation-then-field`, the beta annotation when present, else
   * `spec.externalTrafficPolicy: Local` (`RequestsOnlyLocalTraffic`, 1.7); `field`, only the field
   * (1.8+) (§3.4, §3.6).
   */
  onlyLocalSource: 'annotations' | 'beta-annotation-then-field' | 'field';
  /**
   * The jumps from the built-in chains into kube-proxy's chains, in the order kube-proxy ensures
   * them (its `iptablesJumpChains` list, from 1.10; before, the blocks of `syncProxyRules`). Each
   * is inserted at the top, so on a node the last one is first in its chain. Per range in
   * docs/versions.md §3.25.
   */
  hooks: readonly KubeProxyHook[];
}

/** The newest release rulec follows, and the default. */
export const NEWEST_MINOR = 33;
/** The oldest release rulec compiles. */
export const OLDEST_MINOR = 2;

function hook(table: KubeProxyHook['table'], chain: KubeProxyHook['chain'], target: string, comment: FixedCommentId | null, newConnOnly = false): KubeProxyHook {
  // The jumps to KUBE-SERVICES and KUBE-POSTROUTING go to chains every setting declares.
  return { table, chain, target, comment, newConnOnly, optional: target !== 'KUBE-SERVICES' && target !== 'KUBE-POSTROUTING' };
}

const NAT_HOOKS: readonly KubeProxyHook[] = [
  hook('nat', 'OUTPUT', 'KUBE-SERVICES', 'servicePortals'),
  hook('nat', 'PREROUTING', 'KUBE-SERVICES', 'servicePortals'),
  hook('nat', 'POSTROUTING', 'KUBE-POSTROUTING', 'postrouting'),
];
/** 1.2-1.6: filter OUTPUT and nat OUTPUT, PREROUTING to KUBE-SERVICES, nat POSTROUTING (§3.25). */
const HOOKS_1_2: readonly KubeProxyHook[] = [hook('filter', 'OUTPUT', 'KUBE-SERVICES', 'servicePortals'), ...NAT_HOOKS];
/** 1.7-1.8: filter INPUT to KUBE-SERVICES too. */
const HOOKS_1_7: readonly KubeProxyHook[] = [hook('filter', 'INPUT', 'KUBE-SERVICES', 'servicePortals'), ...HOOKS_1_2];
/** 1.9: filter FORWARD to KUBE-FORWARD, "kubernetes forward rules", ensured after the others. */
const HOOKS_1_9: readonly KubeProxyHook[] = [...HOOKS_1_7, hook('filter', 'FORWARD', 'KUBE-FORWARD', 'forwardRules')];
/** 1.10-1.13: `iptablesJumpChains`; filter INPUT to KUBE-EXTERNAL-SERVICES, filter jumps for new connections only. */
const HOOKS_1_10: readonly KubeProxyHook[] = [
  hook('filter', 'INPUT', 'KUBE-EXTERNAL-SERVICES', 'externalServicePortals', true),
  hook('filter', 'OUTPUT', 'KUBE-SERVICES', 'servicePortals', true),
  ...NAT_HOOKS,
  hook('filter', 'FORWARD', 'KUBE-FORWARD', 'forwarding'),
];
/** 1.14-1.19: filter FORWARD and INPUT to KUBE-SERVICES too. */
const HOOKS_1_14: readonly KubeProxyHook[] = [
  hook('filter', 'INPUT', 'KUBE-EXTERNAL-SERVICES', 'externalServicePortals', true),
  hook('filter', 'FORWARD', 'KUBE-SERVICES', 'servicePortals', true),
  hook('filter', 'OUTPUT', 'KUBE-SERVICES', 'servicePortals', true),
  hook('filter', 'INPUT', 'KUBE-SERVICES', 'servicePortals', true),
  hook('filter', 'FORWARD', 'KUBE-FORWARD', 'forwarding'),
  ...NAT_HOOKS,
];
/** 1.20: filter FORWARD to KUBE-EXTERNAL-SERVICES in place of INPUT to KUBE-SERVICES. */
const HOOKS_1_20: readonly KubeProxyHook[] = [
  hook('filter', 'INPUT', 'KUBE-EXTERNAL-SERVICES', 'externalServicePortals', true),
  hook('filter', 'FORWARD', 'KUBE-EXTERNAL-SERVICES', 'externalServicePortals', true),
  hook('filter', 'FORWARD', 'KUBE-SERVICES', 'servicePortals', true),
  hook('filter', 'OUTPUT', 'KUBE-SERVICES', 'servicePortals', true),
  hook('filter', 'FORWARD', 'KUBE-FORWARD', 'forwarding'),
  ...NAT_HOOKS,
];
/** 1.21-1.24: filter INPUT to KUBE-NODEPORTS (health-check node ports). */
const HOOKS_1_21: readonly KubeProxyHook[] = [...HOOKS_1_20.slice(0, 2), hook('filter', 'INPUT', 'KUBE-NODEPORTS', 'healthCheckServicePorts'), ...HOOKS_1_20.slice(2)];
const PROXY_FIREWALL_HOOKS: readonly KubeProxyHook[] = [
  hook('filter', 'INPUT', 'KUBE-PROXY-FIREWALL', 'loadBalancerFirewall', true),
  hook('filter', 'OUTPUT', 'KUBE-PROXY-FIREWALL', 'loadBalancerFirewall', true),
  hook('filter', 'FORWARD', 'KUBE-PROXY-FIREWALL', 'loadBalancerFirewall', true),
];
/** 1.25-1.26: filter INPUT, OUTPUT and FORWARD to KUBE-PROXY-FIREWALL, after KUBE-FORWARD's. */
const HOOKS_1_25: readonly KubeProxyHook[] = [...HOOKS_1_21.slice(0, 6), ...PROXY_FIREWALL_HOOKS, ...NAT_HOOKS];
/**
 * 1.27+: filter INPUT and OUTPUT to KUBE-FIREWALL, uncommented (`iptablesKubeletJumpChains`,
 * ensured last). 1.27 ensures the POSTROUTING jump after them, the only jump of its chain.
 */
const HOOKS_1_27: readonly KubeProxyHook[] = [...HOOKS_1_25, hook('filter', 'INPUT', 'KUBE-FIREWALL', null), hook('filter', 'OUTPUT', 'KUBE-FIREWALL', null)];

/** Each release's layout as the changes from the next newer one (docs/versions.md §2-§3). */
const V1_31: KubeProxyProfile = {
  range: '1.31-1.33',
  nfacct: true,
  kubeFirewallChain: true,
  fwTrailingComment: true,
  proxyFirewallChain: true,
  localhostNodePortsSetting: true,
  nodePortsNeedAddress: false,
  terminatingFallback: true,
  topologyHints: true,
  policyChains: true,
  bareIPs: true,
  oneForwardConntrackRule: true,
  endpointsInUse: true,
  xlbBalancingRules: false,
  masqueradeInServiceChain: true,
  internalTrafficPolicy: true,
  filterNodePortsChain: true,
  externalIPSingleJump: true,
  nodePortWithoutAddressEndsPort: false,
  externalIPsFollowPolicy: true,
  unnamedPortColon: false,
  oneRulePostrouting: false,
  randomFully: true,
  probabilityDecimals: 10,
  fixedAffinitySeconds: null,
  serviceChainComments: true,
  forwardChain: true,
  forwardConntrackCidr: false,
  forwardInvalidDrop: true,
  externalServicesChain: true,
  clusterIPMasquerade: 'either',
  loadBalancerFwChain: true,
  localTrafficChain: true,
  nodePortReject: true,
  externalIPReject: true,
  loadBalancerReject: 'KUBE-EXTERNAL-SERVICES',
  natRulesWithoutEndpoints: false,
  xlbAffinity: true,
  nodePortLocalhostMasquerade: true,
  xlbLocalTrafficRules: true,
  staleChainPrefixes: SERVICE_CHAIN_PREFIXES,
  largeClusterMode: true,
  onlyLocalSource: 'field',
  hooks: HOOKS_1_27,
};
const V1_27: KubeProxyProfile = { ...V1_31, range: '1.27-1.30', nfacct: false };
const V1_26: KubeProxyProfile = { ...V1_27, range: '1.26', kubeFirewallChain: false, fwTrailingComment: false, nodePortsNeedAddress: true, hooks: HOOKS_1_25 };
const V1_25: KubeProxyProfile = { ...V1_26, range: '1.25', localhostNodePortsSetting: false, terminatingFallback: false };
const V1_24: KubeProxyProfile = { ...V1_25, range: '1.24', proxyFirewallChain: false, hooks: HOOKS_1_21 };
const V1_23: KubeProxyProfile = { ...V1_24, range: '1.23', policyChains: false, topologyHints: false, staleChainPrefixes: ['KUBE-SVC-', 'KUBE-SEP-', 'KUBE-FW-', 'KUBE-XLB-'] };
const V1_22: KubeProxyProfile = { ...V1_23, range: '1.22', nodePortWithoutAddressEndsPort: true, bareIPs: false, oneForwardConntrackRule: false, endpointsInUse: false, xlbBalancingRules: true };
const V1_21: KubeProxyProfile = { ...V1_22, range: '1.21', endpointsInUse: true, masqueradeInServiceChain: false, internalTrafficPolicy: false };
const V1_20: KubeProxyProfile = { ...V1_21, range: '1.20', filterNodePortsChain: false, externalIPSingleJump: false, hooks: HOOKS_1_20 };
const V1_19: KubeProxyProfile = { ...V1_20, range: '1.19', externalIPsFollowPolicy: false, unnamedPortColon: true, loadBalancerReject: 'KUBE-SERVICES', hooks: HOOKS_1_14 };
// 1.2 to 1.18 (docs/versions.md §3.1-§3.15), each as the changes from the next newer range.
const V1_18: KubeProxyProfile = { ...V1_19, range: '1.18', oneRulePostrouting: true };
const V1_17: KubeProxyProfile = { ...V1_18, range: '1.17', serviceChainComments: false, forwardConntrackCidr: true };
const V1_16: KubeProxyProfile = { ...V1_17, range: '1.16', probabilityDecimals: 5 };
const V1_15: KubeProxyProfile = { ...V1_16, range: '1.15', randomFully: false, xlbLocalTrafficRules: false };
const V1_14: KubeProxyProfile = { ...V1_15, range: '1.14', forwardInvalidDrop: false };
const V1_12: KubeProxyProfile = { ...V1_14, range: '1.12-1.13', loadBalancerReject: 'none', hooks: HOOKS_1_10 };
const V1_10: KubeProxyProfile = { ...V1_12, range: '1.10-1.11', serviceChainComments: true, largeClusterMode: false };
const V1_9: KubeProxyProfile = { ...V1_10, range: '1.9', externalServicesChain: false, natRulesWithoutEndpoints: true, nodePortLocalhostMasquerade: false, hooks: HOOKS_1_9 };
const V1_8: KubeProxyProfile = { ...V1_9, range: '1.8', forwardChain: false, xlbAffinity: false, hooks: HOOKS_1_7 };
const V1_7: KubeProxyProfile = { ...V1_8, range: '1.7', fixedAffinitySeconds: 10800, onlyLocalSource: 'beta-annotation-then-field' };
const V1_6: KubeProxyProfile = { ...V1_7, range: '1.6', externalIPReject: false, clusterIPMasquerade: 'both', onlyLocalSource: 'annotations', hooks: HOOKS_1_2 };
const V1_5: KubeProxyProfile = { ...V1_6, range: '1.5', nodePortReject: false };
const V1_4: KubeProxyProfile = { ...V1_5, range: '1.4', localTrafficChain: false, fixedAffinitySeconds: 180 };
const V1_3: KubeProxyProfile = { ...V1_4, range: '1.3', loadBalancerFwChain: false, staleChainPrefixes: ['KUBE-SVC-', 'KUBE-SEP-'] };
const V1_2: KubeProxyProfile = { ...V1_3, range: '1.2', clusterIPMasquerade: 'masquerade-all' };

/** The profiles, newest first, with the first minor of each. */
const PROFILES: ReadonlyArray<{ from: number; profile: KubeProxyProfile }> = [
  { from: 31, profile: V1_31 },
  { from: 27, profile: V1_27 },
  { from: 26, profile: V1_26 },
  { from: 25, profile: V1_25 },
  { from: 24, profile: V1_24 },
  { from: 23, profile: V1_23 },
  { from: 22, profile: V1_22 },
  { from: 21, profile: V1_21 },
  { from: 20, profile: V1_20 },
  { from: 19, profile: V1_19 },
  { from: 18, profile: V1_18 },
  { from: 17, profile: V1_17 },
  { from: 16, profile: V1_16 },
  { from: 15, profile: V1_15 },
  { from: 14, profile: V1_14 },
  { from: 12, profile: V1_12 },
  { from: 10, profile: V1_10 },
  { from: 9, profile: V1_9 },
  { from: 8, profile: V1_8 },
  { from: 7, profile: V1_7 },
  { from: 6, profile: V1_6 },
  { from: 5, profile: V1_5 },
  { from: 4, profile: V1_4 },
  { from: 3, profile: V1_3 },
  { from: 2, profile: V1_2 },
];

/** The profile of the range, in a list newest first by first minor, that holds `minor`. */
export function profileOfRange<P>(ranges: ReadonlyArray<{ from: number; profile: P }>, minor: number): P | undefined {
  return minor > NEWEST_MINOR ? undefined : ranges.find((p) => minor >= p.from)?.profile;
}

/** The profile of kube-proxy `1.minor` (a minor rulec compiles: OLDEST_MINOR to NEWEST_MINOR). */
export function kubeProxyProfile(minor: number): KubeProxyProfile {
  const found = profileOfRange(PROFILES, minor);
  if (!found) throw new Error(`kube-proxy 1.${minor} is not a version rulec compiles`);
  return found;
}

/** The newest layout, the default. */
export const NEWEST_PROFILE: KubeProxyProfile = kubeProxyProfile(NEWEST_MINOR);

/** The minor release a version is written as (`1.N`, `v1.N`), whatever it is; null for other text. */
export function minorOfVersion(text: string): number | null {
  const m = /^v?1\.(\d{1,3})$/.exec(text.trim());
  return m ? Number(m[1]) : null;
}

/** Reads `1.N` with N a release rulec compiles: N, or null. */
export function parseKubeProxyVersion(text: string): number | null {
  const minor = minorOfVersion(text);
  return minor !== null && minor >= OLDEST_MINOR && minor <= NEWEST_MINOR ? minor : null;
}

/** The versions rulec compiles, for messages: `1.24 to 1.33`. */
export const SUPPORTED_VERSIONS = `1.${OLDEST_MINOR} to 1.${NEWEST_MINOR}`;
