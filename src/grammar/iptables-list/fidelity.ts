/**
 * What a listing can hide of the rules, one kind each, in the order `lossyBecause` lists them.
 * Counters rounded to K/M/G/T are not among them: counters are not part of the rules.
 */
export const LOSS_REASONS = {
  'host-names': 'host names instead of addresses (no -n)',
  'port-names': 'service names rulec does not know instead of port numbers (no -n)',
  'icmp-names': 'ICMP type names instead of numbers (no -n)',
  'user-names': 'user or group names instead of IDs (no -n)',
  'no-interfaces': 'no interfaces shown (no -v): in/out matches are unknown',
  unparsed: 'match text not understood (kept as --rulec-unparsed)',
} as const;

export type LossKind = keyof typeof LOSS_REASONS;

/** The reasons for a set of loss kinds, in `LOSS_REASONS` order. */
export function lossReasons(kinds: ReadonlySet<LossKind>): string[] {
  return (Object.keys(LOSS_REASONS) as LossKind[]).filter((k) => kinds.has(k)).map((k) => LOSS_REASONS[k]);
}
