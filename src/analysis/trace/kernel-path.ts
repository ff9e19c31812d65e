import { formatHostPort, withChanges, type TraceOrigin } from './packet.js';
import { forkBranch, type Branch } from './branch.js';
import { IndexedTable, walkTable, type TableVerdict } from './chain-walker.js';
import type { IpsetIndex } from './ipset-index.js';
import { scheduleShares, type IpvsIndex } from './ipvs-lookup.js';
import type { LocalAddresses } from './local-addresses.js';
import type { Hook, MatchContext, TraceOptions } from './match-context.js';
import { parseIp } from '../../kube/ip.js';
import type { NftChain } from '../../ast/nft-types.js';
import { walkNftChain, type NftTable } from './nft-walker.js';

/** The tables the kernel runs at each hook, in priority order (raw, mangle, nat, filter, security). */
const TABLES_AT: Record<Hook, readonly string[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'security', 'nat'],
  FORWARD: ['mangle', 'filter', 'security'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter', 'security'],
  POSTROUTING: ['mangle', 'nat'],
};

/** What happened to one branch in the end. */
export type FinalVerdict = 'DNAT' | 'ACCEPT' | 'DROP' | 'REJECT' | 'NONE' | 'QUEUE';

export interface FinalBranch {
  branch: Branch;
  verdict: FinalVerdict;
  /** Whether the packet ends up delivered to the node itself or forwarded on (before any DROP). */
  delivery: 'local' | 'forward';
}

/** The rules of one IP family of a node. */
export interface FamilyRules {
  tables: Map<string, IndexedTable>;
  ipvs: IpvsIndex;
  ipsets: IpsetIndex | null;
  /** nftables tables (kube-proxy's nftables mode), whose base chains run at their hooks by priority. */
  nft: readonly NftTable[];
}

/** The priority of each iptables table at a hook (nat is dstnat before routing, srcnat after). */
function tablePriority(table: string, hook: Hook): number {
  switch (table) {
    case 'raw':
      return -300;
    case 'mangle':
      return -150;
    case 'nat':
      return hook === 'PREROUTING' || hook === 'OUTPUT' ? -100 : 100;
    case 'security':
      return 50;
    default:
      return 0;
  }
}

/** One table or nftables base chain a hook runs. */
type Stage = { priority: number; iptables: string } | { priority: number; nft: NftTable; chain: NftChain; type: 'filter' | 'nat' };

interface Walk {
  branch: Branch;
  /** Set when the branch was dropped, rejected or queued. */
  stopped: FinalVerdict | null;
  /** A filter (or other) table ACCEPTed it explicitly. */
  accepted: boolean;
}

/**
 * Follows the first packet of a connection through the node as the kernel does:
 * from an interface, PREROUTING (raw, mangle, nat), the routing decision on the (DNATed)
 * destination, then INPUT (and IPVS for a virtual service) or FORWARD, then POSTROUTING; from a
 * process on the node, OUTPUT (IPVS right after nat), POSTROUTING and, for a local destination,
 * INPUT through the loopback interface.
 */
export function traceThroughKernel(rules: FamilyRules, start: Branch, origin: TraceOrigin, local: LocalAddresses, options: TraceOptions): FinalBranch[] {
  const makeCtx = (hook: Hook) => (b: Branch): MatchContext => ({
    packet: b.packet,
    local,
    hook,
    ipsets: rules.ipsets,
    isVirtualService: (p) => rules.ipvs.lookup(p) !== null,
    options,
  });

  /**
   * Runs the tables (and the nftables base chains with a priority in `[from, to]`) a hook runs,
   * in priority order.
   */
  const runHook = (walks: Walk[], hook: Hook, tables: readonly string[] = TABLES_AT[hook], from = -Infinity, to = Infinity): Walk[] => {
    const stages: Stage[] = tables.map((t) => ({ priority: tablePriority(t, hook), iptables: t }));
    for (const nft of rules.nft) {
      for (const b of nft.bases) if (b.hook === hook && b.priority >= from && b.priority <= to) stages.push({ priority: b.priority, nft, chain: b.chain, type: b.type });
    }
    stages.sort((a, b) => a.priority - b.priority);
    let current = walks;
    for (const stage of stages) {
      const table = 'iptables' in stage ? rules.tables.get(stage.iptables) : undefined;
      if ('iptables' in stage && !table) continue;
      const next: Walk[] = [];
      for (const w of current) {
        if (w.stopped) {
          next.push(w);
          continue;
        }
        const results = 'iptables' in stage ? walkTable(table as IndexedTable, hook, hook, w.branch, makeCtx(hook)) : walkNftChain(stage.nft, stage.chain, hook, w.branch, makeCtx(hook));
        for (const r of results) next.push(toWalk(r.branch, r.verdict, w.accepted, 'iptables' in stage ? stage.iptables : stage.type));
      }
      current = next;
    }
    return current;
  };

  /** IPVS: a packet to a virtual service is balanced to a real server (hit); others pass (miss). */
  const ipvsStep = (walks: Walk[], hook: Hook): { hit: Walk[]; miss: Walk[] } => {
    const hit: Walk[] = [];
    const miss: Walk[] = [];
    for (const w of walks) {
      const vs = w.stopped || rules.ipvs.size === 0 ? null : rules.ipvs.lookup(w.branch.packet);
      if (!vs) {
        miss.push(w);
        continue;
      }
      const { choices, notes } = scheduleShares(vs);
      const vip = formatHostPort(w.branch.packet.dst, w.branch.packet.dstPort);
      const selector = vs.protocol === 'fwmark' ? `-f ${vs.fwmark ?? 0}` : `${vs.protocol === 'tcp' ? '-t' : vs.protocol === 'udp' ? '-u' : '--sctp-service'} ${vip}`;
      const vsText = `-A ${selector} -s ${vs.scheduler}${vs.persistence ? ` -p ${vs.persistence.timeout}` : ''}`;
      for (const n of notes) w.branch.notes.push({ ...n, at: `ipvs ${selector}` });
      if (choices.length === 0) {
        w.branch.steps.push({ hook, table: 'ipvs', chain: selector, rule: null, text: vsText, action: 'no real servers: IPVS refuses the connection (ICMP port unreachable)' });
        hit.push({ ...w, stopped: 'REJECT' });
        continue;
      }
      for (const c of choices) {
        const ip = parseIp(c.server.address);
        if (!ip) continue;
        const b = choices.length === 1 ? w.branch : forkBranch(w.branch, w.branch.probability * c.probability);
        const dest = formatHostPort(ip, c.server.port);
        b.steps.push({
          hook,
          table: 'ipvs',
          chain: selector,
          rule: null,
          text: `-a ${selector} -r ${dest}${c.server.weight === undefined ? '' : ` -w ${c.server.weight}`}`,
          action: `IPVS ${c.server.forward === 'masq' ? 'NAT' : (c.server.forward ?? '(forwarding not shown)')} to ${dest} (scheduler ${vs.scheduler || 'not shown'})`,
          ...(choices.length > 1 ? { probability: c.probability } : {}),
        });
        b.packet = withChanges(b.packet, { dst: ip, dstPort: c.server.port, dnat: true });
        if (b.dnatTo === null) b.dnatTo = dest;
        hit.push({ branch: b, stopped: null, accepted: w.accepted });
      }
    }
    return { hit, miss };
  };

  let walks: Walk[] = [{ branch: start, stopped: null, accepted: false }];
  const finals: FinalBranch[] = [];
  const finish = (list: Walk[], delivery: 'local' | 'forward') => {
    for (const w of list) finals.push({ branch: w.branch, verdict: finalVerdict(w), delivery });
  };

  if (origin === 'node') {
    walks = runHook(walks, 'OUTPUT', ['raw', 'mangle', 'nat'], -Infinity, -100);
    const vs = ipvsStep(walks, 'OUTPUT');
    walks = [...vs.hit, ...vs.miss];
    walks = runHook(walks, 'OUTPUT', ['filter', 'security'], -99);
    walks = runHook(walks, 'POSTROUTING');
    const toLocal = walks.filter((w) => !w.stopped && local.isLocal(w.branch.packet.dst));
    const away = walks.filter((w) => w.stopped || !local.isLocal(w.branch.packet.dst));
    finish(away, 'forward');
    // Through the loopback interface: nat was decided on the way out, the other tables run again.
    finish(runHook(toLocal, 'INPUT', ['mangle', 'filter', 'security'], -Infinity, 50), 'local');
    return finals;
  }

  walks = runHook(walks, 'PREROUTING');
  const toLocal = walks.filter((w) => !w.stopped && local.isLocal(w.branch.packet.dst));
  const forwarded = walks.filter((w) => w.stopped || !local.isLocal(w.branch.packet.dst));
  // Local delivery: filter INPUT, then IPVS (which forwards what it balances), then nat INPUT.
  const vs = ipvsStep(runHook(toLocal, 'INPUT', ['mangle', 'filter', 'security'], -Infinity, 50), 'INPUT');
  finish(runHook(vs.miss, 'INPUT', ['nat'], 51), 'local');
  finish(runHook(vs.hit, 'POSTROUTING'), 'forward');
  let fwd = runHook(forwarded, 'FORWARD');
  fwd = runHook(fwd, 'POSTROUTING');
  finish(fwd, 'forward');
  return finals;
}

function toWalk(branch: Branch, verdict: TableVerdict, accepted: boolean, table: string): Walk {
  switch (verdict) {
    case 'DROP':
    case 'REJECT':
    case 'QUEUE':
      return { branch, stopped: verdict, accepted };
    case 'ACCEPT':
      return { branch, stopped: null, accepted: accepted || table === 'filter' };
    default:
      return { branch, stopped: null, accepted };
  }
}

function finalVerdict(w: Walk): FinalVerdict {
  if (w.stopped) return w.stopped;
  if (w.branch.dnatTo !== null) return 'DNAT';
  return w.accepted ? 'ACCEPT' : 'NONE';
}
