/**
 * What kube-proxy of each minor release writes differently in iptables mode: one profile per
 * range of releases that write the same text, chosen once from `--kube-proxy-version` (or the
 * `rulec.io/kube-proxy-version` annotation) and read by the per-port plan and the iptables
 * backend. The facts and their sources are in docs/versions.md (§3.16 to §3.24).
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
}

/** The newest release rulec follows, and the default. */
export const NEWEST_MINOR = 33;
/** The oldest release rulec compiles. */
export const OLDEST_MINOR = 19;

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
};
const V1_27: KubeProxyProfile = { ...V1_31, range: '1.27-1.30', nfacct: false };
const V1_26: KubeProxyProfile = { ...V1_27, range: '1.26', kubeFirewallChain: false, fwTrailingComment: false, nodePortsNeedAddress: true };
const V1_25: KubeProxyProfile = { ...V1_26, range: '1.25', localhostNodePortsSetting: false, terminatingFallback: false };
const V1_24: KubeProxyProfile = { ...V1_25, range: '1.24', proxyFirewallChain: false };
const V1_23: KubeProxyProfile = { ...V1_24, range: '1.23', policyChains: false, topologyHints: false };
const V1_22: KubeProxyProfile = { ...V1_23, range: '1.22', nodePortWithoutAddressEndsPort: true, bareIPs: false, oneForwardConntrackRule: false, endpointsInUse: false, xlbBalancingRules: true };
const V1_21: KubeProxyProfile = { ...V1_22, range: '1.21', endpointsInUse: true, masqueradeInServiceChain: false, internalTrafficPolicy: false };
const V1_20: KubeProxyProfile = { ...V1_21, range: '1.20', filterNodePortsChain: false, externalIPSingleJump: false };
const V1_19: KubeProxyProfile = { ...V1_20, range: '1.19', externalIPsFollowPolicy: false, unnamedPortColon: true };

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
];

/** The profile of kube-proxy `1.minor` (a minor rulec compiles: OLDEST_MINOR to NEWEST_MINOR). */
export function kubeProxyProfile(minor: number): KubeProxyProfile {
  const found = PROFILES.find((p) => minor >= p.from);
  if (!found || minor > NEWEST_MINOR) throw new Error(`kube-proxy 1.${minor} is not a version rulec compiles`);
  return found.profile;
}

/** The newest layout, the default. */
export const NEWEST_PROFILE: KubeProxyProfile = kubeProxyProfile(NEWEST_MINOR);

/** Reads `1.N` with N a release rulec compiles: N, or null. */
export function parseKubeProxyVersion(text: string): number | null {
  const m = /^v?1\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const minor = Number(m[1]);
  return minor >= OLDEST_MINOR && minor <= NEWEST_MINOR ? minor : null;
}

/** The versions rulec compiles, for messages: `1.24 to 1.33`. */
export const SUPPORTED_VERSIONS = `1.${OLDEST_MINOR} to 1.${NEWEST_MINOR}`;
