import type { MatchEvaluator } from '../match-context.js';
import { notModelled } from '../match-context.js';
import { addrtypeMatch } from './addrtype.js';
import { commentMatch, nfacctMatch } from './always.js';
import { conntrackMatch, stateMatch } from './conntrack.js';
import { markMatch } from './mark.js';
import { icmpMatch, iprangeMatch, ipvsMatch, pkttypeMatch } from './misc.js';
import { multiportMatch, sctpMatch, tcpMatch, udpMatch } from './ports.js';
import { recentMatch } from './recent.js';
import { setMatch } from './set.js';
import { statisticMatch } from './statistic.js';
import { own } from '../../../records.js';

/** One evaluator per match module the trace models. */
export const MATCHES: Record<string, MatchEvaluator> = {
  tcp: tcpMatch,
  udp: udpMatch,
  sctp: sctpMatch,
  multiport: multiportMatch,
  comment: commentMatch,
  nfacct: nfacctMatch,
  addrtype: addrtypeMatch,
  mark: markMatch,
  statistic: statisticMatch,
  recent: recentMatch,
  conntrack: conntrackMatch,
  state: stateMatch,
  set: setMatch,
  iprange: iprangeMatch,
  pkttype: pkttypeMatch,
  icmp: icmpMatch,
  icmp6: icmpMatch,
  ipvs: ipvsMatch,
};

/** The evaluator for a module; modules rulec does not model (physdev, owner, …) say so. */
export function matchEvaluator(name: string): MatchEvaluator {
  return own(MATCHES, name) ?? ((options) => notModelled(`-m ${name}${options.length ? ` ${options.map((o) => o.flag).join(' ')}` : ''}`));
}
