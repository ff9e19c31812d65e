import { own } from '../../records.js';

/**
 * Counters as `iptables -L -v` prints them: exact with `-x`, otherwise rounded with a K, M, G or
 * T suffix (powers of 1000, as xtables_print_num does), e.g. `1859K` → 1,859,000.
 */
const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

export interface CounterValue {
  value: number;
  /** True when the value was printed with a suffix and is only known to about 3 digits. */
  rounded: boolean;
}

export function parseCounter(text: string): CounterValue | undefined {
  const last = text.charAt(text.length - 1);
  const mult = own(SUFFIX, last);
  const digits = mult === undefined ? text : text.slice(0, -1);
  if (digits.length === 0) return undefined;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return { value: Number(digits) * (mult ?? 1), rounded: mult !== undefined };
}
