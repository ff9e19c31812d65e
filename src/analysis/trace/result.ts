import type { IpFamily } from '../../ast/types.js';
import { readServiceComment, type ServiceCommentRole } from '../../kube/rule-comments.js';
import { formatServicePortName } from '../../kube/service-port-name.js';
import type { TraceStep } from './branch.js';
import type { FinalBranch, FinalVerdict } from './kernel-path.js';
import type { TraceNote } from './match-context.js';
import type { TraceOrigin, TraceProtocol } from './packet.js';

/** The answer to "where does this packet go", in the shape `rulec trace --json` prints. */
export interface TraceResult {
  packet: {
    source: string;
    destination: string;
    protocol: TraceProtocol;
    from: TraceOrigin;
    family: IpFamily;
    /** Where the packet meets the rules first: `nat PREROUTING` or `nat OUTPUT`. */
    enters: 'PREROUTING' | 'OUTPUT';
  };
  /**
   * `DNAT`: sent to an endpoint (see `endpoints`); `ACCEPT`: accepted by a rule on the way to a
   * local socket; `DROP`/`REJECT`: ended by a rule; `NONE`: no rule changes or ends it.
   */
  verdict: FinalVerdict;
  /** Every endpoint the packet can reach, with the probability of reaching it (they sum to the DNAT share, 1 when every way DNATs). */
  endpoints: TraceEndpoint[];
  /** The packet is marked for masquerading (or SNATed) on at least one way. */
  masquerade: boolean;
  /** The service port the rules name on the way (`ns/name:port`), and how it was reached. */
  service?: { name: string; via: string };
  /** The steps every way shares, in order. */
  path: TraceStep[];
  /** Each way the packet can go after the shared steps (one, unless a random split forks it). */
  outcomes: TraceOutcome[];
  /** Session affinity met, matches not modelled, assumptions made. */
  notes: TraceNote[];
  /** For ICMP: whether the node answers a ping. */
  icmp?: { answered: boolean; reason: string };
  /** For a service name: what cluster DNS answers. */
  dns?: DnsAnswer;
}

export interface TraceEndpoint {
  destination: string;
  probability: number;
  masquerade: boolean;
}

export interface TraceOutcome {
  verdict: FinalVerdict;
  destination?: string;
  probability: number;
  masquerade: boolean;
  delivery: 'local' | 'forward';
  path: TraceStep[];
}

export interface DnsAnswer {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'NXDOMAIN';
  records: string[];
  note: string;
}


/** How a trace reached a service, by the role of the first service comment on its path. */
const DISPATCH_VIA: Partial<Record<ServiceCommentRole, string>> = {
  'cluster-ip': 'cluster IP',
  'external-ip': 'external IP',
  'loadbalancer-ip': 'loadbalancer IP',
  'no-endpoints': 'has no endpoints',
  'no-local-endpoints': 'has no local endpoints',
  'health-check-node-port': 'health check node port',
};

/** Folds the branches of a trace into one result: shared path, outcomes, endpoints, verdict. */
export function summarise(finals: readonly FinalBranch[], packet: TraceResult['packet']): TraceResult {
  const common = commonPrefix(finals.map((f) => f.branch.steps));
  const outcomes: TraceOutcome[] = finals.map((f) => ({
    verdict: f.verdict,
    ...(f.verdict === 'DNAT' && f.branch.dnatTo ? { destination: f.branch.dnatTo } : {}),
    probability: f.branch.probability,
    masquerade: f.branch.markedForMasquerade || f.branch.masqueraded,
    delivery: f.delivery,
    path: f.branch.steps.slice(common.length),
  }));
  const endpoints = new Map<string, TraceEndpoint>();
  for (const o of outcomes) {
    if (o.verdict !== 'DNAT' || !o.destination) continue;
    const e = endpoints.get(o.destination);
    if (e) {
      e.probability += o.probability;
      e.masquerade ||= o.masquerade;
    } else endpoints.set(o.destination, { destination: o.destination, probability: o.probability, masquerade: o.masquerade });
  }
  const notes: TraceNote[] = [];
  for (const f of finals) for (const n of f.branch.notes) if (!notes.some((x) => x.message === n.message && x.at === n.at)) notes.push(n);
  const result: TraceResult = {
    packet,
    verdict: overallVerdict(outcomes),
    endpoints: [...endpoints.values()],
    masquerade: outcomes.some((o) => o.masquerade),
    path: common,
    outcomes,
    notes,
  };
  const service = serviceOf(finals.flatMap((f) => f.branch.steps));
  if (service) result.service = service;
  return result;
}

/** DNAT if any way reaches an endpoint; otherwise the verdict most of the probability gets. */
function overallVerdict(outcomes: readonly TraceOutcome[]): FinalVerdict {
  if (outcomes.some((o) => o.verdict === 'DNAT')) return 'DNAT';
  const share = new Map<FinalVerdict, number>();
  for (const o of outcomes) share.set(o.verdict, (share.get(o.verdict) ?? 0) + o.probability);
  let best: FinalVerdict = 'NONE';
  let bestP = -1;
  for (const [v, p] of share) {
    if (p > bestP) {
      best = v;
      bestP = p;
    }
  }
  return best;
}

function commonPrefix(paths: readonly TraceStep[][]): TraceStep[] {
  const first = paths[0];
  if (!first) return [];
  let n = first.length;
  for (const p of paths.slice(1)) {
    let i = 0;
    while (i < n && i < p.length && sameStep(p[i] as TraceStep, first[i] as TraceStep)) i++;
    n = i;
  }
  return first.slice(0, n);
}

function sameStep(a: TraceStep, b: TraceStep): boolean {
  return a.hook === b.hook && a.table === b.table && a.chain === b.chain && a.rule === b.rule && a.action === b.action && a.probability === b.probability;
}

/** The service port named by the first dispatch rule met (`ns/svc:port cluster IP`, a NodePort rule). */
function serviceOf(steps: readonly TraceStep[]): { name: string; via: string } | undefined {
  for (const s of steps) {
    if (!s.comment) continue;
    const c = readServiceComment(s.comment);
    if (!c) continue;
    const via = c.role === 'port' && s.chain === 'KUBE-NODEPORTS' ? 'node port' : DISPATCH_VIA[c.role];
    if (via !== undefined) return { name: formatServicePortName(c.spn), via };
  }
  return undefined;
}
