import { parseMarkMask } from '../../../ast/xtables/values.js';
import { allOf, negate, notModelled, yesNo, type MatchEvaluator } from '../match-context.js';

/** `-m mark --mark VALUE[/MASK]`: `(mark & MASK) == VALUE`. */
export const markMatch: MatchEvaluator = (options, ctx) =>
  allOf(
    options.map((o) => {
      const mm = o.flag === '--mark' ? parseMarkMask(o.values[0] ?? '') : undefined;
      if (!mm) return notModelled(`-m mark ${o.flag} ${o.values[0] ?? ''}`);
      return negate(yesNo(((ctx.packet.mark & mm.mask) >>> 0) === (mm.value & mm.mask) >>> 0), o.negated);
    }),
  );
