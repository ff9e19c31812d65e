/**
 * How kube-proxy writes the probability of a random split: the i-th of n endpoint jumps matches
 * with probability 1/(n-i), printed by Go's `%0.10f` today and `%0.5f` by older kube-proxy (up to
 * about 1.16). Go and `toFixed` both round the double nearest 1/n; they differ only when that
 * double is exactly halfway, where Go rounds to even (1/2048 is `0.0004882812`) and `toFixed` up.
 */

/** The decimals kube-proxy has printed a probability with: today's first, then the older ones. */
export const PROBABILITY_DECIMALS = [10, 5] as const;

export type ProbabilityDecimals = (typeof PROBABILITY_DECIMALS)[number];

/** 1/n as kube-proxy prints it with `decimals` decimals (n a positive integer). */
export function probabilityText(n: number, decimals: ProbabilityDecimals = 10): string {
  const text = (1 / n).toFixed(decimals);
  // The double 1/n is exact only for a power of two; it is a half then when 2·10^d / n is odd.
  const scale = 10 ** decimals;
  const exactHalf = (n & (n - 1)) === 0 && (2 * scale) % n === 0 && ((2 * scale) / n) % 2 === 1;
  if (!exactHalf) return text;
  const up = Math.round(Number(text) * scale);
  if (up % 2 === 0) return text;
  const digits = String(up - 1).padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
