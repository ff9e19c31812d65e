/**
 * What kube-proxy's IPVS proxier of each minor release writes differently: one profile per range
 * of releases, chosen from the same `--kube-proxy-version` as the iptables-mode profile and read
 * by the IPVS compiler. Every field names the releases it holds for and where it was read:
 * `pkg/proxy/ipvs/{proxier,ipset}.go` as vendored in openshift/sdn (O, refs in
 * docs/versions.md §1 and §6): release-4.6 (1.19.2), 4.7 (1.20.0-rc.0), 4.8 (1.21.1), 4.9
 * (1.22.0-rc.0), 4.10 (1.23.4), b5350c6e (1.24.3), 4.12 (1.25.1), 4.13 (1.26.0), 4.14 (1.27.1),
 * 4.15 (1.28.3), 4.16 (1.29.1), 4.17 (1.30.3); release-4.2 (1.14.0), 4.3 (1.16), 4.4 (1.17.2),
 * 4.5 (1.18.2); leblancd/kubernetes (L) at the master commits standing for 1.12 (11c47e18) and
 * 1.13 (cc4d38c7); and
 * xnile/kubernetes-1.15.5 (X, a 1.15.5 source tree) for 1.15; 1.12 is L 11c47e18 with the filter
 * table that PR 68786 restored before 1.12.0. Not compiled: 1.11 (another layout, rules written
 * inline); docs/versions.md §6.
 */

import { minorOfVersion, NEWEST_MINOR, profileOfRange } from './kube-proxy-profiles.js';

/** The sets KUBE-IPVS-FILTER lets through (RETURN), in the order kube-proxy writes them. */
export type IpvsFilterSet = 'loadBalancer' | 'clusterIP' | 'externalIP' | 'externalIPLocal' | 'healthCheckNodePort';

export interface KubeProxyIpvsProfile {
  /** The releases that write this layout, as `1.A-1.B` or `1.A`. */
  range: string;
  /**
   * The set KUBE-HEALTH-CHECK-NODE-PORT, the filter chain KUBE-NODE-PORT accepting its ports and
   * the `INPUT -j KUBE-NODE-PORT` hook (1.21+; `ipsetInfo`, `writeIptablesRules`, O release-4.8).
   */
  healthCheckNodePorts: boolean;
  /**
   * Load-balancer source ranges are checked in nat: KUBE-LOAD-BALANCER jumps to the nat chain
   * KUBE-FIREWALL, whose set rules RETURN and whose last rule is `-j KUBE-MARK-DROP` (1.24 and
   * before, O b5350c6e). From 1.25 (O release-4.12) the filter chains KUBE-PROXY-FIREWALL and
   * KUBE-SOURCE-RANGES-FIREWALL do it with `-j DROP`, hooked from INPUT and FORWARD.
   */
  natFirewallChain: boolean;
  /**
   * KUBE-MARK-DROP is declared in the restore text (its `iptablesChains`, 1.19, O release-4.6);
   * 1.20-1.24 only ensure it exists (`iptablesEnsureChains`), 1.25+ do not use it.
   */
  declaresMarkDrop: boolean;
  /**
   * The SCTP NodePort rules: the masquerade rule before the Local RETURN (up to 1.22, O
   * release-4.9); 1.23+ (O release-4.10) write the RETURN first, as for TCP and UDP.
   */
  sctpMasqueradeFirst: boolean;
  /**
   * One KUBE-FORWARD conntrack rule, "kubernetes forwarding conntrack rule" (1.23+, O
   * release-4.10); before, two alike, "… pod source rule" and "… pod destination rule".
   */
  oneForwardConntrackRule: boolean;
  /**
   * The access filter of kube-ipvs0's addresses (1.26+, O release-4.13): the set KUBE-IPVS-IPS,
   * the filter chain KUBE-IPVS-FILTER (these sets RETURN, then new connections to the set's
   * addresses are rejected), its INPUT hook and `KUBE-SERVICES -s 127.0.0.0/8 -j RETURN`. null
   * before 1.26. 1.26-1.27: LB, cluster IP, external IP; 1.28-1.29 (O release-4.15, 4.16) add
   * the health-check node ports; 1.30+ (O release-4.17) the Local external IPs before them.
   */
  ipvsFilterSets: readonly IpvsFilterSet[] | null;
  /**
   * KUBE-IPVS-OUT-FILTER: the node may not reach a load balancer whose source ranges leave it out
   * (1.29+, O release-4.16, `lbNoNodeAccessIPPortProtocolEntries`).
   */
  outFilter: boolean;
  /**
   * A virtual server of a Local policy without local endpoints gets the cluster-wide ones
   * (`CategorizeEndpoints`, 1.24+, O b5350c6e `syncEndpoint`); before, it has no real servers.
   */
  localFallsBackToCluster: boolean;
  /** The `mh` scheduler also hashes the source port (IP_VS_SVC_F_SCHED2; 1.27+, O release-4.14). */
  mhSourcePort: boolean;
  /**
   * NodePorts also listen on the node's loopback addresses: with every address (no
   * nodePortAddresses) kube-proxy up to 1.22 lists the local routes' addresses
   * (`realIPGetter.NodeIPs` → `GetLocalAddresses("", kube-ipvs0)`, O release-4.6 to 4.9), which
   * include 127.0.0.1 and ::1; from 1.23 (O release-4.10, `GetAllLocalAddresses`) loopback
   * addresses are left out. Within nodePortAddresses CIDRs, loopback addresses are kept up to 1.21
   * and skipped from 1.22 (O release-4.9). 'matchAll' = only in the first case.
   */
  nodePortsOnLoopback: 'always' | 'matchAll' | 'never';
  /**
   * The set KUBE-EXTERNAL-IP-LOCAL and its ACCEPT rules (1.18+, O release-4.5); before, an
   * external IP always goes to KUBE-EXTERNAL-IP.
   */
  externalIPLocalSet: boolean;
  /**
   * The masquerade mark's rules: 'or-mark' (1.19+, O release-4.6): three-rule KUBE-POSTROUTING
   * and `KUBE-MARK-MASQ -j MARK --or-mark M` written last, KUBE-FORWARD matching `M/M`.
   * 'set-xmark' (up to 1.18): `KUBE-POSTROUTING -m comment … -m mark --mark M/M -j MASQUERADE`
   * and `KUBE-MARK-MASQ -j MARK --set-xmark M/M`, written first (`createAndLinkeKubeChain`).
   */
  markRules: 'or-mark' | 'set-xmark';
  /**
   * The two KUBE-FORWARD conntrack rules match the cluster CIDR (`-s CIDR` / `-d CIDR`) and exist
   * only with one (up to 1.17, O release-4.4); 1.18 dropped the CIDR.
   */
  forwardConntrackCidr: boolean;
  /** `--random-fully` on the MASQUERADE rule when iptables has it (1.16+, O release-4.3). */
  randomFully: boolean;
  /**
   * SCTP NodePorts: 'hash' (1.16+, O release-4.3): KUBE-NODE-PORT-SCTP-HASH and
   * -LOCAL-SCTP-HASH (`hash:ip,port`, one node-IP entry per address), matched `dst,dst` in
   * KUBE-NODE-PORT. 'hash-primary' (1.15, X): the same sets and rules, with one entry only, for
   * the proxier's node IP (`IP: proxier.nodeIP.String()`). 'bitmap' (1.12-1.14):
   * KUBE-NODE-PORT-SCTP and -LOCAL-SCTP (`bitmap:port`),
   * KUBE-SERVICES jumps to KUBE-NODE-PORT on the first, KUBE-NODE-PORT RETURNs on the second,
   * and no masquerade rule.
   */
  sctpNodePorts: 'hash' | 'hash-primary' | 'bitmap';
  /**
   * Load-balancer virtual servers of an externalTrafficPolicy: Local port use the local endpoints
   * only with ClientIP affinity (1.12-1.13, L 11c47e18 and cc4d38c7: `onlyLocal := affinity == ClientIP && OnlyLocal`);
   * 1.14+ (O release-4.2) whenever the policy is Local.
   */
  lbLocalOnlyWithAffinity: boolean;
  /**
   * Every endpoint of the port, not only the node's, goes into KUBE-LOOP-BACK (1.12: L 11c47e18
   * has no `if !ep.IsLocal` in the loop; 1.13, L cc4d38c7, has it).
   */
  loopBackAllEndpoints: boolean;
  /**
   * External and load-balancer IPs that are already a local address of the node are not bound
   * to kube-ipvs0 (`shouldBind`, 1.28+, O release-4.15); before, every one is bound.
   */
  bindSkipsLocalAddresses: boolean;
}

/** The oldest release kube-proxy had an IPVS proxier in general availability. */
export const FIRST_IPVS_MINOR = 11;

const NEWEST: KubeProxyIpvsProfile = {
  range: '1.30+',
  healthCheckNodePorts: true,
  natFirewallChain: false,
  declaresMarkDrop: false,
  sctpMasqueradeFirst: false,
  oneForwardConntrackRule: true,
  ipvsFilterSets: ['loadBalancer', 'clusterIP', 'externalIP', 'externalIPLocal', 'healthCheckNodePort'],
  outFilter: true,
  localFallsBackToCluster: true,
  mhSourcePort: true,
  bindSkipsLocalAddresses: true,
  nodePortsOnLoopback: 'never',
  externalIPLocalSet: true,
  markRules: 'or-mark',
  forwardConntrackCidr: false,
  randomFully: true,
  sctpNodePorts: 'hash',
  lbLocalOnlyWithAffinity: false,
  loopBackAllEndpoints: false,
};
const V1_29: KubeProxyIpvsProfile = { ...NEWEST, range: '1.29', ipvsFilterSets: ['loadBalancer', 'clusterIP', 'externalIP', 'healthCheckNodePort'] };
const V1_28: KubeProxyIpvsProfile = { ...V1_29, range: '1.28', outFilter: false };
const V1_27: KubeProxyIpvsProfile = { ...V1_28, range: '1.27', ipvsFilterSets: ['loadBalancer', 'clusterIP', 'externalIP'], bindSkipsLocalAddresses: false };
const V1_26: KubeProxyIpvsProfile = { ...V1_27, range: '1.26', mhSourcePort: false };
const V1_25: KubeProxyIpvsProfile = { ...V1_26, range: '1.25', ipvsFilterSets: null };
const V1_24: KubeProxyIpvsProfile = { ...V1_25, range: '1.24', natFirewallChain: true };
const V1_23: KubeProxyIpvsProfile = { ...V1_24, range: '1.23', localFallsBackToCluster: false };
const V1_22: KubeProxyIpvsProfile = { ...V1_23, range: '1.22', sctpMasqueradeFirst: true, oneForwardConntrackRule: false, nodePortsOnLoopback: 'matchAll' };
const V1_21: KubeProxyIpvsProfile = { ...V1_22, range: '1.21', nodePortsOnLoopback: 'always' };
const V1_20: KubeProxyIpvsProfile = { ...V1_21, range: '1.20', healthCheckNodePorts: false };
const V1_19: KubeProxyIpvsProfile = { ...V1_20, range: '1.19', declaresMarkDrop: true };
const V1_18: KubeProxyIpvsProfile = { ...V1_19, range: '1.18', markRules: 'set-xmark' };
const V1_16: KubeProxyIpvsProfile = { ...V1_18, range: '1.16-1.17', externalIPLocalSet: false, forwardConntrackCidr: true };
const V1_15: KubeProxyIpvsProfile = { ...V1_16, range: '1.15', randomFully: false, declaresMarkDrop: false, sctpNodePorts: 'hash-primary' };
const V1_14: KubeProxyIpvsProfile = { ...V1_15, range: '1.14', sctpNodePorts: 'bitmap' };
const V1_13: KubeProxyIpvsProfile = { ...V1_14, range: '1.13', lbLocalOnlyWithAffinity: true };
// L 11c47e18 plus PR 68786 ("kube-proxy restores the *filter table when running in ipvs mode",
// in v1.12.0-rc.2 per CHANGELOG-1.12): the commit read does not write the filter table.
const V1_12: KubeProxyIpvsProfile = { ...V1_13, range: '1.12', loopBackAllEndpoints: true };

/** The profiles, newest first, with the first minor of each. */
const PROFILES: ReadonlyArray<{ from: number; profile: KubeProxyIpvsProfile }> = [
  { from: 30, profile: NEWEST },
  { from: 29, profile: V1_29 },
  { from: 28, profile: V1_28 },
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
  { from: 16, profile: V1_16 },
  { from: 15, profile: V1_15 },
  { from: 14, profile: V1_14 },
  { from: 13, profile: V1_13 },
  { from: 12, profile: V1_12 },
];


/** The IPVS layout of kube-proxy `1.minor`, or null for a release whose layout is not compiled. */
export function kubeProxyIpvsProfile(minor: number): KubeProxyIpvsProfile | null {
  return profileOfRange(PROFILES, minor) ?? null;
}

/** Reads `1.N` with N not newer than the newest release: N, or null (IPVS mode judges N itself). */
export function parseIpvsModeVersion(text: string): number | null {
  const minor = minorOfVersion(text);
  return minor !== null && minor <= NEWEST_MINOR ? minor : null;
}

/** The newest IPVS layout, the default. */
export const NEWEST_IPVS_PROFILE: KubeProxyIpvsProfile = NEWEST;

/** The IPVS ranges, newest first, with the minors each compiles (for tests and messages). */
export const IPVS_PROFILE_RANGES: ReadonlyArray<{ range: string; minors: number[] }> = PROFILES.map((p, i) => {
  const to = i === 0 ? NEWEST_MINOR : (PROFILES[i - 1]?.from ?? NEWEST_MINOR + 1) - 1;
  const minors: number[] = [];
  for (let m = p.from; m <= to; m++) minors.push(m);
  return { range: p.profile.range, minors };
});

/** The releases whose IPVS layout is compiled, in words: `1.12 to 1.33`. */
export const SUPPORTED_IPVS_VERSIONS = (() => {
  const all = IPVS_PROFILE_RANGES.flatMap((r) => r.minors).sort((a, b) => a - b);
  const spans: string[] = [];
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1] === (all[j] ?? 0) + 1) j++;
    spans.push(i === j ? `1.${all[i]}` : j === i + 1 ? `1.${all[i]}, 1.${all[j]}` : `1.${all[i]} to 1.${all[j]}`);
    i = j + 1;
  }
  return spans.join(' and ');
})();

/** Why `--mode ipvs` cannot compile release 1.minor (a release without an IPVS profile). */
export function ipvsVersionProblem(minor: number): string {
  const why =
    minor < FIRST_IPVS_MINOR
      ? `kube-proxy's IPVS mode is generally available from 1.${FIRST_IPVS_MINOR} only`
      : minor === FIRST_IPVS_MINOR
        ? `the IPVS layout of 1.${FIRST_IPVS_MINOR} (rules written inline in syncProxyRules) is not compiled yet`
        : `no IPVS layout is known for it`;
  return `kube-proxy version 1.${minor}: ${why}; IPVS mode is compiled for ${SUPPORTED_IPVS_VERSIONS}`;
}
