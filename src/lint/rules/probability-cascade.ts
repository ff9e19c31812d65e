import { probabilityToKernel } from '../../ast/xtables/values.js';
import { PROBABILITY_DECIMALS, probabilityText } from '../../kube/probability.js';
import type { TableIndex } from '../kube/rule-set-index.js';
import { AFFINITY, MODE, NTH, RANDOM } from '../kube/table-facts.js';
import { argAt, ruleAt } from '../positions.js';
import { docsUrl, iptablesRule, type Span } from '../types.js';

/**
 * kube-proxy spreads a service's new connections over its n endpoints with a cascade of random
 * jumps: the i-th of n jumps matches with probability 1/(n-i), the last one always. The kernel
 * keeps a probability as a 31-bit fraction (`lround(p * 2^31)`), so a jump is fine when its
 * kernel value is within one step (2^-31) of the ideal 1/(n-i); anything else skews the split
 * (an endpoint added or removed by hand), and a conditional last jump lets some connections fall
 * through the chain without being DNATed.
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
      let rest = 1;
      for (let i = 0; i < n; i++) {
        const r = steps[i] as number;
        const kernel = kernels[i] as number;
        const sep = f.target[r] as string;
        const given = f.probability[r] ?? '';
        const remaining = n - i;
        const p = kernel === ALWAYS ? 1 : kernel / ONE;
        const share = rest * p;
        if (i === n - 1) {
          if (kernel !== ALWAYS && kernel < ONE) {
            context.report({
              messageId: 'lastConditional',
              data: { sep, given, fallthrough: percent(rest - share) },
              at: probabilityAt(nat, r, file),
              suppressions: nat.ruleAt(r).suppressions ?? [],
            });
          }
        } else if (kernel === ALWAYS) {
          context.report({
            messageId: 'unconditional',
            data: { sep, nth: i + 1, count: n, after: n - i - 1 },
            at: ruleAt(nat.ruleAt(r), file),
            suppressions: nat.ruleAt(r).suppressions ?? [],
          });
          break;
        } else if (Math.abs(kernel - ONE / remaining) > 1 && !isOlderKubeProxyText(kernel, remaining)) {
          context.report({
            messageId: 'skewed',
            data: {
              given,
              sep,
              nth: i + 1,
              count: n,
              share: percent(share),
              remaining,
              expected: (1 / remaining).toFixed(10),
            },
            at: probabilityAt(nat, r, file),
            suppressions: nat.ruleAt(r).suppressions ?? [],
          });
        }
        rest -= share;
      }
    }
  },
});

/**
 * Whether a kernel value is 1/n as older kube-proxy printed it, with fewer decimals
 * (`0.33333`, which iptables-save shows as `0.33332999982`): an even split as kube-proxy meant it.
 */
function isOlderKubeProxyText(kernel: number, n: number): boolean {
  return PROBABILITY_DECIMALS.some((d) => d !== 10 && Math.abs(kernel - probabilityToKernel(probabilityText(n, d))) <= 1);
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
