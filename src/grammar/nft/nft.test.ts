import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NftRuleSet } from '../../ast/nft-types.js';
import { parseDuration, parseNft } from './index.js';

const DIR = join(import.meta.dirname, '../../../test/fixtures/dumps/nft');

const shown = (text: string) => {
  const r = parseNft(text, 'f');
  return {
    diagnostics: r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`),
    tables: r.ruleSets.map((rs) => ({
      table: `${rs.family} ${rs.table}`,
      chains: rs.chains.map((c) => `${c.name}${c.base ? ` (${c.base.type} ${c.base.hook} ${c.base.priority})` : ''}: ${c.rules.map((x) => x.words.join(' ')).join(' | ')}`),
      sets: rs.sets.map((s) => `${s.kind} ${s.name}: ${s.elements.map((e) => e.key.join(' . ')).join(', ')}`),
    })),
  };
};

describe('nft list listings', () => {
  it('reads a node listing with handles: iptables-nft tables and kube-proxy tables of both families', () => {
    const r = parseNft(readFileSync(join(DIR, 'node-listing-a.nft'), 'utf8'), 'node-listing-a.nft');
    expect(r.diagnostics).toEqual([]);
    expect(r.ruleSets.map((rs) => [`${rs.family} ${rs.table}`, rs.handle, rs.chains.length, rs.sets.length])).toEqual([
      ['ip nat', 1, 8, 0],
      ['ip kube-proxy', 2, 32, 8],
      ['ip6 kube-proxy', 3, 16, 7],
    ]);
    const [nat, kp] = r.ruleSets as [NftRuleSet, NftRuleSet];
    expect(nat.chains[0]).toEqual({
      name: 'PREROUTING',
      base: { type: 'nat', hook: 'prerouting', priority: -100, policy: 'accept' },
      handle: 1,
      pos: { file: 'node-listing-a.nft', line: 3, column: 8 },
      rules: [{ words: ['counter', 'jump', 'KUBE-SERVICES'], counters: { packets: 0, bytes: 0 }, handle: 9, pos: { file: 'node-listing-a.nft', line: 5, column: 4 } }],
    });
    expect(nat.chains.find((c) => c.name === 'KUBE-MARK-MASQ')?.rules.map((x) => x.words.join(' '))).toEqual(['counter mark set mark or 0x4000']);
    expect(kp.tableComment).toBe('rules for kube-proxy');
    const chain = (name: string) => kp.chains.find((c) => c.name === name);
    expect(chain('filter-prerouting-pre-dnat')?.base).toEqual({ type: 'filter', hook: 'prerouting', priority: -110, policy: 'accept' });
    expect(chain('nat-postrouting')?.base).toEqual({ type: 'nat', hook: 'postrouting', priority: 100, policy: 'accept' });
    expect(chain('reject-chain')?.comment).toBe('helper for @no-endpoint-services / @no-endpoint-nodeports');
    // The listing's spelling, read as kube-proxy writes it.
    expect(chain('mark-for-masquerade')?.rules.map((x) => x.words.join(' '))).toEqual(['mark set mark or 0x00004000']);
    expect(chain('masquerading')?.rules.map((x) => x.words)).toEqual([
      ['mark', 'and', '0x00004000', '==', '0', 'return'],
      ['mark', 'set', 'mark', 'xor', '0x00004000'],
      ['masquerade', 'fully-random'],
    ]);
    expect(chain('cluster-ips-check')?.rules.map((x) => [x.words.join(' '), x.comment, x.handle])).toEqual([
      ['ip daddr @cluster-ips reject', 'Reject traffic to invalid ports of ClusterIPs', 41],
      ['ip daddr { 172.30.0.0/16 } drop', 'Drop traffic to unallocated ClusterIPs', 42],
    ]);
    expect(chain('firewall-HVFWP5L3-ns5/svc5/tcp/p80')?.rules[0]?.words).toEqual(['ip', 'saddr', '!=', '{', '203.0.113.0/25', '}', 'drop']);
    expect(chain('service-LAUZTJTB-ns4/svc4/tcp/p80')?.rules[1]?.words).toEqual([
      'numgen', 'random', 'mod', '2', 'vmap', '{', '0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80', ',', '1 : goto endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80', '}',
    ]);
    const set = (name: string) => kp.sets.find((s) => s.name === name);
    expect(set('affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80')).toEqual({
      name: 'affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80', kind: 'set', type: 'ipv4_addr', size: 65535, flags: ['dynamic', 'timeout'], timeout: 10800, elements: [], handle: 33,
      pos: { file: 'node-listing-a.nft', line: 41, column: 6 },
    });
    expect(set('cluster-ips')?.elements.map((e) => e.key[0])).toEqual(['172.30.0.41', '172.30.0.42', '172.30.0.43', '172.30.0.44', '172.30.0.45', '172.30.0.46']);
    expect(set('no-endpoint-services')?.elements.slice(0, 1)).toEqual([{ key: ['1.2.3.4', 'tcp', '80'], comment: 'ns2/svc2:p80', value: 'drop', pos: { file: 'node-listing-a.nft', line: 77, column: 16 } }]);
  });

  it('reads nft -s (no counters), where the warning lands inside the table when stdout is a pipe', () => {
    const r = parseNft(readFileSync(join(DIR, 'node-listing-s.nft'), 'utf8'), 'node-listing-s.nft');
    expect(r.diagnostics).toEqual([]);
    expect(r.ruleSets.map((rs) => `${rs.family} ${rs.table}`)).toEqual(['ip nat', 'ip kube-proxy']);
    const rules = r.ruleSets.flatMap((rs) => rs.chains.flatMap((c) => c.rules));
    expect(rules.some((x) => x.counters !== undefined || x.handle !== undefined)).toBe(false);
    expect(rules.filter((x) => x.words.includes('counter')).length).toBe(9);
  });

  it('reads elements of dynamic sets with their expiry', () => {
    const r = shown('table ip kube-proxy {\n\tset a {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t\ttimeout 3h\n\t\telements = { 10.0.0.8 expires 3h, 10.0.0.9 timeout 1d2h3m4s500ms expires 2h59m }\n\t}\n}\n');
    expect(r).toEqual({ diagnostics: [], tables: [{ table: 'ip kube-proxy', chains: [], sets: ['set a: 10.0.0.8, 10.0.0.9'] }] });
    const set = parseNft('table ip t {\n\tset a {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.9 timeout 3h expires 2h59m }\n\t}\n}\n', 'f').ruleSets[0]?.sets[0];
    expect(set?.elements[0]?.options).toEqual(['timeout', '3h', 'expires', '2h59m']);
  });

  it('reads durations as nft prints them', () => {
    expect(['3h', '10800s', '1d2h3m4s', '500ms', '90', '2m', 'x', '3h3h', ''].map(parseDuration)).toEqual([10800, 10800, 93784, 0.5, 90, 120, undefined, undefined, undefined]);
  });

  it('reads named priorities with offsets, and the bridge family its own', () => {
    const text = ['raw', 'mangle', 'dstnat - 10', 'filter + 5', 'security', 'srcnat', '-42'].map((p, i) => `\tchain c${i} {\n\t\ttype filter hook input priority ${p}; policy drop;\n\t}`);
    expect(shown(`table inet t {\n${text.join('\n')}\n}\ntable bridge b {\n\tchain c {\n\t\ttype filter hook forward priority dstnat;\n\t}\n}\n`).tables.map((t) => t.chains)).toEqual([
      ['c0 (filter input -300): ', 'c1 (filter input -150): ', 'c2 (filter input -110): ', 'c3 (filter input 5): ', 'c4 (filter input 50): ', 'c5 (filter input 100): ', 'c6 (filter input -42): '],
      ['c (filter forward -300): '],
    ]);
  });
});

describe('nft -f input', () => {
  it('reads the block form and the add form with an optional family, and flush/delete as changes', () => {
    expect(shown('add table t\nadd chain t c { type nat hook output priority -100 ; comment "x" ; }\nadd rule t c ip daddr 1.2.3.4 counter jump d\ninsert rule ip t c jump first\nadd chain ip t d\nadd rule ip t d jump gone\nflush chain ip t d\ndelete chain ip t d\nadd set ip t s { type ipv4_addr ; }\nadd element ip t s { 1.2.3.4, 5.6.7.8 }\ndelete element ip t s { 1.2.3.4 }\n')).toEqual({
      diagnostics: ["7:1 note RC279: 'flush chain' read as a change to the text above", "8:1 note RC279: 'delete chain' read as a change to the text above", "11:1 note RC279: 'delete element' read as a change to the text above"],
      tables: [{ table: 'ip t', chains: ['c (nat output -100): jump first | ip daddr 1.2.3.4 counter jump d'], sets: ['set s: 5.6.7.8'] }],
    });
  });

  it('keeps words as written: a set written without blanks is one word, a comma with a blank its own', () => {
    const words = (rule: string) => parseNft(`add table ip t\nadd chain ip t c\nadd rule ip t c ${rule}\n`, 'f').ruleSets[0]?.chains[0]?.rules[0]?.words;
    expect(words('ip daddr { 10.0.0.0/8,172.16.0.0/12 } drop')).toEqual(['ip', 'daddr', '{', '10.0.0.0/8,172.16.0.0/12', '}', 'drop']);
    expect(words('ip saddr != { 1.2.3.4, 5.6.7.8 } drop')).toEqual(['ip', 'saddr', '!=', '{', '1.2.3.4', ',', '5.6.7.8', '}', 'drop']);
    expect(words('iifname != "eth0*" jump x comment "a \\"b\\""')).toEqual(['iifname', '!=', 'eth0*', 'jump', 'x']);
    expect(parseNft('add table ip t\nadd chain ip t c\nadd rule ip t c jump x comment "a \\"b\\""\n', 'f').ruleSets[0]?.chains[0]?.rules[0]?.comment).toBe('a "b"');
    expect(words('ip daddr 10.0.0.1 drop')).toEqual(['ip', 'daddr', '{', '10.0.0.1', '}', 'drop']);
    expect(words('ip daddr 10.0.0.1 accept')).toEqual(['ip', 'daddr', '10.0.0.1', 'accept']);
    // A listing quotes every interface name; kube-proxy writes the usual shapes bare.
    expect(words('iifname != "eth0" jump x')).toEqual(['iifname', '!=', 'eth0', 'jump', 'x']);
    expect(words('iifname "veth*" oifname "eth0.100" jump x')).toEqual(['iifname', 'veth*', 'oifname', 'eth0.100', 'jump', 'x']);
    expect(words('iifname != "@x" iifname "accept" iifname "0x10*" jump x')).toEqual(['iifname', '!=', '"@x"', 'iifname', '"accept"', 'iifname', '"0x10*"', 'jump', 'x']);
  });
});

describe('bad input', () => {
  const cases: Array<[string, string, string[]]> = [
    ['a command nft -f text never holds', 'list ruleset\nadd table ip t\n', ["1:1 error RC272: line starts with 'list'; expected table, add, create, insert, flush, delete or a # comment"]],
    ['a block the text ends in', 'table ip t {\n\tchain c {\n\t\tjump x\n', ["3:10 error RC277: chain 'c' opened at line 2 is not closed: the text ends before its '}'", "3:10 error RC277: table 'ip t' opened at line 1 is not closed: the text ends before its '}'"]],
    ['an undeclared chain, set and table', 'add table ip t\nadd rule ip t nope jump x\nadd element ip t s { 1.2.3.4 }\nadd chain ip u c\n', ["2:15 error RC273: chain 'nope' is not declared in table 'ip t'", "3:18 error RC273: set or map 's' is not declared in table 'ip t'", "4:14 error RC273: table 'ip u' is not declared: an 'add table ip u' must come first"]],
    ['a bad priority and hook', 'table ip t {\n\tchain c {\n\t\ttype nat hook prerouting priority dstnat + x; policy accept;\n\t}\n\tchain d {\n\t\ttype nat hook sideways priority 0;\n\t}\n}\n', ["3:37 error RC275: priority 'dstnat + x' is not a number or a named priority with an offset (dstnat - 10)", "6:17 error RC278: unknown hook 'sideways'"]],
    ['an unknown family', 'table ipx t {\n}\nadd table ip t\n', ["1:7 error RC278: unknown family 'ipx' (nftables has ip, ip6, inet, arp, bridge and netdev)"]],
    ['an object rulec does not model', 'table inet f {\n\tflowtable ft {\n\t\thook ingress priority filter\n\t\tdevices = { lo }\n\t}\n\tchain c {\n\t\tjump x\n\t}\n}\n', ['2:2 warning RC276: flowtable objects are not read; skipped']],
    ['bad set properties and an element without a key', 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\ttimeout forever\n\t\tsize lots\n\t\telements = { 1.2.3.4, : drop }\n\t}\n}\n', ["4:11 error RC275: timeout 'forever' is not a duration (3h, 10800s)", "5:8 error RC275: size 'lots' is not a number", "6:25 error RC270: expected a key of an element of 's', found ':'"]],
    ['a control character', 'add table ip t\nadd chain ip t c\nadd rule ip t c jump \x01x\n', ['3:22 error RC271: stray character 0x01']],
    ['a quote never closed', 'add table ip t\nadd chain ip t c\nadd rule ip t c jump x comment "abc\nadd rule ip t c jump y\n', ['3:32 error RC271: unterminated quoted string: the closing " is missing']],
    ['a quote lost in a one-line table block: the block ends before the next statement', 'add table ip t { comment "abc ; }\nadd chain ip t c\nadd rule ip t c jump x\n', ['1:26 error RC271: unterminated quoted string: the closing " is missing', "2:1 error RC277: table 'ip t' opened at line 1 is not closed before this statement"]],
    ['a brace never closed in a rule', 'add table ip t\nadd chain ip t c\nadd rule ip t c ip daddr { 1.2.3.4\n', ["3:17 error RC277: a '{' in this rule is not closed"]],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => expect(shown(text).diagnostics).toEqual(expected));
  }

  it('reads on at the next line: the good rules around bad ones are kept', () => {
    expect(shown('add table ip t\nadd chain ip t c\nadd rule ip t c jump \x01x\nadd rule ip t c jump y\nadd rule ip t c jump x comment "abc\nadd rule ip t c jump z\n').tables).toEqual([{ table: 'ip t', chains: ['c: jump y | jump z'], sets: [] }]);
  });

  it('never throws, on any text', () => {
    const alphabet = fc.constantFrom('table', 'add', 'chain', 'set', 'map', 'rule', 'element', 'ip', 'ip6', 't', '{', '}', ';', ',', ':', '.', '"', '#', '\n', ' ', 'elements', '=', 'type', 'hook', 'priority', 'flush', 'delete', '\x00', 'comment', 'vmap');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => {
        const r = parseNft(parts.join(' '), 'f');
        expect(r.diagnostics.every((d) => d.line >= 1 && d.column >= 1 && /^RC2(7\d|80|05|17)$/.test(d.code))).toBe(true);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});
