import type { Arg } from '../../../ast/types.js';
import { parsePortRange } from '../../../ast/xtables/values.js';
import { addressMatches, parseAddressSpec, portInRange } from '../address-spec.js';
import { allOf, negate, notModelled, yesNo, type MatchContext, type MatchEvaluator, type MatchVerdict } from '../match-context.js';

/** The conntrack states of the first packet of a new connection, with what NAT did to it. */
function states(ctx: MatchContext): Set<string> {
  const s = new Set(['NEW']);
  if (ctx.packet.dnat) s.add('DNAT');
  if (ctx.packet.snat) s.add('SNAT');
  return s;
}

function stateList(arg: Arg, ctx: MatchContext, what: string): MatchVerdict {
  const list = (arg.values[0] ?? '').toUpperCase().split(',');
  const known = new Set(['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED', 'SNAT', 'DNAT']);
  const unknown = list.filter((x) => !known.has(x));
  if (unknown.length > 0) return notModelled(`${what} ${unknown.join(',')}`);
  const mine = states(ctx);
  return negate(yesNo(list.some((x) => mine.has(x))), arg.negated);
}

/** `-m conntrack`: a NEW packet, its original and reply tuples. */
export const conntrackMatch: MatchEvaluator = (options, ctx) => {
  const p = ctx.packet;
  return allOf(
    options.map((o): MatchVerdict => {
      const v = o.values[0] ?? '';
      switch (o.flag) {
        case '--ctstate':
          return stateList(o, ctx, '-m conntrack --ctstate');
        case '--ctproto':
          return negate(yesNo(v.toLowerCase() === p.protocol), o.negated);
        case '--ctorigsrc':
        case '--ctorigdst':
        case '--ctreplsrc':
        case '--ctrepldst': {
          const spec = parseAddressSpec(v);
          if (!spec) return notModelled(`-m conntrack ${o.flag} ${v}`);
          // Original: source, and destination before DNAT. Reply: from the (DNATed) destination back to the source.
          const ip = o.flag === '--ctorigsrc' || o.flag === '--ctrepldst' ? p.src : o.flag === '--ctorigdst' ? p.origDst : p.dst;
          return negate(yesNo(addressMatches(spec, ip)), o.negated);
        }
        case '--ctorigdstport':
        case '--ctreplsrcport': {
          const r = parsePortRange(v, p.protocol);
          const port = o.flag === '--ctorigdstport' ? p.origDstPort : p.dstPort;
          if (!r || port === null) return notModelled(`-m conntrack ${o.flag} ${v}`);
          return negate(yesNo(portInRange(port, r)), o.negated);
        }
        case '--ctstatus': {
          // A connection whose first packet has not left the box yet has no status bits.
          const list = v.toUpperCase().split(',');
          if (list.some((x) => !['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'].includes(x))) return notModelled(`-m conntrack --ctstatus ${v}`);
          return negate(yesNo(list.includes('NONE')), o.negated);
        }
        case '--ctdir':
          return negate(yesNo(v.toUpperCase() === 'ORIGINAL'), o.negated);
        default:
          return notModelled(`-m conntrack ${o.flag}`);
      }
    }),
  );
};

/** `-m state --state LIST`, the older spelling of `--ctstate`. */
export const stateMatch: MatchEvaluator = (options, ctx) =>
  allOf(options.map((o) => (o.flag === '--state' ? stateList(o, ctx, '-m state --state') : notModelled(`-m state ${o.flag}`))));
