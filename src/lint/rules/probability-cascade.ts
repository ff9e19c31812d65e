import { probabilityToKernel } from '../../ast/xtables/values.js';
import { PROBABILITY_DECIMALS, probabilityText } from '../../kube/probability.js';
import type { TableIndex } from '../kube/rule-set-index.js';
import { AFFINITY, MODE, NTH, RANDOM } from '../kube/table-facts.js';
import { argAt, nodeAt, ruleAt } from '../positions.js';
import { docsUrl, iptablesRule, type Span } from '../types.js';

/**
 * kube-proxy spreads a service's new connections over its n endpoints with a cascade of random
 * jumps: the i-th of n jumps matches with probability 1/(n-i), the last one always. The kernel
 * keeps a probability as a 31-bit fraction (`lround(p * 2^31)`), so a jump is fine when its
 * kernel value is within one step (2^-31) of the ideal 1/(n-i); anything else skews the split
 * (an endpoint added or removed by hand), and a conditional last jump lets some connections fall
 * through the chain without being DNATed.
 *
 * In an excerpt, a chain may be shown with some of its jumps left out, and a cascade that looks
 * skewed may be an even one with lines missing. There, only what no missing line can explain is
 * reported: a probability that is not 1/k for a whole k, a jump whose probability is not above
 * the one before it, an unconditional jump with jumps after it. The rest is not judged, and the
 * rule says so once.
 */

const ONE = 0x80000000;

/** A kernel value for a jump without `--probability`: it takes all remaining traffic. */
const ALWAYS = -1;

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
      notAShare:
        '--probability {{given}} on the jump to {{sep}} is not 1/k for any whole number k, as every jump of an even split is: new connections are not spread evenly over the endpoints',
      notAbovePrevious:
        '--probability {{given}} on the jump to {{sep}} is not above the {{previous}} of the endpoint jump before it (line {{line}}): in an even split each jump takes a larger share of what is left, so new connections are not spread evenly',
      unconditionalInExcerpt:
        'the jump to {{sep}} has no --probability, so it takes all remaining traffic and the endpoint jump(s) after it (the first at line {{line}}) get none',
    },
  },
  check(context) {
    const { index, file } = context;
    const kube = index.kubeChains();
    if (!kube) return;
    const f = kube.facts;
    const nat = kube.nat;
    // One chain's endpoint jumps: their rule numbers and kernel values (or ALWAYS), in arrays
    // kept from chain to chain (`n` of them are in use).
    const steps: number[] = [];
    const kernels: number[] = [];
    let n = 0;
    // Probability texts repeat (`0.3333333333`…): each is read once.
    const kernelOf = new Map<string, number | undefined>();
    for (const kc of kube.all) {
      if (!kube.isServiceChain(kc)) continue;
      n = 0;
      let readable = true;
      const end = f.firstRule[kc + 1] as number;
      for (let r = f.firstRule[kc] as number; r < end && readable; r++) {
        const target = f.target[r];
        if (target === undefined) continue;
        // A jump to a KUBE-SEP-… name (a chain of the table or not).
        const tc = f.targetChain[r] as number;
        if (tc >= 0 ? !kube.isEndpointChain(tc) : !target.startsWith('KUBE-SEP-')) continue;
        const bits = f.bits[r] as number;
        if ((bits & AFFINITY) !== 0) continue;
        const prob = (f.probabilityArg[r] as number) >= 0;
        if (!prob && (bits & (MODE | NTH)) === 0) {
          steps[n] = r;
          kernels[n++] = ALWAYS;
          continue;
        }
        const text = f.probability[r];
        let kernel: number | undefined;
        if (text !== undefined) {
          kernel = kernelOf.get(text);
          if (kernel === undefined && !kernelOf.has(text)) {
            kernel = probabilityToKernel(text);
            kernelOf.set(text, kernel);
          }
        }
        if (!prob || (bits & RANDOM) === 0 || kernel === undefined) {
          readable = false;
          break;
        }
        steps[n] = r;
        kernels[n++] = kernel;
      }
      if (!readable || n === 0) continue;
      const verdicts = judgeWhole(n, kernels);
      const why = nat.partial;
      if (why === undefined || !nat.mayBeCut(kc)) {
        for (const v of verdicts) report(v, steps[v.i] as number);
        continue;
      }
      const seen = judgeExcerpt(n, kernels);
      for (const v of seen) report(v, steps[v.i] as number);
      if (verdicts.some((v) => !seen.some((s) => s.i === v.i))) context.notJudged(why, nodeAt(nat.table, file));
    }

    function report(v: Verdict, r: number): void {
      const rule = nat.ruleAt(r);
      const sep = f.target[r] as string;
      const given = f.probability[r] ?? '';
      const suppressions = rule.suppressions ?? [];
      const line = (step: number): string | number => nat.ruleAt(steps[step] as number).pos?.line ?? '?';
      switch (v.kind) {
        case 'lastConditional':
          context.report({ messageId: 'lastConditional', data: { sep, given, fallthrough: percent(v.fallthrough) }, at: probabilityAt(nat, r, file), suppressions });
          break;
        case 'unconditional':
          context.report({ messageId: 'unconditional', data: { sep, nth: v.i + 1, count: v.count, after: v.count - v.i - 1 }, at: ruleAt(rule, file), suppressions });
          break;
        case 'skewed':
          context.report({
            messageId: 'skewed',
            data: { given, sep, nth: v.i + 1, count: v.count, share: percent(v.share), remaining: v.remaining, expected: (1 / v.remaining).toFixed(10) },
            at: probabilityAt(nat, r, file),
            suppressions,
          });
          break;
        case 'notAShare':
          context.report({ messageId: 'notAShare', data: { given, sep }, at: probabilityAt(nat, r, file), suppressions });
          break;
        case 'notAbovePrevious':
          context.report({
            messageId: 'notAbovePrevious',
            data: { given, sep, previous: f.probability[steps[v.previous] as number] ?? '', line: line(v.previous) },
            at: probabilityAt(nat, r, file),
            suppressions,
          });
          break;
        case 'unconditionalInExcerpt':
          context.report({ messageId: 'unconditionalInExcerpt', data: { sep, line: line(v.i + 1) }, at: ruleAt(rule, file), suppressions });
          break;
      }
    }
  },
});

/** What is wrong with the i-th endpoint jump of a chain's cascade. */
type Verdict =
  | { i: number; kind: 'lastConditional'; fallthrough: number }
  | { i: number; kind: 'unconditional'; count: number }
  | { i: number; kind: 'skewed'; count: number; share: number; remaining: number }
  | { i: number; kind: 'notAShare' }
  | { i: number; kind: 'notAbovePrevious'; previous: number }
  | { i: number; kind: 'unconditionalInExcerpt' };

/** The cascade of a chain shown whole: its `n` jumps' kernel values (or ALWAYS) against the even split of n endpoints. */
function judgeWhole(n: number, kernels: readonly number[]): Verdict[] {
  const out: Verdict[] = [];
  let rest = 1;
  for (let i = 0; i < n; i++) {
    const kernel = kernels[i] as number;
    const remaining = n - i;
    const p = kernel === ALWAYS ? 1 : kernel / ONE;
    const share = rest * p;
    if (i === n - 1) {
      if (kernel !== ALWAYS && kernel < ONE) out.push({ i, kind: 'lastConditional', fallthrough: rest - share });
    } else if (kernel === ALWAYS) {
      out.push({ i, kind: 'unconditional', count: n });
      break;
    } else if (!isShare(kernel, remaining)) {
      out.push({ i, kind: 'skewed', count: n, share, remaining });
    }
    rest -= share;
  }
  return out;
}

/**
 * The cascade of a chain an excerpt may show in part: what stays wrong whatever jumps are left
 * out. The jumps of an even split have probabilities 1/k for k = n, n-1, … 2 and a last
 * unconditional jump; left-out jumps leave ks that still fall from one jump to the next.
 */
function judgeExcerpt(n: number, kernels: readonly number[]): Verdict[] {
  const out: Verdict[] = [];
  let previous = -1;
  let previousK = Infinity;
  for (let i = 0; i < n; i++) {
    const kernel = kernels[i] as number;
    if (kernel === ALWAYS) {
      if (i < n - 1) out.push({ i, kind: 'unconditionalInExcerpt' });
      break;
    }
    if (kernel >= ONE) continue;
    const k = kernel > 0 ? Math.round(ONE / kernel) : 0;
    if (k < 2 || !isShare(kernel, k)) {
      out.push({ i, kind: 'notAShare' });
      continue;
    }
    if (k >= previousK) out.push({ i, kind: 'notAbovePrevious', previous });
    previous = i;
    previousK = k;
  }
  return out;
}

/**
 * Whether a kernel value is 1/n: exactly (within the kernel's resolution), or as older
 * kube-proxy printed it with fewer decimals (`0.33333`, which iptables-save shows as
 * `0.33332999982`), an even split as kube-proxy meant it.
 */
function isShare(kernel: number, n: number): boolean {
  if (Math.abs(kernel - ONE / n) <= 1) return true;
  return PROBABILITY_DECIMALS.some((d) => d !== 10 && Math.abs(kernel - (probabilityToKernel(probabilityText(n, d)) ?? -2)) <= 1);
}

/** Rule `r`'s `--probability` argument, or the rule when it has none. */
function probabilityAt(nat: TableIndex, r: number, file: string): Span {
  const rule = nat.ruleAt(r);
  const at = nat.facts().probabilityArg[r] as number;
  return at >= 0 ? argAt(rule.args[at], rule, file) : ruleAt(rule, file);
}

export function percent(fraction: number): string {
  const v = fraction * 100;
  if (v === 0) return '0%';
  return `${v >= 1 ? v.toFixed(2) : v.toPrecision(3)}%`;
}
