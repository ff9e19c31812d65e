import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffNormalRuleSets, normalRuleSet } from '../../ast/normal-form.js';
import type { Arg, Chain, IptablesRuleSet, Rule, Table } from '../../ast/types.js';
import type { Diagnostic } from '../../diagnostics.js';
import { parseIptablesSave } from '../iptables-save/parse.js';
import { parseIptablesList } from './parse.js';

/**
 * Listings taken from the real iptables 1.8.9 (nf_tables) after loading realistic rule sets
 * (see test/fixtures/dumps/list/README.md), checked fact by fact, against the iptables-save
 * dump of the same kernel state, and against their committed JSON.
 */
const DIR = join(import.meta.dirname, '../../../test/fixtures/dumps/list');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

function parse(name: string): { sets: IptablesRuleSet[]; diagnostics: Diagnostic[] } {
  const r = parseIptablesList(read(name), name);
  return { sets: r.ruleSets as IptablesRuleSet[], diagnostics: r.diagnostics };
}

function only(name: string): { rs: IptablesRuleSet; diagnostics: Diagnostic[] } {
  const { sets, diagnostics } = parse(name);
  expect(sets).toHaveLength(1);
  return { rs: sets[0] as IptablesRuleSet, diagnostics };
}

function table(rs: IptablesRuleSet, name: string): Table {
  const t = rs.tables.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no table ${name}`);
  return t;
}

function chain(t: Table, name: string): Chain {
  const c = t.chains.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no chain ${name}`);
  return c;
}

const text = (a: Arg): string => [...(a.negated ? ['!'] : []), a.flag, ...a.values].join(' ');
const words = (r: Rule): string => r.args.map(text).join(' | ');
const value = (r: Rule, flag: string): string | undefined => r.args.find((a) => a.flag === flag)?.values[0];
const ruleCount = (t: Table): number => t.chains.reduce((n, c) => n + c.rules.length, 0);
const policies = (t: Table): Record<string, string> => Object.fromEntries(t.chains.map((c) => [c.name, c.policy]));

/** KUBE-SVC chain → "SEP probability" per endpoint jump (session-affinity `--rcheck` rules left out). */
function fanOut(t: Table, svc: string): string[] {
  return chain(t, svc)
    .rules.filter((r) => (value(r, '-j') ?? '').startsWith('KUBE-SEP-') && !r.args.some((a) => a.flag === '--rcheck'))
    .map((r) => `${value(r, '-j')} ${value(r, '--probability') ?? '-'}`);
}

/** Every KUBE-SEP chain's DNAT destination. */
function destinations(t: Table): Record<string, string | undefined> {
  return Object.fromEntries(
    t.chains.filter((c) => c.name.startsWith('KUBE-SEP-')).map((c) => [c.name, c.rules.map((r) => value(r, '--to-destination')).find((v) => v)]),
  );
}

/**
 * The rules of an iptables-save text, chain by chain, as the same argument words: a small
 * independent reader (quotes, backslash escapes, `!`), so the comparison does not lean on the
 * iptables-save grammar.
 */
function savedRules(saveText: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let tableName = '';
  for (const line of saveText.split('\n')) {
    if (line.startsWith('*')) tableName = line.slice(1);
    if (!line.startsWith('-A ')) continue;
    const ws: { w: string; quoted: boolean }[] = [];
    for (let i = 0; i < line.length; ) {
      if (line[i] === ' ') {
        i++;
      } else if (line[i] === '"') {
        let j = i + 1;
        let s = '';
        for (; j < line.length && line[j] !== '"'; j++) s += line[j] === '\\' ? line[++j] : line[j];
        ws.push({ w: s, quoted: true });
        i = j + 1;
      } else {
        const j = line.indexOf(' ', i) < 0 ? line.length : line.indexOf(' ', i);
        ws.push({ w: line.slice(i, j), quoted: false });
        i = j;
      }
    }
    const [, chainWord, ...rest] = ws;
    const args: string[] = [];
    let neg = false;
    for (const { w, quoted } of rest) {
      if (w === '!' && !quoted) neg = true;
      else if (w.startsWith('-') && !quoted) {
        args.push(`${neg ? '! ' : ''}${w}`);
        neg = false;
      } else args[args.length - 1] += ` ${w}`;
    }
    const key = `${tableName} ${chainWord?.w ?? ''}`;
    out.set(key, [...(out.get(key) ?? []), args.join(' | ')]);
  }
  return out;
}

function listedRules(sets: IptablesRuleSet[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rs of sets) for (const t of rs.tables) for (const c of t.chains) if (c.rules.length) out.set(`${t.name} ${c.name}`, c.rules.map(words));
  return out;
}

const PAIRS: [listing: string, save: string][] = [
  ['kube-nat-nv-lines.txt', 'kube-nat.save'],
  ['kube-nat-nvx.txt', 'kube-nat.save'],
  ['filter-docker-calico-nv-lines.txt', 'filter-docker-calico.save'],
  ['flannel-docker-nat-nvx.txt', 'flannel-docker-nat.save'],
  ['kube-nat6-nv-lines.txt', 'kube-nat6.save'],
  ['extensions-nv.txt', 'extensions.save'],
];

describe('listings with -n -v against iptables-save of the same rules', () => {
  for (const [listing, save] of PAIRS) {
    it(`${listing} gives every rule of ${save} argument for argument`, () => {
      const expected = savedRules(read(save));
      const actual = listedRules(parse(listing).sets);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [key, rules] of expected) expect(actual.get(key), key).toEqual(rules);
    });
  }

  it('kube-nat-nv-lines.txt equals kube-nat.save in normal form', () => {
    const saved = parseIptablesSave(read('kube-nat.save'), 'kube-nat.save');
    expect(saved.diagnostics).toEqual([]);
    const listed = only('kube-nat-nv-lines.txt').rs;
    expect(diffNormalRuleSets(normalRuleSet(saved.ruleSets[0] as IptablesRuleSet), normalRuleSet(listed))).toEqual([]);
  });

  it('kube-nat-v-names.txt differs from kube-nat.save in normal form only where host names were printed', () => {
    const saved = parseIptablesSave(read('kube-nat.save'), 'kube-nat.save');
    const listed = only('kube-nat-v-names.txt').rs;
    const diff = diffNormalRuleSets(normalRuleSet(saved.ruleSets[0] as IptablesRuleSet), normalRuleSet(listed));
    expect(diff.map((d) => d.chain)).toEqual([
      'KUBE-SEP-4HMN4TJA3BJJCUCN',
      'KUBE-SEP-C3QKEQ2X6JKBZ5T3',
      'KUBE-SEP-GHSMOQUZ4QGG4K5I',
      'KUBE-SEP-LPGSDLJ3FDW46N4W',
      'KUBE-SERVICES',
      'KUBE-SVC-NPX46M4PTMTKRN6Y',
    ]);
    for (const d of diff) {
      expect(d.extra?.join('\n')).toMatch(/-[sd] (coredns-5d78c9869d-8kq2v|kind-control-plane|kubernetes\.default\.svc\.cluster\.local) /);
    }
  });
});

describe('kube-nat-nv-lines.txt (iptables -t nat -L -n -v --line-numbers, command pasted above)', () => {
  const { rs, diagnostics } = only('kube-nat-nv-lines.txt');
  const nat = table(rs, 'nat');

  it('reads one exact IPv4 nat table, named by the command line, without diagnostics', () => {
    expect(diagnostics).toEqual([]);
    expect([rs.family, rs.fidelity, rs.origin]).toEqual(['ipv4', 'exact', 'iptables-list']);
    expect(rs.tables.map((t) => t.name)).toEqual(['nat']);
    expect([nat.chains.length, ruleCount(nat)]).toEqual([27, 62]);
    expect(nat.pos).toEqual({ file: 'kube-nat-nv-lines.txt', line: 1, column: 1 });
  });

  it('keeps policies, rounded policy counters and rule counters', () => {
    expect(policies(nat)).toMatchObject({ PREROUTING: 'ACCEPT', POSTROUTING: 'ACCEPT', 'KUBE-SERVICES': '-', 'KUBE-MARK-MASQ': '-' });
    expect(chain(nat, 'PREROUTING').counters).toEqual({ packets: 1_859_000, bytes: 112_000_000 });
    expect(chain(nat, 'INPUT').counters).toEqual({ packets: 12_345, bytes: 741_000 });
    expect(chain(nat, 'KUBE-SERVICES').rules.map((r) => r.counters)).toEqual([
      { packets: 1024, bytes: 61440 },
      { packets: 2_346_000, bytes: 188_000_000 },
      { packets: 5120, bytes: 307_000 },
      { packets: 77, bytes: 4620 },
      { packets: 41211, bytes: 2_473_000 },
      { packets: 96, bytes: 5760 },
      { packets: 18, bytes: 1080 },
      { packets: 1_749_000, bytes: 105_000_000 },
    ]);
  });

  it('lists the service portals and the nodeport jump last', () => {
    expect(chain(nat, 'KUBE-SERVICES').rules.map((r) => value(r, '-j'))).toEqual([
      'KUBE-SVC-NPX46M4PTMTKRN6Y',
      'KUBE-SVC-TCOU7JCQXEZGVUNU',
      'KUBE-SVC-ERIFXISQEP7F7OF4',
      'KUBE-SVC-JD5MR3NA4I4DYORP',
      'KUBE-SVC-YNMAWMTK4WEX5XV3',
      'KUBE-EXT-YNMAWMTK4WEX5XV3',
      'KUBE-SVC-Z6GDYMWE5TV2NNJN',
      'KUBE-NODEPORTS',
    ]);
    expect(words(chain(nat, 'KUBE-SERVICES').rules[1] as Rule)).toBe(
      '-d 10.96.0.10/32 | -p udp | -m comment | --comment kube-system/kube-dns:dns cluster IP | -m udp | --dport 53 | -j KUBE-SVC-TCOU7JCQXEZGVUNU',
    );
    expect(words(chain(nat, 'KUBE-SERVICES').rules[7] as Rule)).toBe(
      '-m comment | --comment kubernetes service nodeports; NOTE: this must be the last rule in this chain | -m addrtype | --dst-type LOCAL | -j KUBE-NODEPORTS',
    );
  });

  it('fans KUBE-SVC chains out to KUBE-SEP chains with the kernel probabilities', () => {
    expect(fanOut(nat, 'KUBE-SVC-YNMAWMTK4WEX5XV3')).toEqual([
      'KUBE-SEP-BHSV2L5U3YYHMDHG 0.33333333349',
      'KUBE-SEP-K7ZQAN7W3J5QCHPE 0.50000000000',
      'KUBE-SEP-WXWGHGKZOCNYRYI7 -',
    ]);
    expect(fanOut(nat, 'KUBE-SVC-TCOU7JCQXEZGVUNU')).toEqual(['KUBE-SEP-LPGSDLJ3FDW46N4W 0.50000000000', 'KUBE-SEP-PUHFDAMRBZWCPADU -']);
    expect(fanOut(nat, 'KUBE-SVC-NPX46M4PTMTKRN6Y')).toEqual(['KUBE-SEP-GHSMOQUZ4QGG4K5I -']);
    expect(fanOut(nat, 'KUBE-SVC-Z6GDYMWE5TV2NNJN')).toEqual(['KUBE-SEP-LASJGFFJP3UOS6RQ 0.50000000000', 'KUBE-SEP-XLW3JCLRNSFRVWW5 -']);
  });

  it('has the DNAT destination of every endpoint chain', () => {
    expect(destinations(nat)).toEqual({
      'KUBE-SEP-4HMN4TJA3BJJCUCN': '10.244.0.2:9153',
      'KUBE-SEP-BHSV2L5U3YYHMDHG': '10.244.1.5:8080',
      'KUBE-SEP-C3QKEQ2X6JKBZ5T3': '10.244.0.2:53',
      'KUBE-SEP-GHSMOQUZ4QGG4K5I': '172.18.0.2:6443',
      'KUBE-SEP-K7ZQAN7W3J5QCHPE': '10.244.2.7:8080',
      'KUBE-SEP-LASJGFFJP3UOS6RQ': '10.244.1.9:8080',
      'KUBE-SEP-LPGSDLJ3FDW46N4W': '10.244.0.2:53',
      'KUBE-SEP-OP4AXEAS4OXHBEQX': '10.244.0.3:9153',
      'KUBE-SEP-PUHFDAMRBZWCPADU': '10.244.0.3:53',
      'KUBE-SEP-SF3LG62VAE5ALYDV': '10.244.0.3:53',
      'KUBE-SEP-WXWGHGKZOCNYRYI7': '10.244.2.8:8080',
      'KUBE-SEP-XLW3JCLRNSFRVWW5': '10.244.2.11:8080',
    });
  });

  it('turns session affinity and masquerade rows back into their options', () => {
    expect(chain(nat, 'KUBE-SVC-Z6GDYMWE5TV2NNJN').rules.slice(1, 2).map(words)).toEqual([
      '-m comment | --comment shop/cart:http -> 10.244.1.9:8080 | -m recent | --rcheck | --seconds 10800 | --reap | --name KUBE-SEP-LASJGFFJP3UOS6RQ | --mask 255.255.255.255 | --rsource | -j KUBE-SEP-LASJGFFJP3UOS6RQ',
    ]);
    expect(chain(nat, 'KUBE-SEP-LASJGFFJP3UOS6RQ').rules.map(words)).toEqual([
      '-s 10.244.1.9/32 | -m comment | --comment shop/cart:http | -j KUBE-MARK-MASQ',
      '-p tcp | -m comment | --comment shop/cart:http | -m recent | --set | --name KUBE-SEP-LASJGFFJP3UOS6RQ | --mask 255.255.255.255 | --rsource | -m tcp | -j DNAT | --to-destination 10.244.1.9:8080',
    ]);
    expect(chain(nat, 'KUBE-POSTROUTING').rules.map(words)).toEqual([
      '-m mark | ! --mark 0x4000/0x4000 | -j RETURN',
      '-j MARK | --set-xmark 0x4000/0x0',
      '-m comment | --comment kubernetes service traffic requiring SNAT | -j MASQUERADE | --random-fully',
    ]);
    expect(chain(nat, 'KUBE-MARK-MASQ').rules.map(words)).toEqual(['-j MARK | --set-xmark 0x4000/0x4000']);
  });

  it('places every argument at its column', () => {
    const r = chain(nat, 'KUBE-SVC-YNMAWMTK4WEX5XV3').rules[0] as Rule;
    const line = read('kube-nat-nv-lines.txt').split('\n')[(r.pos?.line ?? 0) - 1] ?? '';
    expect(line.startsWith('1    44901 2694K KUBE-MARK-MASQ')).toBe(true);
    expect(r.pos?.column).toBe(1);
    const at = (a: Arg): string => line.slice((a.column ?? 0) - 1).split(' ')[0] ?? '';
    expect(r.args.map(at)).toEqual(['!10.244.0.0/16', '10.96.120.15', '6', '/*', '/*', 'tcp', 'dpt:80', 'KUBE-MARK-MASQ']);
  });
});

describe('kube-nat-v-names.txt (iptables -t nat -L -v: names, no -n)', () => {
  const { rs, diagnostics } = only('kube-nat-v-names.txt');
  const nat = table(rs, 'nat');

  it('is lossy for its host names alone, its table inferred from the built-in chains', () => {
    expect(rs.fidelity).toBe('lossy');
    expect(rs.lossyBecause).toEqual(['host names instead of addresses (no -n)']);
    expect([nat.inferredFrom, nat.excerpt]).toEqual(['its built-in chains PREROUTING, INPUT, OUTPUT, POSTROUTING', undefined]);
    expect(diagnostics).toEqual([
      {
        file: 'kube-nat-v-names.txt',
        line: 1,
        column: 1,
        severity: 'note',
        code: 'RC236',
        message: 'the listing does not name its table; read as the nat table (from its built-in chains PREROUTING, INPUT, OUTPUT, POSTROUTING)',
      },
    ]);
    expect([nat.chains.length, ruleCount(nat)]).toEqual([27, 62]);
  });

  it('keeps host names as printed and turns service names back into ports', () => {
    expect(words(chain(nat, 'KUBE-SERVICES').rules[0] as Rule)).toBe(
      '-d kubernetes.default.svc.cluster.local | -p tcp | -m comment | --comment default/kubernetes:https cluster IP | -m tcp | --dport 443 | -j KUBE-SVC-NPX46M4PTMTKRN6Y',
    );
    expect(words(chain(nat, 'KUBE-SEP-LPGSDLJ3FDW46N4W').rules[0] as Rule)).toBe(
      '-s coredns-5d78c9869d-8kq2v | -m comment | --comment kube-system/kube-dns:dns | -j KUBE-MARK-MASQ',
    );
    expect(value(chain(nat, 'KUBE-SERVICES').rules[6] as Rule, '--dport')).toBe('8080');
  });

  it('still has the fan-out and the DNAT destinations, which are printed as numbers', () => {
    expect(fanOut(nat, 'KUBE-SVC-YNMAWMTK4WEX5XV3')).toEqual([
      'KUBE-SEP-BHSV2L5U3YYHMDHG 0.33333333349',
      'KUBE-SEP-K7ZQAN7W3J5QCHPE 0.50000000000',
      'KUBE-SEP-WXWGHGKZOCNYRYI7 -',
    ]);
    expect(destinations(nat)['KUBE-SEP-GHSMOQUZ4QGG4K5I']).toBe('172.18.0.2:6443');
  });
});

describe('kube-nat-nvx.txt (-x: exact counters)', () => {
  const { rs } = only('kube-nat-nvx.txt');
  const nat = table(rs, 'nat');

  it('keeps the counters exactly', () => {
    expect(rs.fidelity).toBe('exact');
    expect(chain(nat, 'PREROUTING').counters).toEqual({ packets: 1_859_123, bytes: 112_345_678 });
    expect(chain(nat, 'KUBE-SERVICES').rules[1]?.counters).toEqual({ packets: 2_345_678, bytes: 187_654_240 });
    expect(chain(nat, 'KUBE-SVC-TCOU7JCQXEZGVUNU').rules.map((r) => r.counters?.packets)).toEqual([12, 1_172_901, 1_172_777]);
  });

  it('reads the same rules as the rounded listing', () => {
    const strip = (sets: IptablesRuleSet[]): string[][] => sets.flatMap((s) => s.tables.flatMap((t) => t.chains.map((c) => c.rules.map(words))));
    expect(strip([rs])).toEqual(strip([only('kube-nat-nv-lines.txt').rs]));
  });
});

describe('filter-docker-calico-nv-lines.txt (filter table with kube-proxy, Docker and Calico chains)', () => {
  const { rs, diagnostics } = only('filter-docker-calico-nv-lines.txt');
  const filter = table(rs, 'filter');

  it('reads the filter table with its policies', () => {
    expect(diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([
      [1, 'RC236', 'the listing does not name its table; read as the filter table (from its built-in chains INPUT, FORWARD, OUTPUT)'],
    ]);
    expect([rs.fidelity, rs.lossyBecause, filter.excerpt]).toEqual(['exact', undefined, undefined]);
    expect([filter.chains.length, ruleCount(filter)]).toEqual([32, 82]);
    expect(policies(filter)).toMatchObject({ INPUT: 'ACCEPT', FORWARD: 'DROP', OUTPUT: 'ACCEPT', DOCKER: '-', 'cali-FORWARD': '-' });
    expect(chain(filter, 'FORWARD').counters).toEqual({ packets: 17, bytes: 1020 });
    expect(chain(filter, 'FORWARD').rules.map((r) => value(r, '-j'))).toEqual([
      'cali-FORWARD',
      'KUBE-PROXY-FIREWALL',
      'KUBE-FORWARD',
      'KUBE-SERVICES',
      'KUBE-EXTERNAL-SERVICES',
      'DOCKER-USER',
      'DOCKER-ISOLATION-STAGE-1',
      'ACCEPT',
      'DOCKER',
      'ACCEPT',
      'ACCEPT',
      'ACCEPT',
      'MARK',
    ]);
  });

  it('keeps interfaces, negations and Docker rows', () => {
    expect(chain(filter, 'FORWARD').rules.slice(7, 11).map(words)).toEqual([
      '-o docker0 | -m conntrack | --ctstate RELATED,ESTABLISHED | -j ACCEPT',
      '-o docker0 | -j DOCKER',
      '-i docker0 | ! -o docker0 | -j ACCEPT',
      '-i docker0 | -o docker0 | -j ACCEPT',
    ]);
    expect(chain(filter, 'DOCKER').rules.map(words)).toEqual(['-d 172.17.0.2/32 | ! -i docker0 | -o docker0 | -p tcp | -m tcp | --dport 80 | -j ACCEPT']);
  });

  it('reads Calico rows: gotos, IPIP, marks and sets', () => {
    expect(words(chain(filter, 'cali-INPUT').rules[3] as Rule)).toBe('-i cali+ | -m comment | --comment cali:PgIW-V0nEjDmuFn1 | -g cali-wl-to-host');
    expect(words(chain(filter, 'cali-INPUT').rules[0] as Rule)).toBe(
      '-p ipencap | -m comment | --comment cali:PajejrV4aFdkZojI | -m comment | --comment Allow IPIP packets from Calico hosts | -m set | --match-set cali40all-hosts-net src | -m addrtype | --dst-type LOCAL | -j ACCEPT',
    );
    expect(words(chain(filter, 'cali-FORWARD').rules[0] as Rule)).toBe('-m comment | --comment cali:vjrMJCRpqwy5oRoX | -j MARK | --set-xmark 0x0/0xe0000');
    expect(words(chain(filter, 'KUBE-SERVICES').rules[0] as Rule)).toBe(
      '-d 10.96.33.7/32 | -p tcp | -m comment | --comment shop/orders:grpc has no endpoints | -m tcp | --dport 9090 | -j REJECT | --reject-with icmp-port-unreachable',
    );
    expect(words(chain(filter, 'KUBE-FORWARD').rules[0] as Rule)).toBe(
      '-m conntrack | --ctstate INVALID | -m nfacct | --nfacct-name ct_state_invalid_dropped_pkts | -j DROP',
    );
    expect(chain(filter, 'cali-pri-_CVSZITRyIpEmH8AB6H').rules.map((r) => value(r, '-j'))).toEqual([undefined]);
  });
});

describe('filter-docker-calico-n.txt (iptables -L -n: no counters, no interfaces)', () => {
  const { rs } = only('filter-docker-calico-n.txt');
  const filter = table(rs, 'filter');

  it('is lossy because the interface columns are missing, and has no rule or policy counters', () => {
    expect(rs.fidelity).toBe('lossy');
    expect(rs.lossyBecause).toEqual(['no interfaces shown (no -v): in/out matches are unknown']);
    expect([filter.chains.length, ruleCount(filter)]).toEqual([32, 82]);
    expect(filter.chains.every((c) => c.rules.every((r) => r.counters === undefined))).toBe(true);
    // The built-in chains' counters are not shown; a user-defined chain has none ([0:0]).
    expect(chain(filter, 'FORWARD').counters).toBeUndefined();
    expect(chain(filter, 'DOCKER').counters).toEqual({ packets: 0, bytes: 0 });
    expect(words(chain(filter, 'FORWARD').rules[9] as Rule)).toBe('-j ACCEPT');
  });
});

describe('flannel-docker-nat-nvx.txt (nat table of a flannel node with Docker, -x)', () => {
  const { rs } = only('flannel-docker-nat-nvx.txt');
  const nat = table(rs, 'nat');

  it('reads the flannel and Docker chains with exact counters', () => {
    expect([rs.fidelity, nat.chains.length, ruleCount(nat)]).toEqual(['exact', 12, 26]);
    expect(chain(nat, 'FLANNEL-POSTRTG').rules.map(words)).toEqual([
      '-m mark | --mark 0x4000/0x4000 | -m comment | --comment flanneld masq | -j RETURN',
      '-s 10.244.1.0/24 | -d 10.244.0.0/16 | -m comment | --comment flanneld masq | -j RETURN',
      '-s 10.244.0.0/16 | -d 10.244.1.0/24 | -m comment | --comment flanneld masq | -j RETURN',
      '! -s 10.244.0.0/16 | -d 10.244.1.0/24 | -m comment | --comment flanneld masq | -j RETURN',
      '-s 10.244.0.0/16 | ! -d 224.0.0.0/4 | -m comment | --comment flanneld masq | -j MASQUERADE | --random-fully',
      '! -s 10.244.0.0/16 | -d 10.244.0.0/16 | -m comment | --comment flanneld masq | -j MASQUERADE | --random-fully',
    ]);
    expect(chain(nat, 'FLANNEL-POSTRTG').rules[1]?.counters).toEqual({ packets: 4_400_123, bytes: 264_007_380 });
    expect(chain(nat, 'DOCKER').rules.map(words)).toEqual([
      '-i docker0 | -j RETURN',
      '! -i docker0 | -p tcp | -m tcp | --dport 8080 | -j DNAT | --to-destination 172.17.0.2:80',
    ]);
    expect(words(chain(nat, 'OUTPUT').rules[1] as Rule)).toBe('! -d 127.0.0.0/8 | -m addrtype | --dst-type LOCAL | -j DOCKER');
    expect(fanOut(nat, 'KUBE-SVC-NPX46M4PTMTKRN6Y')).toEqual(['KUBE-SEP-VPILYQBSPPXYB66K -']);
    expect(destinations(nat)).toEqual({ 'KUBE-SEP-VPILYQBSPPXYB66K': '192.168.56.10:6443' });
  });
});

describe('kube-nat6-nv-lines.txt (ip6tables -t nat -L -n -v --line-numbers)', () => {
  const { rs } = only('kube-nat6-nv-lines.txt');
  const nat = table(rs, 'nat');

  it('is an IPv6 nat table, told by its addresses', () => {
    expect([rs.family, rs.fidelity, nat.chains.length, ruleCount(nat)]).toEqual(['ipv6', 'exact', 20, 42]);
    expect(fanOut(nat, 'KUBE-SVC-XPGD46QRK7WJZT7O')).toEqual(['KUBE-SEP-RT5VHSJR44ZNF7G5 0.50000000000', 'KUBE-SEP-JN7HKNCH6UXE6EAD -']);
    expect(destinations(nat)).toMatchObject({ 'KUBE-SEP-6XJYWKUG5HRCV54C': '[fd00:10::32]:80', 'KUBE-SEP-RT5VHSJR44ZNF7G5': '[fd00:10::1]:80' });
    expect(words(chain(nat, 'KUBE-SERVICES').rules[5] as Rule)).toBe(
      '! -d ::1/128 | -m comment | --comment kubernetes service nodeports; NOTE: this must be the last rule in this chain | -m addrtype | --dst-type LOCAL | -j KUBE-NODEPORTS',
    );
    expect(chain(nat, 'KUBE-FW-XPGD46QRK7WJZT7O').rules.map(words)).toEqual([
      '-s 2001:db8:ff::/48 | -m comment | --comment ns1/svc1:p80 loadbalancer IP | -j KUBE-EXT-XPGD46QRK7WJZT7O',
      '-m comment | --comment other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL',
    ]);
  });
});

describe('ip6-legacy-1.6-nat-nv.txt (old ip6tables: protocol names with -n, no opt values)', () => {
  const { rs, diagnostics } = only('ip6-legacy-1.6-nat-nv.txt');
  const nat = table(rs, 'nat');

  it('reads the rows without an opt column', () => {
    expect(diagnostics.map((d) => d.code)).toEqual(['RC236']);
    expect([rs.family, rs.fidelity, nat.chains.length, ruleCount(nat)]).toEqual(['ipv6', 'exact', 9, 13]);
    expect(chain(nat, 'KUBE-SERVICES').rules.map(words)).toEqual([
      '! -s fd00:10:244::/56 | -d fd00:10:96::4f3a/128 | -p tcp | -m comment | --comment default/web:http cluster IP | -m tcp | --dport 80 | -j KUBE-MARK-MASQ',
      '-d fd00:10:96::4f3a/128 | -p tcp | -m comment | --comment default/web:http cluster IP | -m tcp | --dport 80 | -j KUBE-SVC-F2BKYVSSPQ6TDSNB',
    ]);
    expect(chain(nat, 'KUBE-POSTROUTING').rules.map(words)).toEqual([
      '-m comment | --comment kubernetes service traffic requiring SNAT | -m mark | --mark 0x4000/0x4000 | -j MASQUERADE',
    ]);
    expect(chain(nat, 'PREROUTING').counters).toEqual({ packets: 120_000, bytes: 9_846_000 });
    expect(fanOut(nat, 'KUBE-SVC-F2BKYVSSPQ6TDSNB')).toEqual(['KUBE-SEP-3JOIVZTXZZRGORX4 0.50000000000', 'KUBE-SEP-ZXMNUKOKXUTL2MK2 -']);
    expect(destinations(nat)).toEqual({
      'KUBE-SEP-3JOIVZTXZZRGORX4': '[fd00:10:244:1::5]:8080',
      'KUBE-SEP-ZXMNUKOKXUTL2MK2': '[fd00:10:244:2::9]:8080',
    });
  });
});

describe('extensions-nv.txt / extensions-names.txt (three tables, named by pasted commands)', () => {
  it('splits the listing at each command into filter, nat and raw', () => {
    const { rs, diagnostics } = only('extensions-nv.txt');
    expect(diagnostics).toEqual([]);
    expect(rs.tables.map((t) => [t.name, t.chains.length, ruleCount(t), t.pos?.line])).toEqual([
      ['filter', 4, 74, 1],
      ['nat', 4, 6, 88],
      ['raw', 2, 3, 107],
    ]);
  });

  it('reads the named listing with service, protocol and level names', () => {
    const { rs, diagnostics } = only('extensions-names.txt');
    expect(diagnostics).toEqual([]);
    expect(rs.fidelity).toBe('lossy');
    expect(rs.lossyBecause).toEqual([
      'host names instead of addresses (no -n)',
      'ICMP type names instead of numbers (no -n)',
      'user or group names instead of IDs (no -n)',
      'no interfaces shown (no -v): in/out matches are unknown',
    ]);
    const filter = table(rs, 'filter');
    expect(words(chain(filter, 'INPUT').rules[1] as Rule)).toBe(
      '-p tcp | -m tcp | ! --dport 22 | --tcp-flags FIN,SYN,RST,ACK SYN | -j LOG | --log-prefix in drop:  | --log-level 6 | --log-tcp-sequence',
    );
    expect(words(chain(filter, 'INPUT').rules[5] as Rule)).toBe('-p icmp | ! -f | -m icmp | --icmp-type echo-request | -j ACCEPT');
    expect(words(chain(filter, 'INPUT').rules[19] as Rule)).toBe('-s localhost | -d link-local/16 | -j ACCEPT');
    expect(words(chain(filter, 'OUTPUT').rules[1] as Rule)).toBe('-g T1');
  });
});

describe('every listing fixture', () => {
  const names = [
    'kube-nat-nv-lines.txt',
    'kube-nat-v-names.txt',
    'kube-nat-nvx.txt',
    'filter-docker-calico-nv-lines.txt',
    'filter-docker-calico-n.txt',
    'flannel-docker-nat-nvx.txt',
    'kube-nat6-nv-lines.txt',
    'ip6-legacy-1.6-nat-nv.txt',
    'extensions-nv.txt',
    'extensions-names.txt',
  ];
  for (const name of names) {
    it(`${name}: parse → JSON is stable and matches the committed JSON`, async () => {
      const first = JSON.stringify(parseIptablesList(read(name), name), null, 1);
      expect(JSON.stringify(parseIptablesList(read(name), name), null, 1)).toBe(first);
      await expect(`${first}\n`).toMatchFileSnapshot(join(DIR, name.replace(/\.txt$/, '.json')));
    });
  }
});
