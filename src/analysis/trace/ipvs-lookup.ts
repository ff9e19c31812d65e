import type { IpvsRuleSet, RealServer, VirtualService } from '../../ast/types.js';
import { parseIp, type ParsedIp } from '../../kube/ip.js';
import type { Packet } from './packet.js';
import type { TraceNote } from './match-context.js';

/** Schedulers that share new connections equally among the real servers of positive weight. */
const EQUAL = new Set(['rr', 'lc', 'sed', 'nq', 'fo', 'ovf', 'lblc', 'lblcr']);
/** Schedulers that hash the client (or destination): one server per client, shares by weight. */
const HASHED = new Set(['sh', 'dh', 'mh']);

export interface IpvsChoice {
  server: RealServer;
  probability: number;
}

/** The IPVS virtual services of a node, for the lookup IPVS makes on a packet to a local address. */
export class IpvsIndex {
  private readonly byKey = new Map<string, VirtualService>();
  private readonly byMark = new Map<string, VirtualService>();
  readonly services: VirtualService[] = [];

  constructor(ruleSets: readonly IpvsRuleSet[]) {
    for (const rs of ruleSets) {
      for (const vs of rs.services) {
        this.services.push(vs);
        if (vs.protocol === 'fwmark') this.byMark.set(`${vs.family}/${vs.fwmark ?? 0}`, vs);
        else {
          const ip = parseIp(vs.address);
          if (ip) this.byKey.set(`${vs.protocol}/${ip.text}/${vs.port}`, vs);
        }
      }
    }
  }

  get size(): number {
    return this.services.length;
  }

  /** The virtual service a packet hits: by firewall mark first, then by protocol, address and port. */
  lookup(p: Packet): VirtualService | null {
    if (p.mark !== 0) {
      const m = this.byMark.get(`${p.family}/${p.mark}`);
      if (m) return m;
    }
    if (p.protocol === 'icmp' || p.dstPort === null) return null;
    return this.byKey.get(`${p.protocol}/${p.dst.text}/${p.dstPort}`) ?? null;
  }

  /** Every address that has a virtual service (bound to kube-ipvs0 unless it is a node IP). */
  addresses(): ParsedIp[] {
    const out = new Map<string, ParsedIp>();
    for (const vs of this.services) {
      const ip = vs.protocol === 'fwmark' ? null : parseIp(vs.address);
      if (ip) out.set(ip.text, ip);
    }
    return [...out.values()];
  }
}

/**
 * The share of new connections each real server of a virtual service gets: equal for rr-like
 * schedulers, by weight for weighted ones; servers of weight 0 (quiesced) get none. Servers whose
 * weight the listing does not show are taken as live and shares made equal, with a note.
 */
export function scheduleShares(vs: VirtualService): { choices: IpvsChoice[]; notes: TraceNote[] } {
  const notes: TraceNote[] = [];
  const live = vs.realServers.filter((r) => r.weight === undefined || r.weight > 0);
  const quiesced = vs.realServers.length - live.length;
  if (quiesced > 0) notes.push({ kind: 'info', message: `${quiesced} real server(s) of weight 0 take no new connections` });
  const unweighted = live.filter((r) => r.weight === undefined).length;
  if (unweighted > 0) notes.push({ kind: 'assumption', message: `${unweighted} real server(s) with no weight shown in the listing: taken as live, with equal shares` });
  if (live.length === 0) return { choices: [], notes };
  const sched = vs.scheduler;
  let choices: IpvsChoice[];
  if (EQUAL.has(sched) || unweighted > 0) {
    choices = live.map((server) => ({ server, probability: 1 / live.length }));
  } else {
    const weight = (r: RealServer) => r.weight ?? 0;
    const total = live.reduce((n, r) => n + weight(r), 0);
    choices = live.map((server) => ({ server, probability: weight(server) / total }));
  }
  if (sched === '') {
    notes.push({ kind: 'assumption', message: `the listing does not show the scheduler: shares are shown ${unweighted > 0 ? 'as if new connections were spread evenly' : 'by weight'}` });
  } else if (HASHED.has(sched)) {
    notes.push({ kind: 'assumption', message: `scheduler ${sched} hashes the ${sched === 'dh' ? 'destination' : 'client'}: one given client always reaches the same server; the shares are over many clients` });
  } else if (!EQUAL.has(sched) && !['wrr', 'wlc'].includes(sched)) {
    notes.push({ kind: 'assumption', message: `scheduler ${sched}: shares by weight for an idle node (connection counts are not known)` });
  } else if (sched === 'lc' || sched === 'wlc' || sched === 'sed' || sched === 'nq') {
    notes.push({ kind: 'assumption', message: `scheduler ${sched} picks by active connections; shares shown for an idle node` });
  }
  if (vs.persistence) {
    notes.push({ kind: 'affinity', message: `persistent service (timeout ${vs.persistence.timeout}s): a client seen within the timeout goes back to its earlier server` });
  }
  return { choices, notes };
}
