import type { Arg, Rule } from '../../ast/types.js';

/**
 * Cheap reads of a rule's arguments for the facts every kube-proxy rule states plainly: its
 * target, comment, protocol and addresses. They scan the argument list without building the
 * full typed view (`rule-view.ts`), so rules that look at every line of a 400,000-line dump
 * stay linear and allocate nothing per rule. The spellings are iptables' own (short and long).
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

/** Just the target's name. */
export { ruleTargetName as targetName } from '../../ast/rule-view.js';

/**
 * What kube-proxy's rules say about the service they serve, read in one pass over the
 * arguments: the first comment, the protocol and source (unless negated), the DNAT destination.
 * The result object is reused by every call (read it before the next).
 */
export interface ServiceFacts {
  comment: string | undefined;
  protocol: string | undefined;
  toDestination: string | undefined;
  /** The `-s` value, when not negated. */
  source: string | undefined;
}

const facts: ServiceFacts = { comment: undefined, protocol: undefined, toDestination: undefined, source: undefined };

export function scanServiceFacts(rule: Rule): ServiceFacts {
  facts.comment = undefined;
  facts.protocol = undefined;
  facts.toDestination = undefined;
  facts.source = undefined;
  let afterTarget = false;
  for (const a of rule.args) {
    const f = a.flag;
    if (f === '--comment') {
      if (facts.comment === undefined) facts.comment = a.values[0];
    } else if (f === '-p' || f === '--protocol') {
      if (!afterTarget && !a.negated && facts.protocol === undefined) {
        const v = (a.values[0] ?? '').toLowerCase();
        facts.protocol = v === '6' ? 'tcp' : v === '17' ? 'udp' : v === '132' ? 'sctp' : v || undefined;
      }
    } else if (f === '-s' || f === '--source' || f === '--src') {
      if (!afterTarget && !a.negated && facts.source === undefined) facts.source = a.values[0];
    } else if (f === '-j' || f === '--jump' || f === '-g' || f === '--goto') afterTarget = true;
    else if (afterTarget && (f === '--to-destination' || f === '--to') && facts.toDestination === undefined) facts.toDestination = a.values[0];
  }
  return facts;
}


