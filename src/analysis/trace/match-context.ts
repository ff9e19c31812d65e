import type { Arg } from '../../ast/types.js';
import type { IpsetIndex } from './ipset-index.js';
import type { LocalAddresses } from './local-addresses.js';
import type { Packet } from './packet.js';

/** The netfilter hooks a packet meets, in kernel terms. */
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/**
 * Something the trace wants the reader to know about a rule it met: session affinity it assumed
 * absent, a match it does not model, an assumption it made.
 */
export interface TraceNote {
  kind: 'affinity' | 'not-modelled' | 'assumption' | 'info';
  message: string;
  /** Where it was met: `table/CHAIN#n` (1-based rule number). */
  at?: string;
}

export interface TraceOptions {
  /**
   * Treat `-m recent --rcheck/--update` as matching (the client already has an affinity entry).
   * Off by default: a first packet has none.
   */
  assumeAffinity?: boolean;
}

export interface MatchContext {
  packet: Packet;
  local: LocalAddresses;
  hook: Hook;
  ipsets: IpsetIndex | null;
  /** Whether an address:port/protocol is an IPVS virtual service (for `-m ipvs`). */
  isVirtualService: (packet: Packet) => boolean;
  options: TraceOptions;
}

/**
 * How likely a match is to hold for the packet: 1 (it does), 0 (it does not), or a probability
 * strictly between (the `statistic` match). A match rulec cannot judge gives 0 and a note.
 */
export interface MatchVerdict {
  p: number;
  notes: TraceNote[];
}

export type MatchEvaluator = (options: readonly Arg[], ctx: MatchContext) => MatchVerdict;

export const YES: MatchVerdict = { p: 1, notes: [] };
export const NO: MatchVerdict = { p: 0, notes: [] };

export function yesNo(b: boolean): MatchVerdict {
  return b ? YES : NO;
}

export function notModelled(message: string): MatchVerdict {
  return { p: 0, notes: [{ kind: 'not-modelled', message: `${message}: not modelled; assumed not to match` }] };
}

/** Combines the verdicts of the parts of one rule: all must hold. */
export function allOf(verdicts: readonly MatchVerdict[]): MatchVerdict {
  let p = 1;
  const notes: TraceNote[] = [];
  for (const v of verdicts) {
    p *= v.p;
    notes.push(...v.notes);
  }
  return { p, notes };
}

/** Applies an option's `!`. */
export function negate(v: MatchVerdict, negated: boolean): MatchVerdict {
  if (!negated) return v;
  if (v.notes.some((n) => n.kind === 'not-modelled')) return v;
  return { p: 1 - v.p, notes: v.notes };
}
