import type { Hook, TraceNote } from './match-context.js';
import type { Packet } from './packet.js';

/** One rule (or chain policy) the packet met and what it did there. */
export interface TraceStep {
  hook: Hook;
  table: string;
  chain: string;
  /** 1-based rule number in the chain; null for the chain's policy or an IPVS step. */
  rule: number | null;
  /** The rule as `-A CHAIN …` (or `:CHAIN POLICY`, or the IPVS service). */
  text: string;
  /** What happened: `jump KUBE-SVC-…`, `DNAT to 10.0.0.1:80`, `MARK or 0x4000`, `policy ACCEPT`, … */
  action: string;
  /** The rule's comment, when it has one. */
  comment?: string;
  /** Set on a rule taken with a probability below 1 (a random split). */
  probability?: number;
  /** `file:line` of the rule in the input, when known. */
  source?: string;
}

/**
 * One possible way of the packet: a random split forks the packet into branches, each with the
 * probability of being taken, its own packet (DNATed differently), path and notes.
 */
export interface Branch {
  packet: Packet;
  probability: number;
  steps: TraceStep[];
  notes: TraceNote[];
  /** The packet jumped to KUBE-MARK-MASQ (it carries the masquerade mark). */
  markedForMasquerade: boolean;
  /** A MASQUERADE or SNAT rule rewrote its source in POSTROUTING. */
  masqueraded: boolean;
  /** The first DNAT destination applied, `IP:port`. */
  dnatTo: string | null;
}

export function forkBranch(b: Branch, probability: number): Branch {
  return { ...b, probability, steps: [...b.steps], notes: [...b.notes] };
}
