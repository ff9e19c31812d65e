import { describe, expect, it } from 'vitest';
import { fastItems } from './fast-path.js';
import type { Item } from './items.js';
import { parseMatchText, tokenEnd } from './match-text.js';
import { splitMatchText } from './match-words.js';

/** Items as `kind: args` strings, unknown runs as `unknown "TEXT" (reasons)`. */
function show(text: string, target = 'ACCEPT', path: 'auto' | 'grammar' = 'auto'): string[] {
  return parseMatchText(text, target, { path }).map((it: Item) => {
    if (it.kind === 'unknown') {
      const raw = text.slice(it.first.startOffset, tokenEnd(it.last));
      return `unknown "${raw}"${it.broken === undefined ? '' : ` (${it.broken})`}`;
    }
    const args = it.args.map((a) => [...(a.negated ? ['!'] : []), a.flag, ...a.values].join(' ')).join(' | ');
    return `${it.kind}${it.lossy ? ' lossy' : ''}: ${args}`;
  });
}

/** [listing text, target, items]: what each printed match turns back into. */
const CASES: [string, string, string[]][] = [
  ['/* kube-system/kube-dns:dns cluster IP */', 'X', ['match: -m comment | --comment kube-system/kube-dns:dns cluster IP']],
  ['/*  */', 'X', ['match: -m comment | --comment ']],
  ['tcp dpt:8080', 'X', ['match: -m tcp | --dport 8080']],
  ['udp dpts:1:2', 'X', ['match: -m udp | --dport 1:2']],
  ['tcp spt:53 dpt:!22', 'X', ['match: -m tcp | --sport 53 | ! --dport 22']],
  ['tcp spts:!1:1000 option=5', 'X', ['match: -m tcp | ! --sport 1:1000 | --tcp-option 5']],
  ['tcp flags:0x17/0x02', 'X', ['match: -m tcp | --tcp-flags FIN,SYN,RST,ACK SYN']],
  ['tcp flags:!0x12/0x02', 'X', ['match: -m tcp | ! --tcp-flags SYN,ACK SYN']],
  ['tcp flags:0x3F/0x00', 'X', ['match: -m tcp | --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE']],
  ['tcp flags:FIN,SYN,RST,ACK/SYN', 'X', ['match: -m tcp | --tcp-flags FIN,SYN,RST,ACK SYN']],
  ['tcp dpt:http-alt', 'X', ['match lossy: -m tcp | --dport http-alt']],
  ['sctp dpt:3868', 'X', ['match: -m sctp | --dport 3868']],
  ['tcp', 'X', ['match: -m tcp']],
  ['multiport dports 80,443', 'X', ['match: -m multiport | --dports 80,443']],
  ['multiport sports  !80,443', 'X', ['match: -m multiport | ! --sports 80,443']],
  ['multiport ports http,8000:http-alt', 'X', ['match lossy: -m multiport | --ports http,8000:http-alt']],
  ['ADDRTYPE match dst-type LOCAL', 'X', ['match: -m addrtype | --dst-type LOCAL']],
  ['ADDRTYPE match src-type !LOCAL dst-type UNICAST,LOCAL limit-in', 'X', [
    'match: -m addrtype | ! --src-type LOCAL | --dst-type UNICAST,LOCAL | --limit-iface-in',
  ]],
  ['match-set KUBE-CLUSTER-IP dst,dst', 'X', ['match: -m set | --match-set KUBE-CLUSTER-IP dst,dst']],
  ['! match-set KUBE-LOOP-BACK dst,dst,src', 'X', ['match: -m set | ! --match-set KUBE-LOOP-BACK dst,dst,src']],
  ['match-set s src return-nomatch ! update-counters ! packets-eq 5', 'X', [
    'match: -m set | --match-set s src | --return-nomatch | ! --update-counters | ! --packets-eq 5',
  ]],
  ['mark match 0x4000/0x4000', 'X', ['match: -m mark | --mark 0x4000/0x4000']],
  ['mark match ! 0x4000/0x4000', 'X', ['match: -m mark | ! --mark 0x4000/0x4000']],
  ['connmark match  0x1/0x1', 'X', ['match: -m connmark | --mark 0x1/0x1']],
  ['MARK or 0x4000', 'MARK', ['target: --set-xmark 0x4000/0x4000']],
  ['MARK xor 0x4000', 'MARK', ['target: --set-xmark 0x4000/0x0']],
  ['MARK set 0x8000', 'MARK', ['target: --set-xmark 0x8000/0xffffffff']],
  ['MARK and 0xfff1ffff', 'MARK', ['target: --set-xmark 0x0/0xe0000']],
  ['MARK xset 0x1000000/0xf000000', 'MARK', ['target: --set-xmark 0x1000000/0xf000000']],
  ['CONNMARK or 0x2', 'CONNMARK', ['target: --set-xmark 0x2/0x2']],
  ['statistic mode random probability 0.50000000000', 'X', [
    'match: -m statistic | --mode random | --probability 0.50000000000',
  ]],
  ['statistic mode random ! probability 0.25000000000', 'X', [
    'match: -m statistic | --mode random | ! --probability 0.25000000000',
  ]],
  ['statistic mode nth every 3 packet 1', 'X', ['match: -m statistic | --mode nth | --every 3 | --packet 1']],
  ['statistic mode nth ! every 3', 'X', ['match: -m statistic | --mode nth | ! --every 3 | --packet 0']],
  ['recent: CHECK seconds: 10800 reap name: KUBE-SEP-X side: source mask: 255.255.255.255', 'X', [
    'match: -m recent | --rcheck | --seconds 10800 | --reap | --name KUBE-SEP-X | --mask 255.255.255.255 | --rsource',
  ]],
  ['recent: SET name: KUBE-SEP-X side: source mask: 255.255.255.255', 'X', [
    'match: -m recent | --set | --name KUBE-SEP-X | --mask 255.255.255.255 | --rsource',
  ]],
  ['! recent: UPDATE seconds: 60 hit_count: 4 TTL-Match name: SSH side: dest', 'X', [
    'match: -m recent | ! --update | --seconds 60 | --hitcount 4 | --rttl | --name SSH | --rdest',
  ]],
  ['ctstate NEW', 'X', ['match: -m conntrack | --ctstate NEW']],
  ['! ctstate RELATED,ESTABLISHED,DNAT', 'X', ['match: -m conntrack | ! --ctstate RELATED,ESTABLISHED,DNAT']],
  ['ctproto 6 ! ctorigsrc 10.0.0.0/8 ctdir REPLY', 'X', [
    'match: -m conntrack | --ctproto 6 | ! --ctorigsrc 10.0.0.0/8 | --ctdir REPLY',
  ]],
  ['state RELATED,ESTABLISHED', 'X', ['match: -m state | --state RELATED,ESTABLISHED']],
  ['! state NEW', 'X', ['match: -m state | ! --state NEW']],
  ['tcp to:10.0.0.1:80', 'DNAT', ['match: -m tcp', 'target: --to-destination 10.0.0.1:80']],
  ['to:[fd00::1]:80 random persistent', 'DNAT', [
    'target: --to-destination [fd00::1]:80',
    'target: --random',
    'target: --persistent',
  ]],
  ['to:1.2.3.4 random-fully', 'SNAT', ['target: --to-source 1.2.3.4', 'target: --random-fully']],
  ['random-fully', 'MASQUERADE', ['target: --random-fully']],
  ['masq ports: 1000-2000 random', 'MASQUERADE', ['target: --to-ports 1000-2000', 'target: --random']],
  ['redir ports 3128', 'REDIRECT', ['target: --to-ports 3128']],
  ['reject-with icmp-port-unreachable', 'REJECT', ['target: --reject-with icmp-port-unreachable']],
  ['nfacct-name  localhost_nps_accepted_pkts', 'X', ['match: -m nfacct | --nfacct-name localhost_nps_accepted_pkts']],
  ['PHYSDEV match --physdev-is-in', 'X', ['match: -m physdev | --physdev-is-in']],
  ['PHYSDEV match --physdev-in eth0 ! --physdev-is-bridged', 'X', [
    'match: -m physdev | --physdev-in eth0 | ! --physdev-is-bridged',
  ]],
  ['LOG flags 0 level 4 prefix "x"', 'LOG', ['target: --log-prefix x']],
  ['LOG flags 46 level 7', 'LOG', ['target: --log-level 7 | --log-tcp-options | --log-ip-options | --log-uid | --log-macdecode']],
  ['LOG level info tcp-sequence prefix "in drop: "', 'LOG', ['target: --log-prefix in drop:  | --log-level 6 | --log-tcp-sequence']],
  ['nflog-prefix "nf x" nflog-group 5', 'NFLOG', ['target: --nflog-prefix nf x', 'target: --nflog-group 5']],
  ['[goto]  /* cali:PgIW-V0nEjDmuFn1 */', 'X', ['goto: ', 'match: -m comment | --comment cali:PgIW-V0nEjDmuFn1']],
  ['icmptype 8', 'X', ['match: -m icmp | --icmp-type 8']],
  ['icmptype 3 code 4', 'X', ['match: -m icmp | --icmp-type 3/4']],
  ['icmptype 255', 'X', ['match: -m icmp | --icmp-type any']],
  ['icmp !type 8', 'X', ['match: -m icmp | ! --icmp-type 8']],
  ['icmp echo-request', 'X', ['match lossy: -m icmp | --icmp-type echo-request']],
  ['ipv6-icmptype 128', 'X', ['match: -m icmp6 | --icmpv6-type 128']],
  ['limit: avg 3/hour burst 5', 'X', ['match: -m limit | --limit 3/hour']],
  ['limit: avg 10/sec burst 20', 'X', ['match: -m limit | --limit 10/sec | --limit-burst 20']],
  ['CT notrack', 'CT', ['target: --notrack']],
  ['CT zone 1', 'CT', ['target: --zone 1']],
  ['TCPMSS clamp to PMTU', 'TCPMSS', ['target: --clamp-mss-to-pmtu']],
  ['TCPMSS set 1400', 'TCPMSS', ['target: --set-mss 1400']],
  ['MAC ! 00:11:22:33:44:55', 'X', ['match: -m mac | ! --mac-source 00:11:22:33:44:55']],
  ['source IP range ! 10.0.0.1-10.0.0.9 destination IP range 10.1.0.1-10.1.0.2', 'X', [
    'match: -m iprange | ! --src-range 10.0.0.1-10.0.0.9 | --dst-range 10.1.0.1-10.1.0.2',
  ]],
  ['length 100:200', 'X', ['match: -m length | --length 100:200']],
  ['PKTTYPE != broadcast', 'X', ['match: -m pkttype | ! --pkt-type broadcast']],
  ['owner UID match 1000', 'X', ['match: -m owner | --uid-owner 1000']],
  ['owner UID match root', 'X', ['match lossy: -m owner | --uid-owner root']],
  ['rpfilter validmark invert', 'X', ['match: -m rpfilter | --validmark | --invert']],
];

describe('match text → iptables-save arguments', () => {
  for (const [text, target, expected] of CASES) {
    it(`${text} (${target})`, () => {
      expect(show(text, target)).toEqual(expected);
      expect(show(text, target, 'grammar')).toEqual(expected);
    });
  }
});

describe('text that is not understood', () => {
  it('keeps unknown words as one run between understood items', () => {
    expect(show('/* c */ frag  more tcp dpt:80')).toEqual([
      'match: -m comment | --comment c',
      'unknown "frag  more"',
      'match: -m tcp | --dport 80',
    ]);
  });

  it('merges a broken item with the unknown words around it, with the reason', () => {
    expect(show('mark match foo bar')).toEqual(['unknown "mark match foo bar" (bad mark "foo")']);
    expect(show('statistic mode random')).toEqual(['unknown "statistic mode random" (probability missing)']);
    expect(show('recent: CHECK name: X')).toEqual(['unknown "recent: CHECK name: X" (side missing)']);
    expect(show('to:10.0.0.1:80', 'ACCEPT')).toEqual(['unknown "to:10.0.0.1:80" ("to:" with target ACCEPT)']);
    expect(show('MARK save mask 0xff', 'CONNMARK')).toEqual([
      'unknown "MARK save mask 0xff" (unknown MARK operation "save mask")',
    ]);
  });

  it('treats a lone "!" before something not negatable as unknown', () => {
    expect(show('! tcp dpt:1')).toEqual(['unknown "!"', 'match: -m tcp | --dport 1']);
    expect(show('tcp !')).toEqual(['match: -m tcp', 'unknown "!"']);
  });
});

describe('the fast path', () => {
  it('answers for every row kube-proxy writes', () => {
    const rows: [string, string][] = [
      ['/* ns/svc:p -> 10.0.0.1:80 */ statistic mode random probability 0.33333333349', 'KUBE-SEP-X'],
      ['/* ns/svc:p */ recent: SET name: KUBE-SEP-X side: source mask: 255.255.255.255 tcp to:10.0.0.1:80', 'DNAT'],
      ['/* ns/svc:p cluster IP */ tcp dpt:80', 'KUBE-SVC-X'],
      ['mark match ! 0x4000/0x4000', 'RETURN'],
      ['MARK xor 0x4000', 'MARK'],
      ['/* kubernetes service traffic requiring SNAT */ random-fully', 'MASQUERADE'],
      ['ctstate INVALID nfacct-name  ct_state_invalid_dropped_pkts', 'DROP'],
      ['/* block incoming localnet connections */ ! ctstate RELATED,ESTABLISHED,DNAT', 'DROP'],
      ['/* Kubernetes service cluster ip + port for masquerade purpose */ match-set KUBE-CLUSTER-IP dst,dst', 'KUBE-MARK-MASQ'],
      ['/* kubernetes service nodeports; NOTE: this must be the last rule in this chain */ ADDRTYPE match dst-type LOCAL', 'X'],
      ['/* ns/svc:p has no endpoints */ tcp dpt:80 reject-with icmp-port-unreachable', 'REJECT'],
    ];
    for (const [text, target] of rows) expect(fastItems(splitMatchText(text), target), text).toBeDefined();
  });

  it('leaves other items to the grammar', () => {
    expect(fastItems(splitMatchText('/* c */ LOG flags 0 level 4'), 'LOG')).toBeUndefined();
    expect(fastItems(splitMatchText('multiport dports 80,443'), 'ACCEPT')).toBeUndefined();
    expect(fastItems(splitMatchText('! owner UID match 0'), 'ACCEPT')).toBeUndefined();
  });
});
