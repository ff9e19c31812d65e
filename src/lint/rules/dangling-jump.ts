import { argAt, nodeAt } from '../positions.js';
import { scanTarget } from '../../ast/rule-view.js';
import { docsUrl, iptablesRule } from '../types.js';
import { nftAt, nftReferences } from '../nft/references.js';

/**
 * A jump or goto to a chain the table does not declare (or deletes with `-X`): iptables-restore
 * refuses the whole table ("Couldn't load target"), so none of the rules are applied. Checked on
 * complete dumps only, where every chain of the table is listed: in an excerpt, a chain the text
 * does not list may well exist, and the rule says once that it could not judge.
 */
export default iptablesRule({
  meta: {
    id: 'dangling-jump',
    severity: 'error',
    target: 'iptables',
    docs: {
      description: 'A jump or goto to a chain that is not declared in its table (complete dumps only).',
      url: docsUrl('dangling-jump'),
    },
    messages: {
      undeclared: '{{how}} {{target}}: table {{table}} has no chain {{target}}',
      deleted: '{{how}} {{target}}: chain {{target}} is deleted (-X) in this dump',
    },
  },
  check(context) {
    const { index, file } = context;
    for (const t of index.allTables()) {
      const why = t.partial;
      if (why !== undefined) {
        if (t.unknownTargets().size > 0) context.notJudged(why, nodeAt(t.table, file));
        continue;
      }
      for (const [name, rules] of t.unknownTargets()) {
        const deleted = t.deleted.has(name);
        for (const n of rules) {
          const rule = t.ruleAt(n);
          const target = scanTarget(rule);
          if (!target) continue;
          context.report({
            messageId: deleted ? 'deleted' : 'undeclared',
            data: { how: target.kind === 'goto' ? '-g' : '-j', target: name, table: t.table.name },
            at: argAt(target.arg, rule, file),
            suppressions: rule.suppressions ?? [],
          });
        }
      }
    }
  },
  checkNft(context) {
    const { ruleSet: rs, file } = context;
    const chains = new Set(rs.chains.map((c) => c.name));
    for (const ref of nftReferences(rs)) {
      if (chains.has(ref.to)) continue;
      // nft holds no jump to a missing chain: text read from a node that has one shows part of its table.
      if (rs.origin !== 'compiled') {
        context.notJudged(`table ${rs.family} ${rs.table} refers to chains the text does not show (the text holds part of it)`, nftAt(ref.node, file));
        continue;
      }
      context.report({ messageId: 'undeclared', data: { how: ref.how, target: ref.to, table: `${rs.family} ${rs.table}` }, at: nftAt(ref.node, file) });
    }
  },
});
