/**
 * Words that come back on almost every line of a dump (option names, match modules, protocols,
 * common targets). The fast reader hands out these shared strings instead of a new copy each
 * time, which keeps a 400,000-line dump's AST tens of megabytes smaller. Looking a word up costs
 * a few character comparisons against the words of its length; nothing is hashed or allocated.
 */
const COMMON_WORDS = [
  // iptables' own options
  '-s', '-d', '-p', '-i', '-o', '-j', '-g', '-m', '-f', '-c',
  '--source', '--destination', '--protocol', '--in-interface', '--out-interface', '--jump', '--goto', '--match',
  // match options
  '--comment', '--dport', '--sport', '--dports', '--sports', '--mode', '--probability', '--every', '--packet',
  '--mark', '--ctstate', '--state', '--ctstatus', '--match-set', '--dst-type', '--src-type', '--limit-iface-in',
  '--limit-iface-out', '--rcheck', '--set', '--update', '--seconds', '--reap', '--name', '--rsource', '--rdest',
  '--nfacct-name', '--physdev-is-in', '--physdev-is-out', '--physdev-is-bridged', '--physdev-in', '--physdev-out',
  '--tcp-flags', '--syn', '--icmp-type', '--icmpv6-type', '--limit', '--limit-burst', '--uid-owner', '--gid-owner',
  '--socket-exists', '--to-destination', '--to-source', '--to-ports', '--to', '--random', '--random-fully',
  '--persistent', '--set-xmark', '--set-mark', '--or-mark', '--xor-mark', '--and-mark', '--reject-with',
  '--log-prefix', '--log-level', '--log-uid', '--notrack', '--zone', '--helper', '--queue-num', '--queue-bypass',
  '--clamp-mss-to-pmtu', '--set-mss', '--mask', '--restore-mark', '--save-mark', '--nfmask', '--ctmask',
  // match modules and protocols
  'comment', 'tcp', 'udp', 'sctp', 'icmp', 'icmp6', 'icmpv6', 'ipv6-icmp', 'all', 'statistic', 'recent', 'mark',
  'set', 'conntrack', 'state', 'addrtype', 'multiport', 'physdev', 'nfacct', 'limit', 'owner', 'socket', 'connmark',
  'rpfilter', 'pkttype', 'ipvs', 'string', 'hashlimit', 'connlimit', 'iprange', 'length', 'ttl', 'hl', 'mac',
  'policy', 'random', 'nth', 'LOCAL', 'UNICAST', 'BROADCAST', 'MULTICAST',
  // targets
  'ACCEPT', 'DROP', 'RETURN', 'REJECT', 'QUEUE', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'MARK', 'CONNMARK',
  'LOG', 'CT', 'NOTRACK', 'TCPMSS', 'NFLOG', 'TPROXY', 'CHECKSUM', 'ACCEPT', 'KUBE-MARK-MASQ', 'KUBE-MARK-DROP',
  'KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-FORWARD', 'KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL',
  'KUBE-EXTERNAL-SERVICES', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'DOCKER', 'DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1',
  'DOCKER-ISOLATION-STAGE-2', 'FLANNEL-FWD', 'FLANNEL-POSTRTG',
  // values
  'NEW', 'ESTABLISHED', 'RELATED', 'RELATED,ESTABLISHED', 'INVALID', 'DNAT', 'dst', 'src', 'dst,dst', 'src,dst',
  'dst,dst,src', 'icmp-port-unreachable', 'icmp-host-prohibited', 'icmp6-port-unreachable', 'icmp6-adm-prohibited',
  '0x4000/0x4000', '0x8000/0x8000', '0x4000', '0x8000', '0x4000/0x0', '0x8000/0x0', '80', '443', '53', '8080',
  '0.5000000000', '0.50000000000', '0.33333333349', '0.3333333333', '0.25000000000', '0.2500000000',
  '10.0.0.0/8', '127.0.0.0/8', '::1/128', '0.0.0.0/0', '::/0',
];

const WORDS: readonly string[] = [...new Set(COMMON_WORDS)];

/**
 * One frozen one-element array per common word, shared by every argument whose only value it
 * is (`-m comment`, `-p tcp`, `-j KUBE-MARK-MASQ`): a parsed AST is read, never changed, and
 * freezing makes any attempt to change it fail loudly instead of changing other rules.
 */
const SINGLES: readonly (readonly string[])[] = WORDS.map((w) => Object.freeze([w]));

/** Indexes into WORDS by a small hash of the length and the first, second and last characters. */
const BUCKETS = 4096;
const key = (len: number, c0: number, c1: number, cl: number): number => (len * 977 + c0 * 131 + c1 * 31 + cl) & (BUCKETS - 1);
const TABLE: Array<number[] | undefined> = new Array<number[] | undefined>(BUCKETS).fill(undefined);
WORDS.forEach((w, i) => {
  const k = key(w.length, w.charCodeAt(0), w.charCodeAt(1), w.charCodeAt(w.length - 1));
  (TABLE[k] ??= []).push(i);
});

/** The index of the common word `text[start, end)`, or -1. */
function findCommon(text: string, start: number, end: number): number {
  const len = end - start;
  if (len < 2 || len > 24) return -1;
  const candidates = TABLE[key(len, text.charCodeAt(start), text.charCodeAt(start + 1), text.charCodeAt(end - 1))];
  if (candidates === undefined) return -1;
  outer: for (let i = 0; i < candidates.length; i++) {
    const index = candidates[i] as number;
    const w = WORDS[index] as string;
    if (w.length !== len) continue;
    for (let k = 0; k < len; k++) if (w.charCodeAt(k) !== text.charCodeAt(start + k)) continue outer;
    return index;
  }
  return -1;
}

/** `text.slice(start, end)`, as a shared string when the word is a common one. */
export function internSlice(text: string, start: number, end: number): string {
  const i = findCommon(text, start, end);
  return i < 0 ? text.slice(start, end) : (WORDS[i] as string);
}

/** `[text.slice(start, end)]`, shared and frozen when the word is a common one. */
export function internSingle(text: string, start: number, end: number): string[] {
  const i = findCommon(text, start, end);
  return i < 0 ? [text.slice(start, end)] : (SINGLES[i] as string[]);
}
