import { findOption, optionValue } from '../rule-parts.js';
import { negate, notModelled, yesNo, type MatchEvaluator } from '../match-context.js';

/**
 * `-m recent`: session affinity. `--set` records the client and matches; `--rcheck`/`--update`
 * match only when the client was recorded before, which a first packet is not (unless the trace
 * is told to assume an existing affinity entry). Either way the trace notes it.
 */
export const recentMatch: MatchEvaluator = (options, ctx) => {
  const name = optionValue(options, '--name') ?? 'DEFAULT';
  const check = findOption(options, '--rcheck', '--update');
  if (findOption(options, '--set')) return yesNo(true);
  if (findOption(options, '--remove')) return yesNo(false);
  if (!check) return notModelled('-m recent without --set/--rcheck/--update');
  const seconds = optionValue(options, '--seconds');
  const hit = Boolean(ctx.options.assumeAffinity);
  const v = yesNo(hit);
  return negate(
    {
      p: v.p,
      notes: [
        {
          kind: 'affinity',
          message: `session affinity: ${check.flag} on list ${name}${seconds ? ` (${seconds}s)` : ''} ${hit ? 'assumed to hold (the client already has an entry)' : 'does not match a first packet; a client seen within the timeout would be pinned to this endpoint'}`,
        },
      ],
    },
    check.negated,
  );
};
