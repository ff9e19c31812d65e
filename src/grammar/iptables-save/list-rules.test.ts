import { describe, expect, it } from 'vitest';
import { printIptablesRules } from '../../ast/print-iptables.js';
import type { IptablesRuleSet, Table } from '../../ast/types.js';
import { parseListRulesCommand } from './list-rules-command.js';
import { parseIptablesRules } from './parse.js';
import { inferTable } from './table-inference.js';

function tables(text: string, table?: string): Array<[string, string[]]> {
  const r = parseIptablesRules(text, 'rules.txt', table === undefined ? {} : { table });
  expect(r.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
  return r.ruleSets.flatMap((rs) => (rs as IptablesRuleSet).tables.map((t): [string, string[]] => [t.name, t.chains.map((c) => `${c.name}:${c.policy}:${c.rules.length}`)]));
}

const FILTER = ['-P INPUT ACCEPT', '-P FORWARD DROP', '-P OUTPUT ACCEPT', '-N KUBE-FORWARD', '-A FORWARD -j KUBE-FORWARD', '-A KUBE-FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT'];
const NAT = ['-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT', '-N KUBE-MARK-MASQ', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'];

describe('parseIptablesRules (iptables -S)', () => {
  it('reads -P, -N and -A lines into a table named by its built-in chains', () => {
    expect(tables(FILTER.join('\n'))).toEqual([['filter', ['INPUT:ACCEPT:0', 'FORWARD:DROP:1', 'OUTPUT:ACCEPT:0', 'KUBE-FORWARD:-:1']]]);
    expect(tables(NAT.join('\n'))).toEqual([['nat', ['PREROUTING:ACCEPT:0', 'INPUT:ACCEPT:0', 'OUTPUT:ACCEPT:0', 'POSTROUTING:ACCEPT:0', 'KUBE-MARK-MASQ:-:1']]]);
  });

  it('splits `iptables -S; iptables -t nat -S` where -P lines start again', () => {
    expect(tables([...FILTER, ...NAT].join('\n')).map(([n]) => n)).toEqual(['filter', 'nat']);
  });

  it('takes the table from a pasted command, and the caller over both', () => {
    const text = ['root@node-1:~# iptables -t nat -S KUBE-SERVICES', '-N KUBE-SERVICES', '-A KUBE-SERVICES -d 10.96.0.1/32 -j ACCEPT'].join('\n');
    expect(tables(text)).toEqual([['nat', ['KUBE-SERVICES:-:1']]]);
    expect(tables(['$ sudo iptables -S', '-N KUBE-SERVICES'].join('\n'))).toEqual([['filter', ['KUBE-SERVICES:-:0']]]);
    expect(tables(text, 'mangle')).toEqual([['mangle', ['KUBE-SERVICES:-:1']]]);
  });

  it('infers the table of a single chain from kube-proxy chain names and jump targets', () => {
    expect(tables('-N KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.1/32 -j KUBE-SVC-NPX46M4PTMTKRN6Y')).toEqual([['nat', ['KUBE-SERVICES:-:1']]]);
    expect(tables('-N KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.1/32 -j REJECT')).toEqual([['filter', ['KUBE-SERVICES:-:1']]]);
    expect(tables('-P PREROUTING ACCEPT\n-A PREROUTING -p udp -j CT --notrack')).toEqual([['raw', ['PREROUTING:ACCEPT:1']]]);
    expect(tables('-P PREROUTING ACCEPT\n-A PREROUTING -j KUBE-SERVICES')).toEqual([['nat', ['PREROUTING:ACCEPT:1']]]);
    expect(tables('-N DOCKER\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 5000 -j DNAT --to-destination 172.17.0.2:5000')).toEqual([['nat', ['DOCKER:-:1']]]);
  });

  it('notes where the table was inferred, and says from what', () => {
    const notes = (text: string, table?: string) =>
      parseIptablesRules(text, 'f', table === undefined ? {} : { table }).diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
    expect(notes([...FILTER, ...NAT].join('\n'))).toEqual([
      "1:1 note RC216 iptables -S does not name its table: read as 'filter' from its built-in chains INPUT, FORWARD, OUTPUT (--table names it)",
      "7:1 note RC216 iptables -S does not name its table: read as 'nat' from its built-in chains PREROUTING, INPUT, OUTPUT, POSTROUTING (--table names it)",
    ]);
    expect(notes('-N KUBE-SERVICES\n-A KUBE-SERVICES -j KUBE-SVC-X')).toEqual([
      "1:1 note RC216 iptables -S does not name its table: read as 'nat' from a jump to KUBE-SVC-X (--table names it)",
    ]);
    expect(notes('-N X', 'nat')).toEqual([]);
    expect(notes('$ iptables -t raw -S\n-N X')).toEqual([]);
  });

  it('reads -v counters on policies and rules, and prints them back where iptables -v -S puts them', () => {
    const text = '-P FORWARD DROP -c 17 25500\n-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -c 9931 14896500 -j ACCEPT\n-A FORWARD -c 0 0\n';
    const r = parseIptablesRules(text, 'f');
    const rs = r.ruleSets[0] as IptablesRuleSet;
    const chain = rs.tables[0]?.chains[0];
    expect(chain?.counters).toEqual({ packets: 17, bytes: 25500 });
    expect(chain?.rules.map((x) => x.counters)).toEqual([
      { packets: 9931, bytes: 14896500 },
      { packets: 0, bytes: 0 },
    ]);
    expect(chain?.rules[0]?.args.map((a) => a.flag)).toEqual(['-o', '-m', '--ctstate', '-j']);
    expect(printIptablesRules(rs, { counters: true })).toBe(text);
  });

  it('round-trips iptables -S text through the printer', () => {
    const text = [...FILTER.slice(0, 4), '-N KUBE-SERVICES', '-A FORWARD -j KUBE-FORWARD', '-A KUBE-FORWARD ! -s 10.0.0.0/8 -m comment --comment "a b" -j ACCEPT', ''].join('\n');
    const rs = parseIptablesRules(text, 'f').ruleSets[0] as IptablesRuleSet;
    expect(printIptablesRules(rs)).toBe(text);
  });

  it('reports iptables-save lines as out of place', () => {
    const r = parseIptablesRules('*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', 'f');
    expect(r.diagnostics.filter((d) => d.severity !== 'note').map((d) => [d.line, d.column, d.code, d.message])).toEqual([
      [1, 1, 'RC202', "'*filter' is iptables-save text, not part of 'iptables -S' output"],
      [3, 1, 'RC202', "COMMIT is iptables-save text, not part of 'iptables -S' output"],
    ]);
  });
});

describe('parseListRulesCommand', () => {
  it('recognises pasted -S commands with prompts, sudo, the table and a chain', () => {
    expect(parseListRulesCommand('root@node-1:~# iptables -t nat -S KUBE-SERVICES')).toEqual({ family: 'ipv4', table: 'nat', chain: 'KUBE-SERVICES' });
    expect(parseListRulesCommand('[root@node ~]# ip6tables-nft -S')).toEqual({ family: 'ipv6' });
    expect(parseListRulesCommand('$ sudo -E /usr/sbin/iptables --table=mangle -vS')).toEqual({ family: 'ipv4', table: 'mangle' });
    expect(parseListRulesCommand('iptables -S FORWARD -v')).toEqual({ family: 'ipv4', chain: 'FORWARD' });
  });

  it('leaves other commands and text alone', () => {
    expect(parseListRulesCommand('root@node-1:~# iptables -t nat -L -n')).toBeUndefined();
    expect(parseListRulesCommand('root@node-1:~# iptables-save')).toBeUndefined();
    expect(parseListRulesCommand('-A KUBE-SERVICES -m comment --comment "iptables -S"')).toBeUndefined();
    expect(parseListRulesCommand('echo iptables -S')).toBeUndefined();
  });
});

describe('inferTable', () => {
  const t = (chains: Array<[string, string]>): Table => ({
    name: '',
    chains: chains.map(([name, policy]) => ({ name, policy, counters: { packets: 0, bytes: 0 }, rules: [] })),
    deletedChains: [],
    committed: true,
  });
  it('names the table whose built-in chains the -P lines list exactly', () => {
    expect(inferTable(t([['INPUT', 'ACCEPT'], ['FORWARD', 'ACCEPT'], ['OUTPUT', 'ACCEPT']]))).toBe('filter');
    expect(inferTable(t([['PREROUTING', 'ACCEPT'], ['INPUT', 'ACCEPT'], ['FORWARD', 'ACCEPT'], ['OUTPUT', 'ACCEPT'], ['POSTROUTING', 'ACCEPT']]))).toBe('mangle');
    expect(inferTable(t([['PREROUTING', 'ACCEPT'], ['OUTPUT', 'ACCEPT']]))).toBe('raw');
  });
  it('falls back on chain names: POSTROUTING and kube-proxy nat chains mean nat, else filter', () => {
    expect(inferTable(t([['POSTROUTING', 'ACCEPT']]))).toBe('nat');
    expect(inferTable(t([['KUBE-MARK-MASQ', '-']]))).toBe('nat');
    expect(inferTable(t([['KUBE-SEP-ABC', '-']]))).toBe('nat');
    expect(inferTable(t([['INPUT', 'ACCEPT']]))).toBe('filter');
    expect(inferTable(t([['KUBE-NODEPORTS', '-']]))).toBe('filter');
  });
});
