import { formatServicePortName, parseServicePortName, type ServicePortName, type ServicePortNameStyle } from './service-port-name.js';

/**
 * The one writer and reader of the comments kube-proxy puts on its rules (`-m comment --comment`
 * in iptables and IPVS mode, `comment "…"` in nftables mode), in every form kube-proxy has
 * written, old and new. The compilers write comments through `writeServiceComment` and the
 * `FIXED_COMMENTS`; every reader of a dump (explain, diff, trace, summary, lint) reads them
 * back through `readServiceComment` and `fixedCommentOf`.
 */

/** What a comment that names a service port says about its rule. */
export type ServiceCommentRole =
  /** `SPN cluster IP`: the rule matches the cluster IP (KUBE-SERVICES, the service chain's masquerade rule). */
  | 'cluster-ip'
  /** `SPN external IP`. */
  | 'external-ip'
  /** `SPN loadbalancer IP`. */
  | 'loadbalancer-ip'
  /** `SPN` alone: node ports, endpoint chains, and endpoint rules before kube-proxy 1.20. */
  | 'port'
  /** `SPN -> IP:port`: the service chain's jump to one endpoint. */
  | 'endpoint'
  /** `SPN has no endpoints`: the filter rule that rejects traffic to a service without endpoints. */
  | 'no-endpoints'
  /** `SPN has no local endpoints`: drops external traffic under externalTrafficPolicy: Local. */
  | 'no-local-endpoints'
  /** `SPN health check node port`: accepts the health check node port. */
  | 'health-check-node-port'
  /** `SPN traffic not accepted by KUBE-FW-…`: drops load balancer traffic from outside the source ranges. */
  | 'firewall-not-accepted'
  /** `masquerade traffic for SPN external destinations` (KUBE-EXT-). */
  | 'masquerade-external'
  /** `masquerade LOCAL traffic for SPN external destinations` (KUBE-EXT-, policy Local). */
  | 'masquerade-local-external'
  /** `route LOCAL traffic for SPN external destinations` (KUBE-EXT-, policy Local). */
  | 'route-local-external'
  /** `pod traffic for SPN external destinations` (KUBE-EXT-, policy Local). */
  | 'pod-external'
  /** `other traffic to SPN will be dropped by KUBE-PROXY-FIREWALL` (KUBE-FW-). */
  | 'firewall-other-dropped'
  /** `masquerade LOCAL traffic for SPN LB IP` (KUBE-XLB-, before kube-proxy 1.24). */
  | 'masquerade-local-lb-ip'
  /** `route LOCAL traffic for SPN LB IP to service chain` (KUBE-XLB-, before kube-proxy 1.24). */
  | 'route-local-lb-ip'
  /** `Balancing rule N for SPN` (KUBE-XLB- endpoint rules, before kube-proxy 1.22). */
  | 'balancing-rule';

export interface ServiceComment {
  role: ServiceCommentRole;
  spn: ServicePortName;
  /** `IP:port` of an `endpoint` comment. */
  endpoint?: string;
  /** The firewall chain of a `firewall-not-accepted` comment. */
  chain?: string;
  /** The endpoint's number of a `balancing-rule` comment. */
  index?: number;
}

/** The words around the service port name, for the roles that are fixed words around it. */
const AROUND: ReadonlyArray<readonly [ServiceCommentRole, string, string]> = [
  ['cluster-ip', '', ' cluster IP'],
  ['external-ip', '', ' external IP'],
  ['loadbalancer-ip', '', ' loadbalancer IP'],
  ['no-endpoints', '', ' has no endpoints'],
  ['no-local-endpoints', '', ' has no local endpoints'],
  ['health-check-node-port', '', ' health check node port'],
  ['masquerade-external', 'masquerade traffic for ', ' external destinations'],
  ['masquerade-local-external', 'masquerade LOCAL traffic for ', ' external destinations'],
  ['route-local-external', 'route LOCAL traffic for ', ' external destinations'],
  ['pod-external', 'pod traffic for ', ' external destinations'],
  ['firewall-other-dropped', 'other traffic to ', ' will be dropped by KUBE-PROXY-FIREWALL'],
  ['masquerade-local-lb-ip', 'masquerade LOCAL traffic for ', ' LB IP'],
  ['route-local-lb-ip', 'route LOCAL traffic for ', ' LB IP to service chain'],
];

const ENDPOINT_ARROW = ' -> ';
const NOT_ACCEPTED = ' traffic not accepted by ';
const BALANCING = 'Balancing rule ';

const AROUND_BY_ROLE = new Map(AROUND.map(([role, before, after]) => [role, [before, after] as const]));

/** The text of a comment that names a service port. */
export function writeServiceComment(c: ServiceComment, style: ServicePortNameStyle = 'current'): string {
  const extra = c.role === 'endpoint' ? c.endpoint : c.role === 'firewall-not-accepted' ? c.chain : c.role === 'balancing-rule' ? String(c.index ?? 0) : undefined;
  return serviceCommentText(c.role, formatServicePortName(c.spn, style), extra);
}

/**
 * The same, for a service port name already written out (`ns/name:port`): what the compilers
 * call for each rule. `extra` is the endpoint, the firewall chain or the rule's number, for the
 * roles that have one.
 */
export function serviceCommentText(role: ServiceCommentRole, spn: string, extra = ''): string {
  switch (role) {
    case 'port':
      return spn;
    case 'endpoint':
      return `${spn}${ENDPOINT_ARROW}${extra}`;
    case 'firewall-not-accepted':
      return `${spn}${NOT_ACCEPTED}${extra}`;
    case 'balancing-rule':
      return `${BALANCING}${extra} for ${spn}`;
    default: {
      const around = AROUND_BY_ROLE.get(role);
      return around ? `${around[0]}${spn}${around[1]}` : spn;
    }
  }
}

/** A word of a comment: no space, not empty. */
function isWord(text: string): boolean {
  return text.length > 0 && !text.includes(' ');
}

/** Reads a comment that names a service port, in any form kube-proxy has written; else undefined. */
export function readServiceComment(text: string): ServiceComment | undefined {
  const bare = parseServicePortName(text);
  if (bare) return { role: 'port', spn: bare };
  const arrow = text.indexOf(ENDPOINT_ARROW);
  if (arrow > 0) {
    const spn = parseServicePortName(text.slice(0, arrow));
    const endpoint = text.slice(arrow + ENDPOINT_ARROW.length);
    if (spn && isWord(endpoint)) return { role: 'endpoint', spn, endpoint };
  }
  const notAccepted = text.indexOf(NOT_ACCEPTED);
  if (notAccepted > 0) {
    const spn = parseServicePortName(text.slice(0, notAccepted));
    const chain = text.slice(notAccepted + NOT_ACCEPTED.length);
    if (spn && isWord(chain)) return { role: 'firewall-not-accepted', spn, chain };
  }
  if (text.startsWith(BALANCING)) {
    const forAt = text.indexOf(' for ', BALANCING.length);
    const index = text.slice(BALANCING.length, forAt);
    const spn = forAt > 0 && /^\d{1,6}$/.test(index) ? parseServicePortName(text.slice(forAt + 5)) : undefined;
    if (spn) return { role: 'balancing-rule', spn, index: Number(index) };
  }
  for (const [role, before, after] of AROUND) {
    if (text.length > before.length + after.length && text.startsWith(before) && text.endsWith(after)) {
      const spn = parseServicePortName(text.slice(before.length, text.length - after.length));
      if (spn) return { role, spn };
    }
  }
  return undefined;
}

/** The service port name a comment names, in any form; undefined when it names none. */
export function servicePortNameOfComment(text: string | null | undefined): ServicePortName | undefined {
  return text ? readServiceComment(text)?.spn : undefined;
}

/**
 * The service port name a comment names, exactly as the comment writes it (`ns/name:` in a
 * comment of kube-proxy before 1.17, whose chain-name hashes were made of that text).
 */
export function servicePortNameTextOfComment(text: string | null | undefined): string | undefined {
  const spn = servicePortNameOfComment(text);
  if (!spn || !text) return undefined;
  if (spn.port === '') {
    const old = formatServicePortName(spn, 'colon-always');
    if (text === old || text.startsWith(`${old} `) || text.endsWith(` ${old}`) || text.includes(` ${old} `)) return old;
  }
  return formatServicePortName(spn);
}

/**
 * The comments of kube-proxy's fixed rules (the same on every node), by what they mark. Older
 * forms are kept under their own ids so that a dump of any version is read.
 */
export const FIXED_COMMENTS = {
  servicePortals: 'kubernetes service portals',
  externalServicePortals: 'kubernetes externally-visible service portals',
  nodePorts: 'kubernetes service nodeports; NOTE: this must be the last rule in this chain',
  postrouting: 'kubernetes postrouting rules',
  snat: 'kubernetes service traffic requiring SNAT',
  forwarding: 'kubernetes forwarding rules',
  /** The FORWARD jump to KUBE-FORWARD in 1.9 (`forwarding` from 1.10). */
  forwardRules: 'kubernetes forward rules',
  forwardingConntrack: 'kubernetes forwarding conntrack rule',
  forwardingConntrackPodSource: 'kubernetes forwarding conntrack pod source rule',
  forwardingConntrackPodDestination: 'kubernetes forwarding conntrack pod destination rule',
  healthCheckServicePorts: 'kubernetes health check service ports',
  healthCheckRules: 'kubernetes health check rules',
  loadBalancerFirewall: 'kubernetes load balancer firewall',
  markedDrop: 'kubernetes firewall for dropping marked packets',
  localnetBlock: 'block incoming localnet connections',
  ipvsAccessFilter: 'kubernetes ipvs access filter',
  proxyFirewall: 'kube-proxy firewall rules',
  redirectPodsToClusterIP: 'Redirect pods trying to reach external loadbalancer VIP to clusterIP',
} as const;

export type FixedCommentId = keyof typeof FIXED_COMMENTS;

const FIXED_BY_TEXT = new Map<string, FixedCommentId>(
  (Object.keys(FIXED_COMMENTS) as FixedCommentId[]).map((id) => [FIXED_COMMENTS[id], id]),
);

/** Which fixed rule a comment marks; undefined for any other text. */
export function fixedCommentOf(text: string | null | undefined): FixedCommentId | undefined {
  return text ? FIXED_BY_TEXT.get(text) : undefined;
}
