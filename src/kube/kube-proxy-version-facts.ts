import { NEWEST_MINOR } from './kube-proxy-profiles.js';

/**
 * What a line of kube-proxy's rules says about the release that wrote it: one table, read by the
 * inference of `--kube-proxy-version auto` (src/ast/infer-kube-proxy-version.ts) and checked
 * against the profiles (kube-proxy-profiles.ts) wherever a profile has the same decision. Each
 * fact holds for the minor releases of its spans (1.1 is minor 1); the sources are the sections
 * of docs/versions.md named in `doc`.
 *
 * Facts marked `written` are told only by kube-proxy's own restore text (iptables-save prints
 * `/32` on every address and `--set-xmark` for every MARK target, whatever was written). Facts
 * marked `absence` are the lack of a chain kube-proxy declares in every sync, read only from a
 * whole table.
 */
export interface VersionFact {
  /** Inclusive spans of minor releases, oldest first. */
  spans: ReadonlyArray<readonly [number, number]>;
  /** Where docs/versions.md gives the facts and the sources. */
  doc: string;
  /** What was seen, in English, as the note says it: `a KUBE-XLB- chain`. */
  says: string;
  /**
   * A fact a node's settings can also explain (a chain turned off, a kernel without nfacct): it
   * narrows the releases only where the other facts leave room for it, and never conflicts.
   */
  weak?: boolean;
}

const N = NEWEST_MINOR;

/** The oldest release a fact names (1.1, the `0x4d415351` mark). */
export const OLDEST_KNOWN_MINOR = 1;

export const VERSION_FACTS = {
  asciiMasqueradeMark: { spans: [[1, 1]], doc: '§3.1, §8', says: 'the 0x4d415351 masquerade mark' },
  oneRulePostrouting: { spans: [[2, 18]], doc: '§3.1, §4 (KUBE-POSTROUTING)', says: 'one-rule KUBE-POSTROUTING' },
  threeRulePostrouting: { spans: [[19, N]], doc: '§3.16, §4 (KUBE-POSTROUTING)', says: 'three-rule KUBE-POSTROUTING' },
  setXmarkMasquerade: { spans: [[2, 18]], doc: '§4 (KUBE-MARK-MASQ)', says: 'KUBE-MARK-MASQ written with --set-xmark' },
  orMarkMasquerade: { spans: [[19, N]], doc: '§4 (KUBE-MARK-MASQ)', says: 'KUBE-MARK-MASQ written with --or-mark' },
  fiveDecimalProbability: { spans: [[2, 16]], doc: '§4 (probability), §7', says: 'a probability written %0.5f' },
  tenDecimalProbability: { spans: [[17, N]], doc: '§4 (probability), §7', says: 'a probability written %0.10f' },
  affinity180: { spans: [[2, 4], [8, N]], doc: '§4 (affinity)', says: 'affinity --seconds 180 (1.2–1.4, or timeoutSeconds: 180)' },
  affinity10800: { spans: [[5, N]], doc: '§4 (affinity)', says: 'affinity --seconds 10800' },
  affinityConfigured: { spans: [[8, N]], doc: '§4 (affinity)', says: 'an affinity timeout from timeoutSeconds' },
  slash32Address: { spans: [[2, 22]], doc: '§3.20, §4 (IP form)', says: 'an address written with /32' },
  bareAddress: { spans: [[23, N]], doc: '§3.20, §4 (IP form)', says: 'an address written without /32' },
  loadBalancerToServiceChain: { spans: [[2, 3]], doc: '§3.1, §4 (KUBE-FW)', says: 'a load-balancer IP jumping straight to KUBE-SVC-' },
  fwChain: { spans: [[4, N]], doc: '§4 (KUBE-FW)', says: 'a KUBE-FW- chain' },
  fwForEveryLoadBalancerIP: { spans: [[4, 23]], doc: '§3.21, §4 (KUBE-FW)', says: 'a KUBE-FW- chain that lets every source through' },
  markDropJump: { spans: [[4, 24]], doc: '§4 (KUBE-MARK-DROP use)', says: 'a jump to KUBE-MARK-DROP' },
  xlbChain: { spans: [[5, 23]], doc: '§3.21, §4 (eTP Local chain)', says: 'a KUBE-XLB- chain' },
  extOrSvlChain: { spans: [[24, N]], doc: '§3.21, §4 (eTP Local chain)', says: 'a KUBE-EXT-/KUBE-SVL- chain' },
  kubeForward: { spans: [[9, N]], doc: '§4 (filter chains)', says: 'a KUBE-FORWARD chain' },
  noKubeForward: { spans: [[1, 8]], doc: '§4 (filter chains)', says: 'a filter table without KUBE-FORWARD' },
  externalServices: { spans: [[10, N]], doc: '§4 (filter chains)', says: 'a KUBE-EXTERNAL-SERVICES chain' },
  noExternalServices: { spans: [[1, 9]], doc: '§4 (filter chains)', says: 'a filter table without KUBE-EXTERNAL-SERVICES' },
  commentlessEndpointRule: { spans: [[12, 17]], doc: '§4 (SVC/SEP comment)', says: 'a KUBE-SEP- rule without a comment' },
  plainEndpointComment: { spans: [[2, 11], [18, 23]], doc: '§4 (SVC/SEP comment)', says: 'an endpoint jump commented ns/name:port' },
  arrowEndpointComment: { spans: [[24, N]], doc: '§3.21, §4 (SVC/SEP comment)', says: 'an endpoint jump commented "ns/name:port -> ip:port"' },
  invalidDrop: { spans: [[15, N]], doc: '§4 (KUBE-FORWARD)', says: 'the KUBE-FORWARD INVALID drop' },
  invalidDropWithoutNfacct: { spans: [[15, 30]], doc: '§3.24', says: 'the INVALID drop without nfacct', weak: true },
  forwardPairWithCidr: { spans: [[9, 17]], doc: '§4 (KUBE-FORWARD)', says: 'two KUBE-FORWARD conntrack rules with the pod CIDR' },
  forwardPairWithoutCidr: { spans: [[18, 22]], doc: '§4 (KUBE-FORWARD)', says: 'two KUBE-FORWARD conntrack rules without a CIDR' },
  forwardOneRule: { spans: [[23, N]], doc: '§3.20, §4 (KUBE-FORWARD)', says: 'one KUBE-FORWARD conntrack rule' },
  randomFully: { spans: [[16, N]], doc: '§4 (--random-fully)', says: 'MASQUERADE --random-fully' },
  unnamedPortColon: { spans: [[2, 19]], doc: '§4 (unnamed port)', says: 'an unnamed port written ns/name:' },
  unnamedPortNoColon: { spans: [[20, N]], doc: '§4 (unnamed port)', says: 'an unnamed port written ns/name' },
  clusterMasqueradeInServices: { spans: [[3, 21]], doc: '§4 (cluster-IP masquerade)', says: 'the cluster-IP masquerade rule in KUBE-SERVICES' },
  masqueradeInServiceChain: { spans: [[22, N]], doc: '§3.19, §4 (cluster-IP masquerade)', says: 'the cluster-IP masquerade rule in KUBE-SVC-' },
  externalIPPhysdevPair: { spans: [[2, 20]], doc: '§3.18', says: 'an external IP jumped to by a physdev/addrtype pair' },
  healthCheckAccept: { spans: [[21, N]], doc: '§3.18, §4 (health check rule)', says: 'a filter KUBE-NODEPORTS health check rule' },
  noFilterNodePorts: { spans: [[1, 20]], doc: '§4 (filter chains)', says: 'a filter table without KUBE-NODEPORTS' },
  balancingRule: { spans: [[5, 22]], doc: '§3.20', says: 'a "Balancing rule N" KUBE-XLB- rule' },
  xlbLocalTraffic: { spans: [[16, 23]], doc: '§2 (1.16)', says: 'a "masquerade LOCAL traffic … LB IP" rule' },
  proxyFirewall: { spans: [[25, N]], doc: '§3.22', says: 'a KUBE-PROXY-FIREWALL chain' },
  noProxyFirewall: { spans: [[1, 24]], doc: '§3.22, §4 (filter chains)', says: 'a filter table without KUBE-PROXY-FIREWALL' },
  fwTrailingComment: { spans: [[27, N]], doc: '§3.23', says: 'a KUBE-FW- chain ending with "other traffic to … will be dropped"' },
  kubeFirewallInRestore: { spans: [[27, N]], doc: '§3.23', says: "KUBE-FIREWALL in kube-proxy's own text" },
  noKubeFirewallInRestore: { spans: [[1, 26]], doc: '§3.23', says: "kube-proxy's own filter text without KUBE-FIREWALL", weak: true },
  nfacct: { spans: [[31, N]], doc: '§3.24', says: 'an nfacct match' },
} as const satisfies Record<string, VersionFact>;

export type VersionFactId = keyof typeof VERSION_FACTS;

/** Whether the fact holds for `1.minor`. */
export function factHolds(id: VersionFactId, minor: number): boolean {
  return VERSION_FACTS[id].spans.some(([from, to]) => minor >= from && minor <= to);
}

/** Minor releases as their spans, `1.2–1.4, 1.8–1.33`; `1.24` for one. */
export function formatMinors(minors: readonly number[]): string {
  const sorted = [...new Set(minors)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const from = sorted[i] as number;
    let to = from;
    while (i + 1 < sorted.length && sorted[i + 1] === to + 1) to = sorted[++i] as number;
    parts.push(from === to ? `1.${from}` : `1.${from}–1.${to}`);
    i++;
  }
  return parts.join(', ');
}

/** The fact's releases, in words: `before 1.24`, `1.24+`, `1.12–1.17`. */
export function factReleases(id: VersionFactId): string {
  const spans = VERSION_FACTS[id].spans;
  if (spans.length === 1) {
    const [from, to] = spans[0] as readonly [number, number];
    if (from === to) return `1.${from}`;
    if (from <= OLDEST_KNOWN_MINOR && to < N) return `before 1.${to + 1}`;
    if (to === N) return `1.${from}+`;
  }
  const minors: number[] = [];
  for (const [from, to] of spans) for (let m = from; m <= to; m++) minors.push(m);
  return formatMinors(minors);
}

/** The first release after the fact's last one, `1.24` for a fact of 1.5–1.23. */
export function releaseAfter(id: VersionFactId): string {
  const spans = VERSION_FACTS[id].spans;
  const last = spans[spans.length - 1] as readonly [number, number];
  return `1.${last[1] + 1}`;
}
