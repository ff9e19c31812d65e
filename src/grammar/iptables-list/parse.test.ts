import { describe, expect, it } from 'vitest';
import type { IptablesRuleSet, Rule } from '../../ast/types.js';
import { parseDump } from '../detect.js';
import { iptablesListFormat, parseIptablesList } from './index.js';

const words = (r: Rule | undefined): string =>
  (r?.args ?? []).map((a) => [...(a.negated ? ['!'] : []), a.flag, ...a.values].join(' ')).join(' | ');

function sets(text: string, firstLine = 1): IptablesRuleSet[] {
  return parseIptablesList(text, 'l.txt', firstLine).ruleSets as IptablesRuleSet[];
}

const NV_LINES = [
  'Chain KUBE-SVC-X (1 references)',
  'num   pkts bytes target     prot opt in     out     source               destination         ',
  '1        0     0 KUBE-MARK-MASQ  17   --  *      *      !10.244.0.0/16        10.96.0.10           /* dns cluster IP */ udp dpt:53',
  '2     1173K   94M KUBE-SEP-A  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* dns -> 10.244.0.2:53 */ statistic mode random probability 0.50000000000',
  '',
].join('\n');

describe('parseIptablesList', () => {
  it('reads rows with their positions, counters and arguments', () => {
    const r = parseIptablesList(NV_LINES, 'l.txt', 1);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '1:1 RC236 the listing does not name its table; read as the nat table (from chain KUBE-SVC-X)',
    ]);
    const [rs] = r.ruleSets as IptablesRuleSet[];
    const chain = rs?.tables[0]?.chains[0];
    expect(chain?.pos).toEqual({ file: 'l.txt', line: 1, column: 1 });
    expect(chain?.policy).toBe('-');
    const [r1, r2] = chain?.rules ?? [];
    expect(r1?.pos).toEqual({ file: 'l.txt', line: 3, column: 1 });
    expect(r1?.counters).toEqual({ packets: 0, bytes: 0 });
    expect(r2?.counters).toEqual({ packets: 1_173_000, bytes: 94_000_000 });
    expect(words(r1)).toBe('! -s 10.244.0.0/16 | -d 10.96.0.10/32 | -p udp | -m comment | --comment dns cluster IP | -m udp | --dport 53 | -j KUBE-MARK-MASQ');
    expect(r1?.args.map((a) => a.column)).toEqual([57, 79, 34, 100, 100, 121, 125, 18]);
    expect(words(r2)).toBe('-m comment | --comment dns -> 10.244.0.2:53 | -m statistic | --mode random | --probability 0.50000000000 | -j KUBE-SEP-A');
  });

  it('counts lines from firstLine', () => {
    const r = parseIptablesList(NV_LINES, 'dump.txt', 41);
    const rule = (r.ruleSets[0] as IptablesRuleSet).tables[0]?.chains[0]?.rules[1];
    expect(rule?.pos).toEqual({ file: 'dump.txt', line: 44, column: 1 });
    expect(rule?.args[0]?.column).toBe(97);
    expect(r.diagnostics[0]?.line).toBe(41);
  });

  it('starts a new table when built-in chains start over, and infers each table', () => {
    const text = [
      'Chain INPUT (policy ACCEPT)',
      'target     prot opt source               destination',
      'ACCEPT     all  --  anywhere             anywhere',
      'Chain FORWARD (policy DROP)',
      'target     prot opt source               destination',
      'Chain DOCKER (1 references)',
      'target     prot opt source               destination',
      'Chain PREROUTING (policy ACCEPT)',
      'target     prot opt source               destination',
      'Chain INPUT (policy ACCEPT)',
      'target     prot opt source               destination',
      'Chain POSTROUTING (policy ACCEPT)',
      'target     prot opt source               destination',
      'MASQUERADE  all  --  172.17.0.0/16        anywhere',
      'Chain DOCKER (1 references)',
      'target     prot opt source               destination',
    ].join('\n');
    const r = parseIptablesList(text, 'l.txt');
    expect((r.ruleSets as IptablesRuleSet[]).flatMap((s) => s.tables.map((t) => [t.name, t.chains.map((c) => c.name).join(',')]))).toEqual([
      ['filter', 'INPUT,FORWARD,DOCKER'],
      ['nat', 'PREROUTING,INPUT,POSTROUTING,DOCKER'],
    ]);
    expect(r.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [1, 'the listing does not name its table; read as the filter table (from a jump to ACCEPT)'],
      [8, 'the listing does not name its table; read as the nat table (from a jump to MASQUERADE)'],
    ]);
  });

  it('takes the table and family from pasted commands and gives one rule set per family', () => {
    const text = [
      '$ sudo iptables -t nat -L KUBE-SEP-A -n',
      'Chain KUBE-SEP-A (1 references)',
      'target     prot opt source               destination',
      'DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp to:10.0.0.1:80',
      '$ sudo ip6tables -t nat -L KUBE-SEP-B -n',
      'Chain KUBE-SEP-B (1 references)',
      'target     prot opt source               destination',
      'DNAT       6    --  ::/0                 ::/0                 tcp to:[fd00::1]:80',
      '$ sudo iptables -t filter -L KUBE-FORWARD',
      'Chain KUBE-FORWARD (1 references)',
      'target     prot opt source               destination',
      'ACCEPT     all  --  anywhere             anywhere             mark match 0x4000/0x4000',
    ].join('\n');
    const r = parseIptablesList(text, 'l.txt');
    expect(r.diagnostics).toEqual([]);
    const out = (r.ruleSets as IptablesRuleSet[]).map((s) => [s.family, s.fidelity, s.tables.map((t) => `${t.name}@${t.pos?.line}`)]);
    expect(out).toEqual([
      ['ipv4', 'lossy', ['nat@1', 'filter@9']],
      ['ipv6', 'lossy', ['nat@5']],
    ]);
    expect(words((r.ruleSets[1] as IptablesRuleSet).tables[0]?.chains[0]?.rules[0])).toBe('-p tcp | -m tcp | -j DNAT | --to-destination [fd00::1]:80');
  });

  it('calls a fully understood -n -v listing exact, and lossy without -v, with names, or with unknown text, saying why', () => {
    const header = ' pkts bytes target     prot opt in     out     source               destination';
    const row = (rest: string): string => `    0     0 ACCEPT     0    --  *      *       ${rest}`;
    const fidelity = (...lines: string[]): string => {
      const rs = sets(['Chain INPUT (policy ACCEPT 0 packets, 0 bytes)', ...lines].join('\n'))[0];
      return [rs?.fidelity, ...(rs?.lossyBecause ?? [])].join(': ');
    };
    expect(fidelity(header, row('0.0.0.0/0            0.0.0.0/0            ctstate NEW'))).toBe('exact');
    expect(fidelity(header, row('localhost            0.0.0.0/0'))).toBe('lossy: host names instead of addresses (no -n)');
    // A service name netdb knows is its port again; one it does not know stays a name.
    expect(fidelity(header, row('0.0.0.0/0            0.0.0.0/0            tcp dpt:ssh'))).toBe('exact');
    expect(fidelity(header, row('0.0.0.0/0            0.0.0.0/0            tcp dpt:no-such-service'))).toBe(
      'lossy: service names rulec does not know instead of port numbers (no -n)',
    );
    expect(fidelity(header, row('0.0.0.0/0            0.0.0.0/0            u32 "0x0>>0x16&0x3c@0xc>>0x1a=0x1"'))).toBe(
      'lossy: match text not understood (kept as --rulec-unparsed)',
    );
    expect(fidelity('target     prot opt source               destination', 'ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0')).toBe(
      'lossy: no interfaces shown (no -v): in/out matches are unknown',
    );
  });

  it('keeps unknown text as --rulec-unparsed, before -j for matches and after it for a target', () => {
    const text = [
      'Chain OUTPUT (policy ACCEPT)',
      'target     prot opt source               destination',
      'ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            owner socket exists /* mine */',
      'NFLOG      0    --  0.0.0.0/0            0.0.0.0/0            nflog-prefix "p" nflog-foo 3',
      'AUDIT      0    --  0.0.0.0/0            0.0.0.0/0            AUDIT accept',
    ].join('\n');
    const r = parseIptablesList(text, 'l.txt');
    const rules = (r.ruleSets[0] as IptablesRuleSet).tables[0]?.chains[0]?.rules ?? [];
    expect(rules.map(words)).toEqual([
      '--rulec-unparsed owner socket exists | -m comment | --comment mine | -j ACCEPT',
      '-j NFLOG | --nflog-prefix p | --rulec-unparsed nflog-foo 3',
      '-j AUDIT | --rulec-unparsed AUDIT accept',
    ]);
    expect(rules[0]?.pos?.line).toBe(3);
    expect(rules[0]?.args[0]?.column).toBe(63);
    expect(r.diagnostics.filter((d) => d.code === 'RC230').map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`)).toEqual([
      '3:63 warning match text "owner socket exists" not understood (UID or GID missing); kept as --rulec-unparsed',
      '4:80 warning match text "nflog-foo 3" not understood; kept as --rulec-unparsed',
      '5:63 warning match text "AUDIT accept" not understood; kept as --rulec-unparsed',
    ]);
  });

  it('turns [goto] into -g and keeps rules without a target', () => {
    const text = [
      'Chain cali-INPUT (1 references)',
      'target     prot opt source               destination',
      'cali-wl-to-host  0    --  0.0.0.0/0            0.0.0.0/0           [goto]  /* cali:x */',
      '           0    --  0.0.0.0/0            0.0.0.0/0            /* no target */',
    ].join('\n');
    const rules = sets(text)[0]?.tables[0]?.chains[0]?.rules ?? [];
    expect(rules.map(words)).toEqual(['-m comment | --comment cali:x | -g cali-wl-to-host', '-m comment | --comment no target']);
  });

  it('reads CRLF text and returns nothing for empty text', () => {
    expect(sets(NV_LINES.replace(/\n/g, '\r\n'))[0]?.tables[0]?.chains[0]?.rules.map(words)).toEqual(
      sets(NV_LINES)[0]?.tables[0]?.chains[0]?.rules.map(words),
    );
    expect(parseIptablesList('', 'l.txt')).toEqual({ ruleSets: [], diagnostics: [] });
    expect(parseIptablesList('\n  \n', 'l.txt')).toEqual({ ruleSets: [], diagnostics: [] });
  });
});

describe('iptablesListFormat', () => {
  it('starts a section at a Chain line or a listing command, not at rows or headers', () => {
    const starts = iptablesListFormat.startsSection;
    expect(starts('Chain INPUT (policy ACCEPT 0 packets, 0 bytes)')).toBe(true);
    expect(starts('Chain KUBE-SERVICES (2 references)')).toBe(true);
    expect(starts('root@node:~# iptables -t nat -nvL')).toBe(true);
    expect(starts('Chain of events')).toBe(false);
    expect(starts('target     prot opt source               destination')).toBe(false);
    expect(starts('ACCEPT     all  --  anywhere             anywhere')).toBe(false);
    expect(starts('*nat')).toBe(false);
    expect(starts('-A KUBE-SERVICES -j KUBE-NODEPORTS')).toBe(false);
    expect(starts('iptables -t nat -S')).toBe(false);
  });

  it('has the format id and parses through the DumpFormat interface', () => {
    expect(iptablesListFormat.id).toBe('iptables-list');
    const r = iptablesListFormat.parse(NV_LINES, 'x', 7);
    expect((r.ruleSets[0] as IptablesRuleSet).tables[0]?.chains[0]?.rules[0]?.pos?.line).toBe(9);
  });

  it('is found by format detection in a paste that also holds an iptables-save dump', () => {
    const save = ['*nat', ':PREROUTING ACCEPT [0:0]', '-A PREROUTING -j KUBE-SERVICES', 'COMMIT'];
    const r = parseDump([...save, '---', NV_LINES].join('\n'), 'paste.txt');
    expect(r.sections).toEqual([
      { format: 'iptables-save', firstLine: 1, lastLine: 4 },
      { format: 'iptables-list', firstLine: 6, lastLine: 9 },
    ]);
    const listed = r.ruleSets[1] as IptablesRuleSet;
    expect([listed.origin, listed.tables[0]?.chains[0]?.rules[0]?.pos?.line]).toEqual(['iptables-list', 8]);
  });
});
