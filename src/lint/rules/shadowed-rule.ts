import type { Rule } from '../../ast/types.js';
import { constraintsOf, covers, ruleKey, type RuleConstraints } from '../kube/constraints.js';
import { isTerminating } from '../kube/targets.js';
import { GOTO } from '../kube/table-facts.js';
import { viewRule } from '../../ast/rule-view.js';
import { nodeAt, ruleAt } from '../positions.js';
import { lossiness, type TableIndex } from '../kube/rule-set-index.js';
import { docsUrl, iptablesRule } from '../types.js';

/**
 * A rule that no packet can reach: an earlier rule of the same chain matches every packet it
 * matches (a superset: wider CIDRs, port ranges, interface wildcards, fewer conditions) and
 * ends the chain for them (ACCEPT, DROP, REJECT, RETURN, DNAT, SNAT, MASQUERADE, a goto…).
 * Exact repeats are left to `duplicate-rule`. A lossy listing is not judged (names stand for
 * addresses and ports, some matches are not shown): the rule says so once instead of guessing.
 */

/**
 * Whether rule `n`'s target ends the chain (a verdict, a NAT target, any goto). A jump to a
 * chain of the table (most jumps of a large dump) returns, and its name is not looked up.
 */
function terminates(t: TableIndex, n: number): boolean {
  const f = t.facts();
  const name = f.target[n];
  if (name === undefined) return false;
  if (((f.bits[n] as number) & GOTO) !== 0) return true;
  const tc = f.targetChain[n] as number;
  return tc < 0 && isTerminating(name, 'jump');
}

interface Shadower {
  rule: Rule;
  index: number;
  c: RuleConstraints;
  key: string;
  /** `-j DROP`, `-g CHAIN`. */
  target: string;
}

export default iptablesRule({
  meta: {
    id: 'shadowed-rule',
    severity: 'warning',
    target: 'iptables',
    docs: {
      description: 'A rule that is never reached because an earlier rule of its chain matches a superset of its packets and ends the chain.',
      url: docsUrl('shadowed-rule'),
    },
    messages: {
      shadowed: 'this rule is never reached: the rule at line {{line}} matches every packet it matches and ends chain {{chain}} with {{target}}',
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
        const rules = chain.rules;
        const first = f.firstRule[o] as number;
        // Earlier terminating rules, indexed by their single-host destination.
        let i = 0;
        // Nothing can be shadowed before the first terminating rule that is not the last.
        while (i < rules.length - 1 && !terminates(t, first + i)) i++;
        if (i >= rules.length - 1) continue;
        const byHost = new Map<string, Shadower[]>();
        const others: Shadower[] = [];
        const anyDestination: Shadower[] = [];
        for (; i < rules.length; i++) {
          const n = first + i;
          const name = f.target[n];
          const shadowers = anyDestination.length > 0 || others.length > 0 || byHost.size > 0;
          if (!shadowers && (name === undefined || i === rules.length - 1)) continue;
          const rule = rules[i] as Rule;
          const terminating = terminates(t, n) && i < rules.length - 1;
          if (!terminating && !shadowers) continue;
          const view = viewRule(rule);
          const c = constraintsOf(view, ruleSet.family);
          let key: string | undefined;
          const candidates: Shadower[][] = [anyDestination];
          if (c.hostDestination !== undefined) candidates.push(byHost.get(c.hostDestination) ?? [], others);
          else if (c.hasDestination) candidates.push(others);
          found: for (const list of candidates) {
            for (const s of list) {
              if (!covers(s.c, c)) continue;
              key ??= ruleKey(view, ruleSet.family);
              if (key === s.key) continue;
              context.report({
                messageId: 'shadowed',
                data: { line: s.rule.pos?.line ?? `#${s.index + 1}`, chain: chain.name, target: s.target },
                at: ruleAt(rule, file),
                suppressions: rule.suppressions ?? [],
              });
              break found;
            }
          }
          if (!terminating || name === undefined || c.chancy) continue;
          const how = ((f.bits[n] as number) & GOTO) !== 0 ? '-g' : '-j';
          const s: Shadower = { rule, index: i, c, key: key ?? ruleKey(view, ruleSet.family), target: `${how} ${name}` };
          if (!c.hasDestination) anyDestination.push(s);
          else if (c.hostDestination !== undefined) {
            const list = byHost.get(c.hostDestination);
            if (list) list.push(s);
            else byHost.set(c.hostDestination, [s]);
          } else others.push(s);
        }
      }
    }
  },
});
