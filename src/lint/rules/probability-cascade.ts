import type { Arg, Rule } from '../../ast/types.js';
import { probabilityToKernel } from '../../ast/xtables/values.js';
import { argAt, ruleAt } from '../positions.js';
import { docsUrl, iptablesRule } from '../types.js';

/**
 * kube-proxy spreads a service's new connections over its n endpoints with a cascade of random
 * jumps: the i-th of n jumps matches with probability 1/(n-i), the last one always. The kernel
 * keeps a probability as a 31-bit fraction (`lround(p * 2^31)`), so a jump is fine when its
 * kernel value is within one step (2^-31) of the ideal 1/(n-i); anything else skews the split
 * (an endpoint added or removed by hand), and a conditional last jump lets some connections fall
 * through the chain without being DNATed.
 */

const ONE = 0x80000000;

interface Step {
  rule: Rule;
  target: string;
  /** Kernel value of the probability; undefined for an unconditional jump. */
  kernel?: number;
  text?: string;
  arg?: Arg;
}

export default iptablesRule({
  meta: {
    id: 'probability-cascade',
    severity: 'error',
    target: 'iptables',
    docs: {
      description:
        "The random-probability jumps of a KUBE-SVC/KUBE-SVL chain do not split traffic evenly (within the kernel's 2^-31 resolution), or the last jump is not unconditional.",
      url: docsUrl('probability-cascade'),
    },
    messages: {
      skewed:
        '--probability {{given}} on the jump to {{sep}} (endpoint {{nth}} of {{count}}) sends it {{share}} of new connections; an even split needs 1/{{remaining}} ({{expected}}) here',
      unconditional:
        'the jump to {{sep}} (endpoint {{nth}} of {{count}}) has no --probability, so it takes all remaining traffic and the {{after}} endpoint(s) after it get none',
      lastConditional:
        'the last endpoint jump (to {{sep}}) has --probability {{given}}: {{fallthrough}} of new connections match no endpoint and are not DNATed',
    },
  },
  check(context) {
    const { index, file } = context;
    const kube = index.kubeChains();
    if (!kube) return;
    for (const kc of kube.all) {
      if (kc.kind !== 'SVC' && kc.kind !== 'SVL' && kc.kind !== 'XLB') continue;
      const steps: Step[] = [];
      let readable = true;
      const rules = kc.chain.rules;
      for (let r = 0; r < rules.length && readable; r++) {
        const target = kc.targets[r];
        if (target === undefined || !target.startsWith('KUBE-SEP-')) continue;
        const rule = rules[r] as Rule;
        let prob: Arg | undefined;
        let mode: string | undefined;
        let affinity = false;
        let other = false;
        for (const a of rule.args) {
          if (a.flag === '--probability') prob = a;
          else if (a.flag === '--mode') mode = a.values[0];
          else if (a.flag === '--rcheck' || a.flag === '--update') affinity = true;
          else if (a.flag === '--every' || a.flag === '--packet') other = true;
        }
        if (affinity) continue;
        if (!prob && mode === undefined && !other) {
          steps.push({ rule, target });
          continue;
        }
        const text = prob?.values[0];
        const kernel = text === undefined ? undefined : probabilityToKernel(text);
        if (!prob || mode !== 'random' || kernel === undefined || text === undefined) {
          readable = false;
          break;
        }
        steps.push({ rule, target, kernel, text, arg: prob });
      }
      if (!readable || steps.length === 0) continue;
      const n = steps.length;
      let rest = 1;
      for (let i = 0; i < n; i++) {
        const s = steps[i] as Step;
        const remaining = n - i;
        const p = s.kernel === undefined ? 1 : s.kernel / ONE;
        const share = rest * p;
        if (i === n - 1) {
          if (s.kernel !== undefined && s.kernel < ONE) {
            context.report({
              messageId: 'lastConditional',
              data: { sep: s.target, given: s.text ?? '', fallthrough: percent(rest - share) },
              at: probabilityAt(s, file),
              suppressions: s.rule.suppressions ?? [],
            });
          }
        } else if (s.kernel === undefined) {
          context.report({
            messageId: 'unconditional',
            data: { sep: s.target, nth: i + 1, count: n, after: n - i - 1 },
            at: ruleAt(s.rule, file),
            suppressions: s.rule.suppressions ?? [],
          });
          break;
        } else if (Math.abs(s.kernel - ONE / remaining) > 1) {
          context.report({
            messageId: 'skewed',
            data: {
              given: s.text ?? '',
              sep: s.target,
              nth: i + 1,
              count: n,
              share: percent(share),
              remaining,
              expected: (1 / remaining).toFixed(10),
            },
            at: probabilityAt(s, file),
            suppressions: s.rule.suppressions ?? [],
          });
        }
        rest -= share;
      }
    }
  },
});

function probabilityAt(s: Step, file: string) {
  return s.arg ? argAt(s.arg, s.rule, file) : ruleAt(s.rule, file);
}

export function percent(fraction: number): string {
  const v = fraction * 100;
  if (v === 0) return '0%';
  return `${v >= 1 ? v.toFixed(2) : v.toPrecision(3)}%`;
}
