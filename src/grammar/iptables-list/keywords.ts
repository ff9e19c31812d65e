/**
 * The keywords of the match text `iptables -L` prints. Keywords that can begin an item (one
 * match, or the target's own text) are kept apart from those that only occur inside an item.
 */

/** Keywords that begin an item. */
export const START_KEYWORDS = [
  'tcp', 'udp', 'sctp', 'dccp',
  'multiport', 'ADDRTYPE', 'match-set', 'mark', 'connmark', 'MARK', 'CONNMARK', 'statistic', 'recent:',
  'ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport',
  'ctorigdstport', 'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire', 'ctdir',
  'state', 'random', 'random-fully', 'persistent', 'masq', 'redir', 'reject-with', 'nfacct-name',
  'PHYSDEV', 'LOG', 'nflog-prefix', 'nflog-group', 'nflog-range', 'nflog-size', 'nflog-threshold',
  '[goto]', 'icmptype', 'icmp', 'ipv6-icmptype', 'ipv6-icmp', 'limit:', 'CT', 'TCPMSS', 'MAC',
  'source', 'destination', 'length', 'PKTTYPE', 'owner', 'rpfilter',
] as const;

/** Keywords used inside items only. */
export const INNER_KEYWORDS = [
  'match', 'sports', 'dports', 'ports', 'src-type', 'dst-type', 'limit-in', 'limit-out',
  'return-nomatch', 'update-counters', 'update-subcounters', 'packets-eq', 'packets-lt', 'packets-gt',
  'bytes-eq', 'bytes-lt', 'bytes-gt', 'mode', 'nth', 'every', 'packet', 'probability', 'seconds:', 'reap',
  'hit_count:', 'TTL-Match', 'name:', 'side:', 'mask:', 'ports:', '--physdev-in', '--physdev-out',
  '--physdev-is-in', '--physdev-is-out', '--physdev-is-bridged', 'flags', 'level', 'prefix', 'code',
  'avg', 'burst', 'notrack', 'zone', 'helper', 'clamp', 'to', 'PMTU', 'IP', 'range', 'UID', 'GID',
] as const;

export type StartKeyword = (typeof START_KEYWORDS)[number];
export type InnerKeyword = (typeof INNER_KEYWORDS)[number];
export type Keyword = StartKeyword | InnerKeyword;

/** Keywords that may follow a lone `!` to begin a negated item. */
export const NEGATABLE_STARTS: ReadonlySet<string> = new Set<string>([
  'match-set', 'recent:', 'state', 'owner', 'ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc',
  'ctrepldst', 'ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire',
  'ctdir',
]);

/** The conntrack option keywords (`ctstate`, `ctproto`…), in the order iptables prints them. */
export const CT_KEYWORDS: readonly StartKeyword[] = [
  'ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport',
  'ctorigdstport', 'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire', 'ctdir',
];

/** The words that begin an item, used to decide where a comment or quoted string ends. */
export const ITEM_START_WORDS: ReadonlySet<string> = new Set<string>(['/*', ...START_KEYWORDS]);
