import { readNftRule } from '../../ast/nft-rule.js';
import { nftAt } from '../nft/references.js';
import { docsUrl, nftRule } from '../types.js';

/**
 * kube-proxy splits new connections among N endpoints with `numgen random mod N vmap { 0 : goto
 * …, …, N-1 : goto … }`: the number drawn is 0…N-1, each once. A draw the map lacks matches no
 * element, and that share of new connections goes on past the rule (to the next rule, or out of
 * the chain unbalanced); an element N or above is never drawn, so its endpoint gets nothing.
 */
export default nftRule({
  meta: {
    id: 'numgen-map',
    severity: 'error',
    target: 'nftables',
    docs: {
      description: 'A `numgen random mod N` split whose map does not hold exactly the draws 0 to N-1.',
      url: docsUrl('numgen-map'),
    },
    messages: {
      missing: 'numgen random mod {{n}} draws {{missing}}, which its map lacks: {{share}} of new connections reach no endpoint here',
      unreachable: 'numgen random mod {{n}} never draws {{extra}}: {{what}} gets no connection',
    },
  },
  check(context) {
    const { ruleSet: rs, file } = context;
    for (const c of rs.chains) {
      for (const rule of c.rules) {
        const read = readNftRule(rule);
        if (!read.ok) continue;
        for (const e of read.exprs) {
          if (e.kind !== 'numgen') continue;
          const keys = new Set(e.entries.map((x) => Number(x.key[0])));
          const missing: number[] = [];
          for (let k = 0; k < e.modulus; k++) if (!keys.has(k)) missing.push(k);
          if (missing.length > 0) {
            const share = `${((100 * missing.length) / e.modulus).toFixed(2).replace(/\.?0+$/, '')}%`;
            context.report({ messageId: 'missing', data: { n: e.modulus, missing: missing.join(', '), share }, at: nftAt(rule, file) });
          }
          const extra = e.entries.filter((x) => !(Number(x.key[0]) >= 0 && Number(x.key[0]) < e.modulus && Number.isInteger(Number(x.key[0]))));
          if (extra.length > 0) {
            context.report({
              messageId: 'unreachable',
              data: { n: e.modulus, extra: extra.map((x) => x.key.join(' . ')).join(', '), what: extra.map((x) => x.verdict.join(' ')).join(', ') },
              at: nftAt(rule, file),
            });
          }
        }
      }
    }
  },
});
