import { negate, notModelled, type MatchEvaluator, type MatchVerdict } from '../match-context.js';
import { optionValue, findOption } from '../rule-parts.js';
import { probabilityFraction, probabilityToKernel } from '../../../ast/xtables/values.js';

/**
 * A probability once the kernel has stored it: a multiple of 2^-31 (iptables-save prints it back
 * as e.g. 0.33333333349).
 */
export function kernelProbability(p: number): number {
  return probabilityFraction(Math.min(Math.max(p, 0), 1)) / 0x80000000;
}

/** `-m statistic --mode random --probability P` (a random split) or `--mode nth`. */
export const statisticMatch: MatchEvaluator = (options) => {
  const mode = optionValue(options, '--mode') ?? 'random';
  if (mode === 'random') {
    const o = findOption(options, '--probability');
    const k = o ? probabilityToKernel(o.values[0] ?? '') : undefined;
    if (!o || k === undefined) return notModelled(`-m statistic --probability ${o?.values[0] ?? '(none)'}`);
    return negate({ p: k / 0x80000000, notes: [] }, o.negated);
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
