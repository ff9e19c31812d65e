import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Arg, Chain, IptablesRuleSet, Table } from '../../ast/types.js';
import type { Diagnostic } from '../../diagnostics.js';
import { parseDump } from '../detect.js';
import { parseIptablesRules, parseIptablesSave } from './parse.js';

const DIR = join(import.meta.dirname, '../../../test/fixtures/dumps/iptables');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

function one(r: { ruleSets: unknown[]; diagnostics: Diagnostic[] }): IptablesRuleSet {
  expect(r.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
  expect(r.ruleSets).toHaveLength(1);
  return r.ruleSets[0] as IptablesRuleSet;
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

const words = (args: readonly Arg[]): string => args.map((a) => [...(a.negated ? ['!'] : []), a.flag, ...a.values].join(' ')).join(' | ');
const value = (args: readonly Arg[], flag: string): string | undefined => args.find((a) => a.flag === flag)?.values[0];

/** SVC chain → [SEP chain, written probability or '-'] per endpoint rule (affinity checks left out). */
function fanOut(t: Table, svc: string): string[] {
  return chain(t, svc)
    .rules.filter((r) => (value(r.args, '-j') ?? '').startsWith('KUBE-SEP-') && !r.args.some((a) => a.flag === '--rcheck'))
    .map((r) => `${value(r.args, '-j')} ${value(r.args, '--probability') ?? '-'}`);
}

/** An independent count from the raw text: per table, its `:` lines and its rule lines. */
function countLines(text: string): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  let cur = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) out[(cur = line.slice(1))] = [0, 0];
    else if (line.startsWith(':')) (out[cur] as [number, number])[0]++;
    else if (/^(\[\d+:\d+\] )?-A /.test(line)) (out[cur] as [number, number])[1]++;
  }
  return out;
}

function counts(rs: IptablesRuleSet): Record<string, [number, number]> {
  return Object.fromEntries(rs.tables.map((t) => [t.name, [t.chains.length, t.chains.reduce((n, c) => n + c.rules.length, 0)]]));
}

describe('kube-node.save (iptables-nft-save -c of a kube-proxy node with Docker, Calico and flannel)', () => {
  const text = read('kube-node.save');
  const rs = one(parseIptablesSave(text, 'kube-node.save'));

  it('has four tables with these chain and rule counts', () => {
    expect(rs.family).toBe('ipv4');
    expect(counts(rs)).toEqual({ mangle: [8, 3], raw: [5, 8], filter: [22, 50], nat: [32, 74] });
    expect(counts(rs)).toEqual(countLines(text));
    expect(rs.tables.every((t) => t.committed)).toBe(true);
  });

  it('reads policies and counters of built-in chains and of rules', () => {
    const filter = table(rs, 'filter');
    expect(chain(filter, 'FORWARD')).toMatchObject({ policy: 'DROP', counters: { packets: 17, bytes: 25500 } });
    expect(chain(filter, 'INPUT').rules[0]?.counters).toEqual({ packets: 120334, bytes: 180501000 });
    expect(chain(table(rs, 'nat'), 'POSTROUTING').counters).toEqual({ packets: 120334, bytes: 10108056 });
  });

  it('fans KUBE-SVC chains out to their KUBE-SEP chains with the probabilities iptables-save prints', () => {
    const nat = table(rs, 'nat');
    const svcs = nat.chains.filter((c) => c.name.startsWith('KUBE-SVC-')).map((c) => [c.name, fanOut(nat, c.name).length]);
    expect(svcs).toEqual([
      ['KUBE-SVC-6IDAIG4NQOQJS2DS', 2],
      ['KUBE-SVC-CDGGSHYLG3RE2FKL', 3],
      ['KUBE-SVC-ERIFXISQEP7F7OF4', 2],
      ['KUBE-SVC-JD5MR3NA4I4DYORP', 2],
      ['KUBE-SVC-NPX46M4PTMTKRN6Y', 1],
      ['KUBE-SVC-TCOU7JCQXEZGVUNU', 2],
    ]);
    expect(fanOut(nat, 'KUBE-SVC-CDGGSHYLG3RE2FKL')).toEqual([
      'KUBE-SEP-AFGSLHOD2HFNCBX4 0.33333333349',
      'KUBE-SEP-2RIJ5GIYXEFH6G4D 0.50000000000',
      'KUBE-SEP-RBX5X5TOEG5GD3RO -',
    ]);
    expect(value(chain(nat, 'KUBE-SEP-RBX5X5TOEG5GD3RO').rules[1]?.args ?? [], '--to-destination')).toBe('10.244.3.9:8080');
  });

  it('reads the Docker, Calico, flannel and kube-proxy matches and targets as written', () => {
    const filter = table(rs, 'filter');
    const nat = table(rs, 'nat');
    expect(words(chain(filter, 'KUBE-FORWARD').rules[0]?.args ?? [])).toBe('-m conntrack | --ctstate INVALID | -m nfacct | --nfacct-name ct_state_invalid_dropped_pkts | -j DROP');
    expect(words(chain(nat, 'cali-nat-outgoing').rules[0]?.args ?? [])).toBe(
      '-m comment | --comment cali:flqWnvo8yq4ULQLa | -m set | --match-set cali40masq-ipam-pools src | -m set | ! --match-set cali40all-ipam-pools dst | -j MASQUERADE | --random-fully',
    );
    expect(words(chain(nat, 'KUBE-POSTROUTING').rules[1]?.args ?? [])).toBe('-j MARK | --set-xmark 0x4000/0x0');
    expect(words(chain(filter, 'cali-fw-cali1a2b3c4d5e6').rules[3]?.args ?? [])).toBe('-m comment | --comment cali:r1kh5ZOdIA9Qy5Ok | -j LOG | --log-prefix calico-drop: ');
    expect(words(chain(table(rs, 'raw'), 'cali-untracked-flows').rules[0]?.args ?? [])).toBe(
      '-p udp | -m udp | --dport 6081 | -m comment | --comment geneve without conntrack | -j CT | --notrack',
    );
    expect(words(chain(filter, 'cali-INPUT').rules[0]?.args ?? []).split(' | ').filter((w) => w.startsWith('--comment'))).toEqual([
      '--comment cali:PajejrV4aFdkZojI',
      '--comment Allow IPIP packets from Calico hosts',
    ]);
    expect(words(chain(filter, 'KUBE-FIREWALL').rules[0]?.args ?? [])).toBe(
      '! -s 127.0.0.0/8 | -d 127.0.0.0/8 | -m comment | --comment block incoming localnet connections | -m conntrack | ! --ctstate RELATED,ESTABLISHED,DNAT | -j DROP',
    );
  });

  it('is the same rule set as iptables -S listed it (kube-node.rules, from the same kernel state)', () => {
    const listed = one(parseIptablesRules(read('kube-node.rules'), 'kube-node.rules'));
    const shape = (r: IptablesRuleSet, names: string[]) =>
      names.map((n) => table(r, n).chains.map((c) => ({ name: c.name, policy: c.policy, rules: c.rules.map((x) => words(x.args)) })));
    expect(listed.tables.map((t) => t.name)).toEqual(['filter', 'nat']);
    expect(shape(listed, ['filter', 'nat'])).toEqual(shape(rs, ['filter', 'nat']));
  });
});

describe('ipv6-node.save (ip6tables-nft-save of a kube-proxy node)', () => {
  const rs = one(parseIptablesSave(read('ipv6-node.save'), 'ipv6-node.save'));
  it('is IPv6 with these counts and fan-out', () => {
    expect(rs.family).toBe('ipv6');
    expect(counts(rs)).toEqual({ filter: [8, 7], nat: [18, 35] });
    const nat = table(rs, 'nat');
    const cart = nat.chains.find((c) => c.rules.some((r) => (value(r.args, '--comment') ?? '').startsWith('shop/cart:grpc ->')));
    expect(fanOut(nat, cart?.name ?? '').map((x) => x.split(' ')[1])).toEqual(['0.25000000000', '0.33333333349', '0.50000000000', '-']);
    const destinations = nat.chains.filter((c) => c.name.startsWith('KUBE-SEP-')).map((c) => value(c.rules[1]?.args ?? [], '--to-destination'));
    expect(destinations).toContain('[fd00:10:244:1::7]:50051');
    expect(words(chain(table(rs, 'filter'), 'KUBE-SERVICES').rules[0]?.args ?? [])).toContain('-j REJECT | --reject-with icmp6-port-unreachable');
  });
});

describe('iptables -S fixtures', () => {
  it('forward-counters.rules (iptables -v -S FORWARD): one filter chain with counters on the policy and every rule', () => {
    const rs = one(parseIptablesRules(read('forward-counters.rules'), 'f'));
    expect(rs.tables.map((t) => t.name)).toEqual(['filter']);
    const fwd = chain(table(rs, 'filter'), 'FORWARD');
    expect(fwd.counters).toEqual({ packets: 17, bytes: 25500 });
    expect(fwd.rules).toHaveLength(11);
    expect(fwd.rules.every((r) => r.counters !== undefined && !r.args.some((a) => a.flag === '-c'))).toBe(true);
  });

  it('nat-kube-services.rules (iptables -t nat -S KUBE-SERVICES): inferred as nat from its jumps', () => {
    const rs = one(parseIptablesRules(read('nat-kube-services.rules'), 'f'));
    expect(counts(rs)).toEqual({ nat: [1, 7] });
  });
});

describe('odd-comments.save', () => {
  const rs = one(parseIptablesSave(read('odd-comments.save'), 'odd-comments.save'));
  const input = chain(table(rs, 'filter'), 'INPUT').rules;

  it('reads escaped, single-quoted, empty, unicode and split quotes, old negation and tabs', () => {
    expect(input.map((r) => value(r.args, '--comment') ?? null)).toEqual([
      null,
      'allow "internal" traffic; see \\\\wiki',
      'single quoted comment',
      null,
      null,
      'ünïcödé kommentar',
      '',
      'foobar baz',
      null,
    ]);
    expect(words(input[3]?.args ?? [])).toBe('! -s 192.168.0.0/16 | -p tcp | --dport 22 | -j DROP');
    expect(words(input[4]?.args ?? [])).toBe('-p udp | --dport 53 | -j ACCEPT');
    expect(words(input[8]?.args ?? [])).toBe('-m set | ! --match-set blocklist src | -j DROP');
  });

  it('keeps rulec-ignore-next-line on the rules that follow it', () => {
    expect(input[1]?.suppressions).toEqual(['shadowed-rule', 'unreachable-rule']);
    expect(chain(table(rs, 'filter'), 'LOGGING').rules[0]?.suppressions).toEqual(['*']);
    expect(counts(rs)).toEqual({ filter: [5, 12] });
  });
});

describe('pasted-node.txt (iptables-save and ipvsadm -Ln pasted with prompts)', () => {
  it('splits into two sections and warns about the lines between', () => {
    const r = parseDump(readFileSync(join(DIR, '../pasted-node.txt'), 'utf8'), 'pasted-node.txt');
    expect(r.sections).toEqual([
      { format: 'iptables-save', firstLine: 2, lastLine: 20 },
      { format: 'ipvsadm-list', firstLine: 23, lastLine: 30 },
    ]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      '1:1 note RC290',
      '15:1 note RC290',
      '21:1 note RC290',
      '22:1 note RC290',
    ]);
    expect(r.ruleSets.map((x) => x.kind)).toEqual(['iptables', 'ipvs']);
    expect(counts(r.ruleSets[0] as IptablesRuleSet)).toEqual({ nat: [8, 6] });
  });
});
