import { allOf, negate, notModelled, yesNo, type MatchEvaluator } from '../match-context.js';

/** `-m set --match-set NAME src|dst[,…]`, judged against the ipsets given with the rules. */
export const setMatch: MatchEvaluator = (options, ctx) =>
  allOf(
    options.map((o) => {
      if (o.flag !== '--match-set' && o.flag !== '--set') {
        if (o.flag === '--return-nomatch' || o.flag.startsWith('--update')) return yesNo(true);
        return notModelled(`-m set ${o.flag}`);
      }
      const [name = '', dirText = 'src'] = o.values;
      if (!ctx.ipsets?.has(name)) return notModelled(`-m set --match-set ${name} (the ipset is not among the inputs; add an ipset save/list dump)`);
      const hit = ctx.ipsets.test(name, dirText.split(','), ctx.packet);
      if (hit === null) return notModelled(`-m set --match-set ${name} ${dirText} (a member could not be judged)`);
      return negate(yesNo(hit), o.negated);
    }),
  );
