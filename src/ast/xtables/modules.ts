/**
 * The options of the iptables extensions rulec knows: every match module and target that
 * kube-proxy, Docker, Calico, flannel and common host firewalls use. An entry maps each spelling
 * iptables accepts to the option's canonical (long) name. It tells which module owns an option
 * when a rule mixes the options of several modules (`-m tcp -p tcp -d IP --dport 80`).
 */

type Spellings = Record<string, string>;

/** `['--dport', '--destination-port']` → both map to the first spelling. */
function opts(...groups: ReadonlyArray<string | readonly string[]>): Spellings {
  const out: Spellings = {};
  for (const g of groups) {
    const names = typeof g === 'string' ? [g] : g;
    const canonical = names[0] as string;
    for (const n of names) out[n] = canonical;
  }
  return out;
}

const PORTS = [
  ['--sport', '--source-port'],
  ['--dport', '--destination-port'],
] as const;

export const MATCH_OPTIONS: Readonly<Record<string, Spellings>> = {
  comment: opts('--comment'),
  tcp: opts(...PORTS, '--tcp-flags', '--syn', '--tcp-option'),
  udp: opts(...PORTS),
  sctp: opts(...PORTS, '--chunk-types'),
  dccp: opts(...PORTS, '--dccp-types', '--dccp-option'),
  icmp: opts('--icmp-type'),
  icmp6: opts('--icmpv6-type'),
  multiport: opts(['--sports', '--source-ports'], ['--dports', '--destination-ports'], '--ports'),
  conntrack: opts(
    '--ctstate',
    '--ctproto',
    '--ctorigsrc',
    '--ctorigdst',
    '--ctreplsrc',
    '--ctrepldst',
    '--ctorigsrcport',
    '--ctorigdstport',
    '--ctreplsrcport',
    '--ctrepldstport',
    '--ctstatus',
    '--ctexpire',
    '--ctdir',
  ),
  state: opts('--state'),
  addrtype: opts('--src-type', '--dst-type', '--limit-iface-in', '--limit-iface-out'),
  statistic: opts('--mode', '--probability', '--every', '--packet'),
  recent: opts(
    '--set',
    '--rcheck',
    '--update',
    '--remove',
    '--seconds',
    '--reap',
    '--hitcount',
    '--rttl',
    '--name',
    '--mask',
    '--rsource',
    '--rdest',
  ),
  set: opts(
    ['--match-set', '--set'],
    '--return-nomatch',
    '--update-counters',
    '--update-subcounters',
    '--packets-eq',
    '--packets-lt',
    '--packets-gt',
    '--bytes-eq',
    '--bytes-lt',
    '--bytes-gt',
  ),
  nfacct: opts('--nfacct-name'),
  physdev: opts('--physdev-in', '--physdev-out', '--physdev-is-in', '--physdev-is-out', '--physdev-is-bridged'),
  mark: opts('--mark'),
  connmark: opts('--mark'),
  mac: opts('--mac-source'),
  limit: opts('--limit', '--limit-burst'),
  hashlimit: opts(
    '--hashlimit-upto',
    '--hashlimit-above',
    '--hashlimit-burst',
    '--hashlimit-mode',
    '--hashlimit-name',
    '--hashlimit-srcmask',
    '--hashlimit-dstmask',
    '--hashlimit-htable-size',
    '--hashlimit-htable-max',
    '--hashlimit-htable-expire',
    '--hashlimit-htable-gcinterval',
    '--hashlimit-rate-match',
    '--hashlimit-rate-interval',
    '--hashlimit',
  ),
  owner: opts('--uid-owner', '--gid-owner', '--socket-exists', '--suppl-groups'),
  iprange: opts('--src-range', '--dst-range'),
  pkttype: opts('--pkt-type'),
  length: opts('--length'),
  ttl: opts('--ttl-eq', '--ttl-lt', '--ttl-gt'),
  hl: opts('--hl-eq', '--hl-lt', '--hl-gt'),
  tos: opts('--tos'),
  dscp: opts('--dscp', '--dscp-class'),
  helper: opts('--helper'),
  connlimit: opts('--connlimit-upto', '--connlimit-above', '--connlimit-mask', '--connlimit-saddr', '--connlimit-daddr'),
  connbytes: opts('--connbytes', '--connbytes-dir', '--connbytes-mode'),
  connlabel: opts('--label', '--set'),
  policy: opts('--dir', '--pol', '--strict', '--reqid', '--spi', '--proto', '--mode', '--tunnel-src', '--tunnel-dst', '--next'),
  rpfilter: opts('--loose', '--validmark', '--accept-local', '--invert'),
  socket: opts('--transparent', '--nowildcard', '--restore-skmark'),
  devgroup: opts('--src-group', '--dst-group'),
  string: opts('--algo', '--from', '--to', '--string', '--hex-string', '--icase'),
  u32: opts('--u32'),
  bpf: opts('--bytecode', '--object-pinned'),
  time: opts(
    '--datestart',
    '--datestop',
    '--timestart',
    '--timestop',
    '--monthdays',
    '--weekdays',
    '--kerneltz',
    '--localtz',
    '--utc',
    '--contiguous',
  ),
  ipvs: opts('--ipvs', '--vproto', '--vaddr', '--vport', '--vdir', '--vmethod', '--vportctl'),
  quota: opts('--quota'),
  esp: opts('--espspi'),
  ah: opts('--ahspi', '--ahlen', '--ahres'),
  ecn: opts('--ecn-tcp-cwr', '--ecn-tcp-ece', '--ecn-ip-ect'),
  tcpmss: opts('--mss'),
  cpu: opts('--cpu'),
  realm: opts('--realm'),
  cgroup: opts('--path', '--cgroup'),
  cluster: opts('--cluster-total-nodes', '--cluster-local-node', '--cluster-local-nodemask', '--cluster-hash-seed'),
  frag: opts('--fragid', '--fraglen', '--fragres', '--fragfirst', '--fragmore', '--fraglast'),
  mh: opts('--mh-type'),
  ipv6header: opts('--header', '--soft'),
  rt: opts('--rt-type', '--rt-segsleft', '--rt-len', '--rt-0-res', '--rt-0-addrs', '--rt-0-not-strict'),
  hbh: opts('--hbh-len', '--hbh-opts'),
  dst: opts('--dst-len', '--dst-opts'),
};

export const TARGET_OPTIONS: Readonly<Record<string, Spellings>> = {
  REJECT: opts('--reject-with'),
  DNAT: opts(['--to-destination', '--to'], '--random', '--persistent'),
  SNAT: opts(['--to-source', '--to'], '--random', '--random-fully', '--persistent'),
  MASQUERADE: opts('--to-ports', '--random', '--random-fully'),
  REDIRECT: opts('--to-ports', '--random'),
  NETMAP: opts('--to'),
  MARK: opts('--set-mark', '--set-xmark', '--and-mark', '--or-mark', '--xor-mark'),
  CONNMARK: opts(
    '--set-mark',
    '--set-xmark',
    '--save-mark',
    '--restore-mark',
    '--and-mark',
    '--or-mark',
    '--xor-mark',
    '--mask',
    '--nfmask',
    '--ctmask',
    '--left-shift-mark',
    '--right-shift-mark',
  ),
  LOG: opts(
    '--log-level',
    '--log-prefix',
    '--log-tcp-sequence',
    '--log-tcp-options',
    '--log-ip-options',
    '--log-uid',
    '--log-macdecode',
  ),
  NFLOG: opts('--nflog-group', '--nflog-prefix', '--nflog-range', '--nflog-size', '--nflog-threshold'),
  NFQUEUE: opts('--queue-num', '--queue-balance', '--queue-bypass', '--queue-cpu-fanout'),
  CT: opts('--notrack', '--helper', '--ctevents', '--expevents', '--zone', '--zone-orig', '--zone-reply', '--timeout'),
  NOTRACK: {},
  TCPMSS: opts('--set-mss', '--clamp-mss-to-pmtu'),
  SET: opts('--add-set', '--del-set', '--map-set', '--timeout', '--exist', '--map-mark', '--map-prio', '--map-queue'),
  TPROXY: opts('--on-port', '--on-ip', '--tproxy-mark'),
  CHECKSUM: opts('--checksum-fill'),
  TOS: opts('--set-tos', '--and-tos', '--or-tos', '--xor-tos'),
  DSCP: opts('--set-dscp', '--set-dscp-class'),
  TTL: opts('--ttl-set', '--ttl-dec', '--ttl-inc'),
  HL: opts('--hl-set', '--hl-dec', '--hl-inc'),
  TRACE: {},
  AUDIT: opts('--type'),
  CLASSIFY: opts('--set-class'),
  TEE: opts('--gateway', '--oif'),
  SECMARK: opts('--selctx'),
  CONNSECMARK: opts('--save', '--restore'),
  IDLETIMER: opts('--timeout', '--label'),
};

/** Targets built into iptables itself: verdicts, never an extension with options. */
export const STANDARD_TARGETS: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE']);

/**
 * The match module `-p PROTO` loads on its own when the rule uses one of its options without a
 * `-m` for it (`-p tcp --dport 80` behaves as `-p tcp -m tcp --dport 80`).
 */
export function implicitProtocolModule(protocolNumber: number): string | undefined {
  switch (protocolNumber) {
    case 6:
      return 'tcp';
    case 17:
      return 'udp';
    case 132:
      return 'sctp';
    case 33:
      return 'dccp';
    case 1:
      return 'icmp';
    case 58:
      return 'icmp6';
    case 50:
      return 'esp';
    case 51:
      return 'ah';
    case 135:
      return 'mh';
    default:
      return undefined;
  }
}
