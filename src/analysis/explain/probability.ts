import { formatKernelProbability, probabilityToKernel } from '../../ast/xtables/values.js';
import { PROBABILITY_DECIMALS, probabilityText } from '../../kube/probability.js';

/** How a probability that splits evenly reached the text: as kube-proxy wrote it, or as iptables-save prints it back. */
export type SplitForm = 'written' | 'written-old' | 'saved' | 'saved-old';

/** A probability read as the even split 1/n kube-proxy meant, and the text kube-proxy wrote. */
export interface EvenSplit {
  n: number;
  form: SplitForm;
  written: string;
}

/**
 * The even split a `--probability` text stands for: 1/n as kube-proxy writes it (ten decimals, or
 * five before about 1.17), or that text after the kernel keeps it as a multiple of 2^-31 and
 * iptables-save prints it back with eleven decimals (`0.33332999982` is the older `0.33333`,
 * `0.33333333349` today's `0.3333333333`). Undefined for any other text, and when several n are
 * written the same way (five decimals cannot tell 1/1000 from 1/1001).
 */
export function evenSplitOf(text: string): EvenSplit | undefined {
  const p = Number(text);
  if (!/^[01]\.[0-9]+$/.test(text) || !(p > 0 && p <= 1)) return undefined;
  const guess = Math.round(1 / p);
  const found: EvenSplit[] = [];
  for (let n = Math.max(1, guess - 2); n <= guess + 2; n++) {
    const hit = formOf(text, n);
    if (hit) found.push(hit);
  }
  return found.length === 1 ? found[0] : undefined;
}

function formOf(text: string, n: number): EvenSplit | undefined {
  for (const d of PROBABILITY_DECIMALS) {
    const written = probabilityText(n, d);
    if (written === text) return { n, form: d === 10 ? 'written' : 'written-old', written };
  }
  for (const d of PROBABILITY_DECIMALS) {
    const written = probabilityText(n, d);
    const kernel = probabilityToKernel(written);
    if (kernel !== undefined && formatKernelProbability(kernel) === text) return { n, form: d === 10 ? 'saved' : 'saved-old', written };
  }
  return undefined;
}
