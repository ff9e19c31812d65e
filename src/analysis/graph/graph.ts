import type { IptablesRuleSet, RuleSet } from '../../ast/types.js';
import { isKubeChain } from '../../kube/chain-kind.js';
import { parseIp } from '../../kube/ip.js';
import { ChainContext, type RuleAt } from '../explain/chain-context.js';
import { classify } from '../explain/classify.js';
import { formatHostPort } from '../trace/packet.js';

/** A node of the chain graph: a chain, an endpoint, a verdict or an IPVS virtual service. */
export interface GraphNode {
  id: string;
  label: string;
  kind: 'hook' | 'chain' | 'endpoint' | 'verdict' | 'ipvs';
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  /** Side trips that come back (KUBE-MARK-MASQ) are drawn dashed. */
  style: 'solid' | 'dashed';
}

export interface ChainGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const BUILTIN = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
const VERDICTS = new Set(['ACCEPT', 'DROP', 'REJECT', 'MASQUERADE', 'RETURN']);

/** The label of the edge a rule draws: what the rule matches, in few words. */
function edgeLabel(at: RuleAt, ctx: ChainContext): string {
  const c = classify(at, ctx);
  const f = c.f;
  switch (c.kind) {
    case 'svc-cluster-ip':
      return `${f.dest} cluster IP`;
    case 'svc-external-ip':
      return `${f.dest} external IP`;
    case 'svc-lb-ip':
      return `${f.dest} LB IP`;
    case 'svc-dispatch':
      return f.dest ?? '';
    case 'nodeport':
      return `node port ${f.dport}/${f.proto}`;
    case 'nodeport-localhost':
      return `localhost:${f.dport}/${f.proto}`;
    case 'nodeports-jump':
      return 'to a node address';
    case 'svc-endpoint':
      return f.share ?? '';
    case 'svc-affinity':
      return 'affinity';
    case 'ext-pod':
      return 'from pods';
    case 'ext-local-route':
    case 'ext-local-masq':
      return 'from the node';
    case 'fw-allow-range':
    case 'fw-allow-lb-ip':
      return `from ${f.source}`;
    case 'svc-masq':
      return `not from ${f.podSource ?? f.podIface}`;
    case 'sep-hairpin':
      return `from ${f.source}`;
    case 'no-endpoints-cluster-ip':
    case 'no-endpoints-external-ip':
      return f.dest ?? '';
    case 'no-endpoints-nodeport':
      return `node port ${f.dport}/${f.proto}`;
    case 'healthcheck':
      return `tcp:${f.dport} health check`;
    case 'firewall-drop':
      return `${f.dest} not allowed`;
    default: {
      const x = at.facts;
      const parts: string[] = [];
      if (x.src) parts.push(`${x.srcNegated ? '!' : ''}src ${x.src}`);
      if (x.dst) parts.push(`${x.dstNegated ? '!' : ''}dst ${x.dst}`);
      if (x.dport) parts.push(`${x.protocol ?? ''}:${x.dport}`);
      for (const s of x.sets) parts.push(`${s.negated ? '!' : ''}${s.name}`);
      if (x.ctstate && x.ctstate !== 'NEW') parts.push(`${x.ctstateNegated ? '!' : ''}${x.ctstate}`);
      if (x.mark) parts.push(`${x.markNegated ? '!' : ''}mark ${x.mark}`);
      return parts.join(' ');
    }
  }
}

export interface GraphOptions {
  /** Only what serves this Service: `NAMESPACE/NAME`. */
  service?: string;
}

function belongsTo(spn: string | null, service: string): boolean {
  return spn !== null && (spn === service || spn.startsWith(`${service}:`));
}

/** The chain graph: hooks → kube-proxy's chains → endpoints and verdicts; IPVS services → real servers. */
export function buildGraph(ruleSets: readonly RuleSet[], options: GraphOptions = {}): ChainGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const node = (n: GraphNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
    return n.id;
  };
  const iptables = ruleSets.filter((r): r is IptablesRuleSet => r.kind === 'iptables');
  for (const rs of iptables) {
    const fam = iptables.length > 1 && rs.family === 'ipv6' ? '6' : '';
    const ctx = new ChainContext(rs);
    const chainId = (table: string, chain: string) =>
      node({ id: `${table}${fam}/${chain}`, label: `${fam ? 'ip6 ' : ''}${table} ${chain}`, kind: BUILTIN.has(chain) ? 'hook' : 'chain' });
    const wanted = options.service ? serviceChains(ctx, options.service) : null;
    for (const at of ctx.rules) {
      const x = at.facts;
      const target = x.target;
      if (!target) continue;
      const from = at.chain.name;
      if (wanted) {
        const relevant = wanted.chains.has(`${at.table}/${from}`) || belongsTo(x.spn, options.service as string) || wanted.path.has(at.rule);
        if (!relevant) continue;
      }
      const label = edgeLabel(at, ctx);
      const fromId = chainId(at.table, from);
      if (target === 'DNAT') {
        const ep = x.targetOption('--to-destination') ?? '?';
        edges.push({ from: fromId, to: node({ id: `ep/${ep}`, label: ep, kind: 'endpoint' }), label: label || 'DNAT', style: 'solid' });
      } else if (VERDICTS.has(target) && !ctx.hasChain(at.table, target)) {
        if (target === 'RETURN') continue;
        edges.push({ from: fromId, to: node({ id: `verdict/${target}`, label: target, kind: 'verdict' }), label, style: 'solid' });
      } else if (ctx.hasChain(at.table, target)) {
        edges.push({ from: fromId, to: chainId(at.table, target), label, style: target === 'KUBE-MARK-MASQ' || target === 'KUBE-MARK-DROP' ? 'dashed' : 'solid' });
      }
    }
  }
  if (!options.service) {
    for (const rs of ruleSets) {
      if (rs.kind !== 'ipvs') continue;
      for (const vs of rs.services) {
        const ip = parseIp(vs.address);
        const addr = vs.protocol === 'fwmark' ? `fwmark ${vs.fwmark ?? 0}` : `${vs.protocol.toUpperCase()} ${ip ? formatHostPort(ip, vs.port) : vs.address}`;
        const vsId = node({ id: `ipvs/${addr}`, label: `ipvs ${addr} (${vs.scheduler})`, kind: 'ipvs' });
        for (const r of vs.realServers) {
          const rip = parseIp(r.address);
          const ep = rip ? formatHostPort(rip, r.port) : `${r.address}:${r.port}`;
          edges.push({ from: vsId, to: node({ id: `ep/${ep}`, label: ep, kind: 'endpoint' }), label: `w=${r.weight ?? '?'}`, style: 'solid' });
        }
      }
    }
  }
  return finishGraph(nodes, edges);
}

/** The graph of the edges drawn: parallel edges with the same label once, only the nodes they join. */
export function finishGraph(nodes: ReadonlyMap<string, GraphNode>, edges: readonly GraphEdge[]): ChainGraph {
  const seen = new Set<string>();
  const unique = edges.filter((e) => {
    const k = `${e.from}\u0000${e.to}\u0000${e.label}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const used = new Set(unique.flatMap((e) => [e.from, e.to]));
  return { nodes: [...nodes.values()].filter((n) => used.has(n.id)), edges: unique };
}

/** The chains of one Service (dispatch targets and everything they reach) and the hook rules leading to them. */
function serviceChains(ctx: ChainContext, service: string): { chains: Set<string>; path: Set<object> } {
  const chains = new Set<string>();
  const path = new Set<object>();
  const queue: string[] = [];
  for (const at of ctx.rules) {
    if (!belongsTo(at.facts.spn, service)) continue;
    if (at.facts.target && isKubeChain(at.facts.target)) queue.push(`${at.table}/${at.facts.target}`);
    // The way from the hooks to the dispatch chain this rule is in.
    markPath(ctx, at.table, at.chain.name, path, new Set());
  }
  while (queue.length) {
    const key = queue.pop() as string;
    if (chains.has(key)) continue;
    chains.add(key);
    const [table = '', chain = ''] = key.split('/');
    for (const at of ctx.rulesOf(table, chain)) if (at.facts.target && isKubeChain(at.facts.target)) queue.push(`${table}/${at.facts.target}`);
  }
  return { chains, path };
}

function markPath(ctx: ChainContext, table: string, chain: string, path: Set<object>, seen: Set<string>): void {
  if (seen.has(chain)) return;
  seen.add(chain);
  for (const r of ctx.referrersOf(table, chain)) {
    path.add(r.rule);
    markPath(ctx, table, r.chain.name, path, seen);
  }
}
