import { describe, expect, it } from 'vitest';
import type { NftRuleSet } from './nft-types.js';
import { durationText, listedRule, printNftListed, priorityText } from './print-nft-listed.js';

const words = (text: string) => text.split(' ');

const SMALL: NftRuleSet = {
  kind: 'nft',
  origin: 'compiled',
  fidelity: 'exact',
  family: 'ip',
  table: 'kube-proxy',
  tableComment: 'rules for kube-proxy',
  chains: [
    { name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: -100 }, rules: [{ words: words('jump services') }] },
    { name: 'mark-for-masquerade', rules: [{ words: words('mark set mark or 0x4000') }] },
    {
      name: 'endpoint-X',
      rules: [{ words: words('update @affinity-X { ip saddr }') }, { words: words('meta l4proto tcp dnat to 10.180.0.1:80') }],
    },
    { name: 'services', comment: 'entry', rules: [{ words: words('ip daddr . meta l4proto . th dport vmap @service-ips'), comment: 'c' }] },
    { name: 'filter-output-pre-dnat', base: { type: 'filter', hook: 'output', priority: -110 }, rules: [] },
  ],
  sets: [
    {
      name: 'service-ips',
      kind: 'map',
      type: 'ipv4_addr . inet_proto . inet_service : verdict',
      elements: [
        { key: ['172.30.0.41', 'tcp', '80'], value: 'goto services' },
        { key: ['10.0.0.1', 'udp', '53'], comment: 'kube-system/dns:dns', value: 'goto services' },
      ],
    },
    { name: 'cluster-ips', kind: 'set', type: 'ipv4_addr', comment: 'Active ClusterIPs', elements: ['172.30.0.43', '172.30.0.41', '10.0.0.1'].map((k) => ({ key: [k] })) },
    { name: 'affinity-X', kind: 'set', type: 'ipv4_addr', flags: ['dynamic', 'timeout'], timeout: 10800, elements: [] },
  ],
};

describe('printNftListed', () => {
  it('prints a table as nft list table does: sets, maps, then chains, each in name order', () => {
    expect(printNftListed([SMALL])).toBe(
      [
        'table ip kube-proxy {',
        '\tcomment "rules for kube-proxy"',
        '\tset affinity-X {',
        '\t\ttype ipv4_addr',
        '\t\tsize 65535',
        '\t\tflags dynamic,timeout',
        '\t\ttimeout 3h',
        '\t}',
        '',
        '\tset cluster-ips {',
        '\t\ttype ipv4_addr',
        '\t\tcomment "Active ClusterIPs"',
        '\t\telements = { 10.0.0.1, 172.30.0.41,',
        '\t\t\t     172.30.0.43 }',
        '\t}',
        '',
        '\tmap service-ips {',
        '\t\ttype ipv4_addr . inet_proto . inet_service : verdict',
        '\t\telements = { 10.0.0.1 . udp . 53 comment "kube-system/dns:dns" : goto services,',
        '\t\t\t     172.30.0.41 . tcp . 80 : goto services }',
        '\t}',
        '',
        '\tchain endpoint-X {',
        '\t\tupdate @affinity-X { ip saddr }',
        '\t\tmeta l4proto tcp dnat to 10.180.0.1:80',
        '\t}',
        '',
        '\tchain filter-output-pre-dnat {',
        '\t\ttype filter hook output priority -110; policy accept;',
        '\t}',
        '',
        '\tchain mark-for-masquerade {',
        '\t\tmeta mark set meta mark | 0x00004000',
        '\t}',
        '',
        '\tchain nat-prerouting {',
        '\t\ttype nat hook prerouting priority dstnat; policy accept;',
        '\t\tjump services',
        '\t}',
        '',
        '\tchain services {',
        '\t\tcomment "entry"',
        '\t\tip daddr . meta l4proto . th dport vmap @service-ips comment "c"',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('prints tables one after the other in the order given, an empty one as its header and brace', () => {
    const empty = (family: 'ip' | 'ip6'): NftRuleSet => ({ kind: 'nft', origin: 'compiled', fidelity: 'exact', family, table: 'kube-proxy', chains: [], sets: [] });
    expect(printNftListed([empty('ip6'), empty('ip')])).toBe('table ip6 kube-proxy {\n}\ntable ip kube-proxy {\n}\n');
  });

  it('orders map elements by their bytes read as one little-endian number (port before address), and gives each its own line', () => {
    const map: NftRuleSet = {
      kind: 'nft',
      origin: 'compiled',
      fidelity: 'exact',
      family: 'ip6',
      table: 't',
      chains: [],
      sets: [
        {
          name: 'm',
          kind: 'map',
          type: 'ipv6_addr . inet_proto . inet_service : verdict',
          elements: [
            { key: ['fd00::2', 'tcp', '80'], value: 'drop' },
            { key: ['fd00::1', 'tcp', '81'], value: 'drop' },
            { key: ['fd00::1:0', 'udp', '80'], value: 'drop' },
            { key: ['fd00::9', 'tcp', '80'], value: 'drop' },
          ],
        },
        { name: 's', kind: 'set', type: 'ipv6_addr', elements: [{ key: ['fd00::2'] }, { key: ['fd00::1'] }] },
        { name: 'p', kind: 'set', type: 'inet_service', elements: [8, 7, 6, 5, 4, 3, 2, 1].map((n) => ({ key: [String(n)] })) },
      ],
    };
    expect(printNftListed([map])).toBe(
      [
        'table ip6 t {',
        '\tset p {',
        '\t\ttype inet_service',
        '\t\telements = { 1, 2, 3, 4, 5,',
        '\t\t\t     6, 7, 8 }',
        '\t}',
        '',
        '\tset s {',
        '\t\ttype ipv6_addr',
        '\t\telements = { fd00::1,',
        '\t\t\t     fd00::2 }',
        '\t}',
        '',
        '\tmap m {',
        '\t\ttype ipv6_addr . inet_proto . inet_service : verdict',
        '\t\telements = { fd00::2 . tcp . 80 : drop,',
        '\t\t\t     fd00::9 . tcp . 80 : drop,',
        '\t\t\t     fd00::1:0 . udp . 80 : drop,',
        '\t\t\t     fd00::1 . tcp . 81 : drop }',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('leaves out the timeout flag of a set with a default timeout, and the size of a set no rule updates', () => {
    const rs: NftRuleSet = {
      kind: 'nft',
      origin: 'compiled',
      fidelity: 'exact',
      family: 'ip',
      table: 't',
      chains: [],
      sets: [
        { name: 'a', kind: 'set', type: 'ipv4_addr', flags: ['timeout'], timeout: 90061, elements: [] },
        { name: 'b', kind: 'set', type: 'ipv4_addr', flags: ['timeout', 'dynamic'], elements: [] },
      ],
    };
    expect(printNftListed([rs])).toBe('table ip t {\n\tset a {\n\t\ttype ipv4_addr\n\t\ttimeout 1d1h1m1s\n\t}\n\n\tset b {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t}\n}\n');
  });
});

describe('listedRule', () => {
  it.each([
    ['mark set mark or 0x4000', 'meta mark set meta mark | 0x00004000'],
    ['mark and 0x00004000 == 0 return', 'meta mark & 0x00004000 == 0x00000000 return'],
    ['mark set mark xor 0x80000000', 'meta mark set meta mark ^ 0x80000000'],
    ['numgen random mod 2 vmap { 1 : goto b , 0 : goto a }', 'numgen random mod 2 vmap { 0 : goto a, 1 : goto b }'],
    ['numgen random mod 1 vmap { 0 : goto a }', 'numgen random mod 1 vmap { 0 : goto a }'],
    ['ip saddr != { 203.0.113.0/25 } drop', 'ip saddr != 203.0.113.0/25 drop'],
    ['ip saddr != { 203.0.113.0/24 , 203.0.113.0/24 } drop', 'ip saddr != { 203.0.113.0/24 } drop'],
    ['ip saddr != { 192.168.0.0/16 , 5.6.7.9 , 5.6.7.8 , 192.168.3.4 } drop', 'ip saddr != { 5.6.7.8/31, 192.168.0.0/16 } drop'],
    ['ip saddr != { 10.0.0.0/31 , 10.0.0.2 } drop', 'ip saddr != { 10.0.0.0-10.0.0.2 } drop'],
    ['ip saddr != { 10.0.0.2 , 10.0.0.1 , 10.0.0.2 } drop', 'ip saddr != { 10.0.0.1, 10.0.0.2 } drop'],
    ['ip daddr { 10.96.0.0/12,172.30.0.0/16 } drop', 'ip daddr { 10.96.0.0/12, 172.30.0.0/16 } drop'],
    ['ip6 saddr != { ::/0 , fd00::1 } drop', 'ip6 saddr != { ::/0 } drop'],
    ['ip6 daddr fd00::1/128 ip6 saddr fd00:10::/64 jump x', 'ip6 daddr fd00::1 ip6 saddr fd00:10::/64 jump x'],
    ['meta l4proto tcp dnat to [fd00:10:0::5]:8080', 'meta l4proto tcp dnat to [fd00:10::5]:8080'],
    ['iifname cbr0 goto x', 'iifname "cbr0" goto x'],
    ['iifname != "@x*" goto x', 'iifname != "@x*" goto x'],
    ['iifname != veth* jump x', 'iifname != "veth*" jump x'],
    ['update @a { ip saddr }', 'update @a { ip saddr }'],
    ['fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @m', 'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @m'],
  ])('%s', (written, listed) => {
    expect(listedRule(words(written))).toBe(listed);
  });
});

describe('priorities and durations', () => {
  it.each([
    ['prerouting', -100, 'dstnat'],
    ['prerouting', -110, 'dstnat - 10'],
    ['output', -110, '-110'],
    ['output', -100, '-100'],
    ['postrouting', 100, 'srcnat'],
    ['input', 100, '100'],
    ['forward', 0, 'filter'],
    ['forward', 10, 'filter + 10'],
    ['forward', 11, '11'],
    ['prerouting', -300, 'raw'],
    ['prerouting', -155, 'mangle - 5'],
    ['output', 45, 'security - 5'],
  ] as const)('%s %d is %s', (hook, priority, text) => {
    expect(priorityText({ type: 'filter', hook, priority })).toBe(text);
  });

  it('prints durations in days, hours, minutes and seconds, leaving out zero parts', () => {
    expect([10800, 60, 1, 86400, 90061, 3661].map(durationText)).toEqual(['3h', '1m', '1s', '1d', '1d1h1m1s', '1h1m1s']);
  });
});
