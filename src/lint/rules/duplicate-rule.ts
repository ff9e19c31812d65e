import type { Rule } from '../../ast/types.js';
import { ruleComment, viewRule } from '../../ast/rule-view.js';
import { ruleKey } from '../kube/constraints.js';
import type { TableFacts } from '../kube/table-facts.js';
import { nodeAt, ruleAt } from '../positions.js';
import { lossiness } from '../kube/rule-set-index.js';
import { docsUrl, iptablesRule } from '../types.js';
import { fixedCommentOf, readServiceComment } from '../../kube/rule-comments.js';
import { own } from '../../records.js';
import { nftAt } from '../nft/references.js';

/**
 * A rule equal to an earlier rule of the same chain (same matches, same target and options;
 * comments aside) can never change what happens to a packet: it is dead weight that usually
 * comes from a script that appends with `-A` where it should check with `-C` first. A lossy
 * listing is not judged (two rules printed alike may differ in what it hides): the rule says so
 * once instead of guessing.
 */

/** Matches whose second copy behaves differently from the first (a second random draw…). */
const REPEATABLE = ['statistic', 'limit', 'hashlimit', 'quota', 'nth'];

export default iptablesRule({
  meta: {
    id: 'duplicate-rule',
    severity: 'warning',
    target: 'iptables',
    docs: {
      description: 'A rule equal to an earlier rule of the same chain.',
      url: docsUrl('duplicate-rule'),
    },
    messages: {
      duplicate: 'this rule repeats the rule at line {{line}} of chain {{chain}}: same matches and target, so it never changes the outcome',
    },
  },
  check(context) {
    const { index, file, ruleSet } = context;
    // A lossy listing prints names for addresses and ports and drops some matches: two rules that
    // look alike there may differ on the node.
    const lossy = lossiness(ruleSet);
    if (lossy !== undefined) {
      context.notJudged(lossy, nodeAt(ruleSet, file));
      return;
    }
    for (const t of index.allTables()) {
      const f = t.facts();
      for (let o = 0; o < t.chainCount; o++) {
        const chain = t.chainAt(o);
        const first = f.firstRule[o] as number;
        const end = f.firstRule[o + 1] as number;
        // Narrow down by target, then by a cheap spelling-insensitive key; confirm with the exact key.
        if (allDistinct(f, first, end)) continue;
        const byTarget = new Map<string, number[]>();
        for (let i = 0; i < end - first; i++) {
          const key = f.target[first + i] ?? '';
          const g = byTarget.get(key);
          if (g) g.push(i);
          else byTarget.set(key, [i]);
        }
        const groups = new Map<string, number[]>();
        for (const sameTarget of byTarget.values()) {
          if (sameTarget.length < 2) continue;
          for (const i of sameTarget) {
            const rule = chain.rules[i] as Rule;
            if (isRepeatable(rule)) continue;
            const key = cheapKey(rule);
            const g = groups.get(key);
            if (g) g.push(i);
            else groups.set(key, [i]);
          }
        }
        for (const g of groups.values()) {
          if (g.length < 2) continue;
          const seen = new Map<string, number>();
          for (const i of g) {
            const rule = chain.rules[i] as Rule;
            const key = ruleKey(viewRule(rule), ruleSet.family);
            const prev = seen.get(key);
            if (prev === undefined) {
              seen.set(key, i);
              continue;
            }
            // kube-proxy before 1.23 wrote its "pod source" and "pod destination" conntrack rules
            // alike when it knew no cluster CIDR: two of its own rules, not a fault of the node.
            if (areKubeProxysPair(rule, chain.rules[prev] as Rule)) continue;
            context.report({
              messageId: 'duplicate',
              data: { line: chain.rules[prev]?.pos?.line ?? `#${prev + 1}`, chain: chain.name },
              at: ruleAt(rule, file),
              suppressions: rule.suppressions ?? [],
            });
          }
        }
      }
    }
  },
  checkNft(context) {
    const { ruleSet: rs, file } = context;
    for (const c of rs.chains) {
      const seen = new Map<string, number>();
      c.rules.forEach((r, n) => {
        // A random split drawn twice is two draws, not a duplicate.
        if (r.words.includes('numgen')) return;
        const key = r.words.join(' ');
        const prev = seen.get(key);
        if (prev === undefined) {
          seen.set(key, n);
          return;
        }
        const first = c.rules[prev] as { pos?: { line: number } };
        context.report({ messageId: 'duplicate', data: { line: first.pos?.line ?? `#${prev + 1}`, chain: c.name }, at: nftAt(r, file) });
      });
    }
  },
});

const MATCH_FLAGS = new Set(['-m', '--match']);
const BUILTIN_SPELLING: Readonly<Record<string, string>> = {
  '--protocol': '-p',
  '--source': '-s',
  '--src': '-s',
  '--destination': '-d',
  '--dst': '-d',
  '--in-interface': '-i',
  '--out-interface': '-o',
  '--jump': '-j',
  '--goto': '-g',
};

/**
 * Whether the targets of rules `[start, end)` are all different. Jumps to chains of the table are
 * compared by chain number (two names are the same chain exactly when they are equal).
 */
function allDistinct(f: TableFacts, start: number, end: number): boolean {
  const { target, targetChain } = f;
  if (end - start > 8) {
    const chains = new Set<number>();
    const names = new Set<string | undefined>();
    for (let n = start; n < end; n++) {
      const tc = targetChain[n] as number;
      if (tc >= 0 ? chains.has(tc) : names.has(target[n])) return false;
      if (tc >= 0) chains.add(tc);
      else names.add(target[n]);
    }
    return true;
  }
  for (let i = start; i < end; i++) {
    const ci = targetChain[i] as number;
    for (let j = i + 1; j < end; j++) {
      const cj = targetChain[j] as number;
      if (ci >= 0 || cj >= 0 ? ci === cj : target[i] === target[j]) return false;
    }
  }
  return true;
}

/**
 * Rules a repeat of which is expected: the matches listed in `REPEATABLE`, and kube-proxy's
 * health-check ACCEPT, which it writes once per port of a LoadBalancer Service although all ports
 * share one healthCheckNodePort.
 */
function isRepeatable(rule: Rule): boolean {
  for (const a of rule.args) {
    if (MATCH_FLAGS.has(a.flag) && REPEATABLE.includes(a.values[0] ?? '')) return true;
    if (a.flag === '--comment' && readServiceComment(a.values[0] ?? '')?.role === 'health-check-node-port') return true;
  }
  return false;
}

/** The arguments without comments and module loads, host masks dropped, in sorted order. */
function cheapKey(rule: Rule): string {
  const parts: string[] = [];
  for (const a of rule.args) {
    if (a.flag === '--comment' || MATCH_FLAGS.has(a.flag)) continue;
    const flag = own(BUILTIN_SPELLING, a.flag) ?? a.flag;
    let v = a.values.join(' ');
    if ((flag === '-s' || flag === '-d') && (v.endsWith('/32') || v.endsWith('/128'))) v = v.slice(0, v.lastIndexOf('/'));
    parts.push(`${a.negated ? '!' : ''}${flag} ${v}`);
  }
  return parts.sort().join('\n');
}

/** Whether two rules are kube-proxy's own, each with a different comment of its fixed ones. */
function areKubeProxysPair(a: Rule, b: Rule): boolean {
  const x = fixedCommentOf(ruleComment(a));
  const y = fixedCommentOf(ruleComment(b));
  return x !== undefined && y !== undefined && x !== y;
}
