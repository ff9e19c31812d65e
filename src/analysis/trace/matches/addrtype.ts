import { addressType } from '../local-addresses.js';
import { allOf, negate, notModelled, yesNo, type MatchEvaluator } from '../match-context.js';

const MODELLED = new Set(['LOCAL', 'UNICAST', 'MULTICAST', 'BROADCAST', 'UNSPEC']);

/**
 * `-m addrtype --src-type/--dst-type TYPES`: LOCAL is judged against the node IPs and the loopback
 * networks; routing-table types (BLACKHOLE, PROHIBIT, …) are not modelled.
 */
export const addrtypeMatch: MatchEvaluator = (options, ctx) =>
  allOf(
    options.map((o) => {
      if (o.flag === '--limit-iface-in' || o.flag === '--limit-iface-out') return notModelled(`-m addrtype ${o.flag}`);
      const src = o.flag === '--src-type';
      if (!src && o.flag !== '--dst-type') return notModelled(`-m addrtype ${o.flag}`);
      const types = (o.values[0] ?? '').toUpperCase().split(',');
      const unknown = types.filter((t) => !MODELLED.has(t));
      const actual = addressType(src ? ctx.packet.src : ctx.packet.dst, ctx.local);
      if (types.includes(actual)) return negate(yesNo(true), o.negated);
      if (unknown.length > 0) return notModelled(`-m addrtype ${o.flag} ${unknown.join(',')}`);
      return negate(yesNo(false), o.negated);
    }),
  );
