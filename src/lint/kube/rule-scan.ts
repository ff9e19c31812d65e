import type { Arg, Rule } from '../../ast/types.js';

/**
 * A cheap read of a rule's target: it scans the argument list without building the full typed
 * view (`rule-view.ts`). The spellings are iptables' own (short and long).
 */

const TARGET_FLAGS: Readonly<Record<string, 'jump' | 'goto'>> = { '-j': 'jump', '--jump': 'jump', '-g': 'goto', '--goto': 'goto' };

export interface ScannedTarget {
  name: string;
  kind: 'jump' | 'goto';
  arg: Arg;
  /** Position of the target argument in `rule.args`. */
  at: number;
}

/** The rule's `-j`/`-g` target (the last one written, as iptables takes it). */
export function scanTarget(rule: Rule): ScannedTarget | undefined {
  const args = rule.args;
  for (let i = args.length - 1; i >= 0; i--) {
    const a = args[i] as Arg;
    const kind = TARGET_FLAGS[a.flag];
    if (kind !== undefined) {
      const name = a.values[0];
      return name === undefined ? undefined : { name, kind, arg: a, at: i };
    }
  }
  return undefined;
}
