import type { ChainContext, RuleAt } from './chain-context.js';
import { isKubeChain, type KubeChainKind } from '../../kube/chain-kind.js';
import { bareAddress, type RuleFacts } from './facts.js';
import { fixedCommentOf, readServiceComment } from '../../kube/rule-comments.js';
import { isAsciiMasqueradeMark } from '../../kube/marks.js';
import { evenSplitOf, type SplitForm } from './probability.js';

/** The chains of a whole service port: every per-service kind but the endpoint chain. */
const SERVICE_PORT_KINDS: KubeChainKind[] = ['SVC', 'SVL', 'EXT', 'FW', 'XLB'];

/** Every kind of rule kube-proxy writes (iptables mode, IPVS mode's iptables, older versions). */
export const RULE_KINDS = [
  'hook',
  'svc-cluster-ip',
  'svc-external-ip',
  'svc-lb-ip',
  'svc-dispatch',
  'nodeports-jump',
  'nodeport-localhost',
  'nodeport',
  'nodeport-masq',
  'nodeport-localhost-masq',
  'healthcheck',
  'no-endpoints-cluster-ip',
  'no-endpoints-external-ip',
  'no-endpoints-nodeport',
  'firewall-drop',
  'fw-allow-range',
  'fw-allow-lb-ip',
  'fw-other',
  'fw-drop-old',
  'fw-masq-old',
  'fw-allow-all-old',
  'ext-masq',
  'ext-pod',
  'ext-local-masq',
  'ext-local-route',
  'ext-to-policy-chain',
  'xlb-pod',
  'xlb-local-masq',
  'xlb-local-route',
  'xlb-endpoint',
  'svc-masq',
  'svc-masq-old',
  'svc-masq-all',
  'external-masq',
  'svc-affinity',
  'svc-endpoint',
  'svc-no-local-old',
  'sep-hairpin',
  'sep-dnat',
  'mark-masq-jump',
  'post-return',
  'post-unmark',
  'post-masquerade',
  'post-masquerade-marked-old',
  'mark-masq',
  'mark-drop',
  'marked-drop',
  'fwd-invalid',
  'fwd-marked',
  'fwd-established',
  'fwd-established-pod',
  'fwd-pod-old',
  'localnet-block',
  'ipvs-loopback-return',
  'ipvs-set-masq',
  'ipvs-set-accept',
  'ipvs-set-return',
  'ipvs-set-jump',
  'ipvs-set-reject',
  'ipvs-set-masquerade',
  'ipvs-nodeport-jump',
  'ipvs-lb-masq',
  'ipvs-source-ranges-drop',
  'ipvs-out-filter',
  'generic',
] as const;

export type RuleKind = (typeof RULE_KINDS)[number];

/** The values an explanation is phrased with. */
export interface Fields {
  /** `ns/name` of the service, and the port's name. */
  svc?: string;
  port?: string;
  /** `IP:PORT/proto`. */
  dest?: string;
  ip?: string;
  dport?: string;
  proto?: string;
  target?: string;
  source?: string;
  endpoint?: string;
  probability?: string;
  /** The share of all new connections this endpoint rule takes, as a percentage. */
  share?: string;
  /** The even split a probability stands for (`1/3`), how its text came to be, and what kube-proxy wrote. */
  split?: string;
  splitForm?: SplitForm;
  written?: string;
  seconds?: string;
  mark?: string;
  set?: string;
  dirs?: string;
  hook?: string;
  verdict?: string;
  /** The local-traffic detector of the rule: `CIDR`, or `iface` for `-i`. */
  podSource?: string;
  podIface?: string;
  /** A chain named by a comment (`KUBE-FW-…` in "traffic not accepted by …"). */
  other?: string;
  lastEndpoint?: string;
  /** Which address of the service a masquerade rule is for. */
  via?: 'external-ip' | 'loadbalancer-ip';
  /** Which side of the pod network a KUBE-FORWARD conntrack rule tests. */
  direction?: 'source' | 'destination';
  /** Which packets to an external IP an older dispatch rule takes: those from outside the node, or those to an address the node holds. */
  externalScope?: 'from-outside' | 'node-address';
  /** The mark is kube-proxy 1.1's whole-word "MASQ" mark. */
  asciiMark?: true;
}

export interface Classified {
  kind: RuleKind;
  f: Fields;
}

const BUILTIN = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

function dest(ip: string | null, port: string | null, proto: string | null): string | undefined {
  if (!ip && !port) return undefined;
  const host = ip ? bareAddress(ip) : '';
  const h = host.includes(':') ? `[${host}]` : host;
  return `${h}${port ? `:${port}` : ''}${proto ? `/${proto}` : ''}`;
}

function serviceFields(spn: string | null): Fields {
  if (!spn) return {};
  const colon = spn.indexOf(':');
  return colon < 0 ? { svc: spn } : { svc: spn.slice(0, colon), port: spn.slice(colon + 1) };
}

function pct(share: number): string {
  return `${Math.round(share * 1_000_000) / 10_000}%`;
}

/** Decides what kind of rule this is and gathers the values its sentence needs. */
export function classify(at: RuleAt, ctx: ChainContext): Classified {
  const x = at.facts;
  const chain = at.chain.name;
  const spn = x.spn ?? (isKubeChain(chain) ? ctx.spnOf(at.table, chain) : null) ?? (x.target && isKubeChain(x.target, ...SERVICE_PORT_KINDS) ? ctx.spnOf(at.table, x.target) : null);
  const f: Fields = { ...serviceFields(spn) };
  const d = dest(x.dst, x.dport, x.protocol);
  if (d) f.dest = d;
  if (x.dst) f.ip = bareAddress(x.dst);
  if (x.dport) f.dport = x.dport;
  if (x.protocol) f.proto = x.protocol;
  if (x.target) f.target = x.target;
  if (x.src) f.source = bareAddress(x.src);
  if (x.src && x.srcNegated && x.src.includes('/')) f.podSource = x.src;
  if (x.inIface && x.inIfaceNegated) f.podIface = x.inIface;
  const k = (kind: RuleKind): Classified => ({ kind, f });
  const target = x.target ?? '';
  const said = x.comment ? readServiceComment(x.comment) : undefined;
  const role = said?.role;
  const fixed = fixedCommentOf(x.comment);
  const marksMasq = marksForMasquerade(x);

  if (BUILTIN.has(chain) && target.startsWith('KUBE-')) {
    f.hook = chain;
    return k('hook');
  }

  // IPVS mode: rules that test kube-proxy's ipsets.
  const set = x.sets.find((s) => s.name.startsWith('KUBE-'));
  if (set) {
    f.set = set.name;
    f.dirs = set.dirs;
    if (target === 'KUBE-MARK-MASQ') return k('ipvs-set-masq');
    if (target === 'ACCEPT') return k('ipvs-set-accept');
    if (target === 'RETURN') return k('ipvs-set-return');
    if (target === 'REJECT') return k('ipvs-set-reject');
    if (target === 'MASQUERADE') return k('ipvs-set-masquerade');
    if (target.startsWith('KUBE-')) return k('ipvs-set-jump');
  }
  if (chain === 'KUBE-SERVICES' && at.table === 'nat' && target === 'RETURN' && x.src && /^(127\.0\.0\.0\/8|::1(\/128)?)$/.test(x.src)) return k('ipvs-loopback-return');
  if (chain === 'KUBE-SERVICES' && target === 'KUBE-NODE-PORT') return k('ipvs-nodeport-jump');
  if (chain === 'KUBE-LOAD-BALANCER' && target === 'KUBE-MARK-MASQ') return k('ipvs-lb-masq');
  if (chain === 'KUBE-SOURCE-RANGES-FIREWALL' && target === 'DROP') return k('ipvs-source-ranges-drop');
  if (chain === 'KUBE-IPVS-OUT-FILTER' && x.ipvs && target === 'DROP') {
    f.dest = dest(x.ipvs.vaddr, x.ipvs.vport, x.ipvs.vproto) ?? '';
    return k('ipvs-out-filter');
  }

  // The fixed rules.
  if (chain === 'KUBE-POSTROUTING' || (chain === 'POSTROUTING' && fixed === 'snat')) {
    if (target === 'RETURN' && x.mark && x.markNegated) return markField(f, x.mark, k('post-return'));
    if (target === 'MARK') return markField(f, x.targetOption('--xor-mark') ?? x.targetOption('--set-xmark') ?? '', k('post-unmark'));
    if (target === 'MASQUERADE' && x.mark) return markField(f, x.mark, k('post-masquerade-marked-old'));
    if (target === 'MASQUERADE') {
      if (x.hasTargetOption('--random-fully')) f.verdict = 'random-fully';
      return k('post-masquerade');
    }
  }
  if (chain === 'KUBE-MARK-MASQ' && target === 'MARK') return markField(f, x.targetOption('--or-mark') ?? x.targetOption('--set-xmark') ?? '', k('mark-masq'));
  if (chain === 'KUBE-MARK-DROP' && target === 'MARK') return markField(f, x.targetOption('--or-mark') ?? x.targetOption('--set-xmark') ?? '', k('mark-drop'));
  if (chain === 'KUBE-FIREWALL' && target === 'DROP' && x.mark && !x.markNegated) return markField(f, x.mark, k('marked-drop'));
  if (chain === 'KUBE-FIREWALL' && target === 'DROP' && x.dst?.startsWith('127.')) return k('localnet-block');
  if (chain === 'KUBE-FORWARD') {
    if (target === 'DROP' && x.ctstate === 'INVALID') return k('fwd-invalid');
    if (target === 'ACCEPT' && x.mark) return markField(f, x.mark, k('fwd-marked'));
    const podSide = fixed === 'forwardingConntrackPodSource' ? 'source' : fixed === 'forwardingConntrackPodDestination' ? 'destination' : undefined;
    if (target === 'ACCEPT' && x.ctstate && /ESTABLISHED/.test(x.ctstate)) {
      const side = podSide ?? (x.src && !x.srcNegated ? 'source' : x.dst && !x.dstNegated ? 'destination' : undefined);
      if (!side) return k('fwd-established');
      f.direction = side;
      const cidr = side === 'source' ? x.src : x.dst;
      if (cidr) f.podSource = cidr;
      return k('fwd-established-pod');
    }
    if (target === 'ACCEPT' && x.src) return k('fwd-pod-old');
    if (target === 'ACCEPT' && x.dst) {
      f.source = bareAddress(x.dst);
      return k('fwd-pod-old');
    }
  }

  // Service dispatch (nat KUBE-SERVICES).
  if (chain === 'KUBE-SERVICES' && target === 'KUBE-NODEPORTS') return k('nodeports-jump');
  if (chain === 'KUBE-SERVICES' && at.table === 'nat' && isKubeChain(target, ...SERVICE_PORT_KINDS)) {
    if (role === 'cluster-ip') return k('svc-cluster-ip');
    if (role === 'external-ip') {
      if (x.physdevNotIn || (x.srcType === 'LOCAL' && x.srcTypeNegated)) f.externalScope = 'from-outside';
      else if (x.dstType === 'LOCAL' && !x.dstTypeNegated) f.externalScope = 'node-address';
      return k('svc-external-ip');
    }
    if (role === 'loadbalancer-ip') return k('svc-lb-ip');
    return k('svc-dispatch');
  }
  if (chain === 'KUBE-NODEPORTS' && at.table === 'nat' && isKubeChain(target, ...SERVICE_PORT_KINDS)) {
    return k(x.dst?.startsWith('127.') ? 'nodeport-localhost' : 'nodeport');
  }
  if (chain === 'KUBE-NODEPORTS' && at.table === 'filter' && target === 'ACCEPT') return k('healthcheck');

  // Masquerade rules of older layouts: beside the dispatch rules, or in the service chain.
  if (at.table === 'nat' && marksMasq) {
    if (chain === 'KUBE-NODEPORTS' && x.dport) return k(x.src && !x.srcNegated && isLoopback(x.src) ? 'nodeport-localhost-masq' : 'nodeport-masq');
    if (isKubeChain(chain, 'SVC') && role === 'port' && x.dport && !x.dst) return k('nodeport-masq');
    if ((chain === 'KUBE-SERVICES' || isKubeChain(chain, 'SVC')) && (role === 'external-ip' || role === 'loadbalancer-ip')) {
      f.via = role;
      return k('external-masq');
    }
    if (chain === 'KUBE-SERVICES' && role === 'cluster-ip') return k(f.podSource || f.podIface ? 'svc-masq-old' : 'svc-masq-all');
  }

  // Filter verdicts for services without (local) endpoints, and the load balancer firewall.
  if ((target === 'REJECT' || target === 'DROP') && (role === 'no-endpoints' || role === 'no-local-endpoints')) {
    f.verdict = target;
    if (role === 'no-local-endpoints') f.other = 'local';
    if (x.dstType === 'LOCAL' && !x.dst) return k('no-endpoints-nodeport');
    if (chain === 'KUBE-SERVICES') return k('no-endpoints-cluster-ip');
    return k('no-endpoints-external-ip');
  }
  if (chain === 'KUBE-PROXY-FIREWALL' && target === 'DROP') {
    if (said?.chain) f.other = said.chain;
    return k('firewall-drop');
  }
  if (chain.startsWith('KUBE-FW-')) {
    if (!target && role === 'firewall-other-dropped') return k('fw-other');
    if (target === 'KUBE-MARK-DROP') return k('fw-drop-old');
    if (marksMasq) return k('fw-masq-old');
    if (target && x.src) return k(isLoadBalancerIpSource(at, ctx, x.src) ? 'fw-allow-lb-ip' : 'fw-allow-range');
    if (isKubeChain(target, ...SERVICE_PORT_KINDS)) return k('fw-allow-all-old');
  }

  // The external traffic chain.
  if (chain.startsWith('KUBE-EXT-')) {
    if (target === 'KUBE-MARK-MASQ' && x.srcType === 'LOCAL') return k('ext-local-masq');
    if (target === 'KUBE-MARK-MASQ') return k('ext-masq');
    if (isKubeChain(target, 'SVC', 'SVL') && x.srcType === 'LOCAL') return k('ext-local-route');
    if (isKubeChain(target, 'SVC', 'SVL') && ((x.src && !x.srcNegated) || (x.inIface && !x.inIfaceNegated))) {
      if (x.src) f.podSource = x.src;
      if (x.inIface) f.podIface = x.inIface;
      return k('ext-pod');
    }
    if (isKubeChain(target, 'SVC', 'SVL')) return k('ext-to-policy-chain');
  }

  // The external traffic chain of externalTrafficPolicy: Local before kube-proxy 1.24.
  if (isKubeChain(chain, 'XLB')) {
    const podSource = (x.src && !x.srcNegated) || (x.inIface && !x.inIfaceNegated);
    if (isKubeChain(target, 'SVC') && x.srcType !== 'LOCAL' && (fixed === 'redirectPodsToClusterIP' || podSource)) {
      if (x.src && !x.srcNegated) f.podSource = x.src;
      if (x.inIface && !x.inIfaceNegated) f.podIface = x.inIface;
      return k('xlb-pod');
    }
    if (marksMasq && x.srcType === 'LOCAL' && !x.srcTypeNegated) return k('xlb-local-masq');
    if (isKubeChain(target, 'SVC') && x.srcType === 'LOCAL' && !x.srcTypeNegated) return k('xlb-local-route');
    if (target.startsWith('KUBE-SEP-') && !x.recent) return k(endpointJump(f, at, ctx, said?.endpoint, 'xlb-endpoint'));
  }

  // Service and endpoint chains.
  if (isKubeChain(chain, 'SVC', 'SVL', 'XLB')) {
    if (marksMasq) return k(f.podSource || f.podIface ? 'svc-masq' : 'svc-masq-all');
    if (target.startsWith('KUBE-SEP-')) return k(endpointJump(f, at, ctx, said?.endpoint, 'svc-endpoint'));
    if (target === 'KUBE-MARK-DROP' || (target === 'DROP' && role === 'no-local-endpoints')) return k('svc-no-local-old');
  }
  if (chain.startsWith('KUBE-SEP-')) {
    if (marksMasq && x.src) return k('sep-hairpin');
    if (target === 'DNAT') {
      f.endpoint = x.targetOption('--to-destination') ?? '';
      if (x.recent?.mode === 'set') f.seconds = 'set';
      return k('sep-dnat');
    }
  }
  if (marksMasq) return k('mark-masq-jump');
  return k('generic');
}

function markField(f: Fields, mark: string, c: Classified): Classified {
  f.mark = mark.replace(/\/.*$/, '');
  if (isAsciiMasqueradeMark(mark)) f.asciiMark = true;
  return c;
}

/** A jump to KUBE-MARK-MASQ, or kube-proxy 1.1's MARK rule that set the whole "MASQ" mark. */
function marksForMasquerade(x: RuleFacts): boolean {
  if (x.target === 'KUBE-MARK-MASQ') return true;
  return x.target === 'MARK' && x.chain !== 'KUBE-MARK-MASQ' && isAsciiMasqueradeMark(x.targetOption('--set-xmark') ?? x.targetOption('--or-mark'));
}

function isLoopback(cidr: string): boolean {
  return cidr === '127.0.0.0/8' || cidr === '::1/128' || cidr === '::1';
}

/**
 * Whether the source of a KUBE-FW rule is the load balancer IP itself (kube-proxy lets it in when
 * the node is inside the source ranges) rather than one of the ranges: the load balancer IPs are
 * those of the rules that jump to the chain; without them, a single address is taken for one.
 */
function isLoadBalancerIpSource(at: RuleAt, ctx: ChainContext, src: string): boolean {
  const single = !src.includes('/') || /\/(32|128)$/.test(src);
  if (!single) return false;
  const ips = ctx.referrersOf(at.table, at.chain.name).flatMap((r) => (r.facts.dst && !r.facts.dstNegated ? [bareAddress(r.facts.dst)] : []));
  return ips.length === 0 || ips.includes(bareAddress(src));
}

/** The fields of a jump to an endpoint chain: the endpoint, and its affinity or share of new connections. */
function endpointJump(f: Fields, at: RuleAt, ctx: ChainContext, said: string | undefined, kind: RuleKind): RuleKind {
  const x = at.facts;
  const target = x.target ?? '';
  const ep = said ?? ctx.endpointOf(at.table, target);
  if (ep) f.endpoint = ep;
  if (x.recent) {
    if (x.recent.seconds) f.seconds = x.recent.seconds;
    return 'svc-affinity';
  }
  if (x.probability) {
    f.probability = x.probability;
    const split = evenSplitOf(x.probability);
    if (split) {
      f.split = `1/${split.n}`;
      f.splitForm = split.form;
      f.written = split.written;
    }
  }
  const share = ctx.shareOf(at.rule);
  if (share !== null) f.share = pct(share);
  if (!x.probability) f.lastEndpoint = 'yes';
  return kind;
}
