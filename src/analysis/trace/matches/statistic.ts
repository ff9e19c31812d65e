import { negate, notModelled, type MatchEvaluator, type MatchVerdict } from '../match-context.js';
import { optionValue, findOption } from '../rule-parts.js';

/**
 * The probability the kernel really applies for `--probability P`: iptables stores
 * `lround(P * 2^31)` and the match holds when a random 31-bit number is below it, so P is rounded
 * to a multiple of 2^-31 (iptables-save prints it back as e.g. 0.33333333349).
 */
export function kernelProbability(p: number): number {
  const scaled = Math.round(p * 0x80000000);
  return Math.min(Math.max(scaled, 0), 0x80000000) / 0x80000000;
}

/** `-m statistic --mode random --probability P` (a random split) or `--mode nth`. */
export const statisticMatch: MatchEvaluator = (options) => {
  const mode = optionValue(options, '--mode') ?? 'random';
  if (mode === 'random') {
    const o = findOption(options, '--probability');
    const p = Number(o?.values[0]);
    if (!o || !Number.isFinite(p) || p < 0 || p > 1) return notModelled(`-m statistic --probability ${o?.values[0] ?? '(none)'}`);
    return negate({ p: kernelProbability(p), notes: [] }, o.negated);
  }
  if (mode === 'nth') {
    const every = Number(optionValue(options, '--every'));
    if (!Number.isInteger(every) || every < 1) return notModelled('-m statistic --mode nth');
    const v: MatchVerdict = {
      p: 1 / every,
      notes: [{ kind: 'assumption', message: `-m statistic --mode nth --every ${every}: a packet counter; counted as probability 1/${every}` }],
    };
    return negate(v, findOption(options, '--every')?.negated ?? false);
  }
  return notModelled(`-m statistic --mode ${mode}`);
};
