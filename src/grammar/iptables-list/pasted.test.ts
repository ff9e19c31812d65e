import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chain, IptablesRuleSet, Rule, Table } from '../../ast/types.js';
import { parseDump } from '../detect.js';

/**
 * Listings as people paste them into an issue or a chat: with the prompt and the command they
 * typed (or without), blank lines between listings, several one-chain listings in a row, names
 * instead of numbers, and column alignment lost on a web page. The listings were printed by
 * iptables v1.8.9 (nf_tables) in a private network namespace, unless said otherwise.
 */

function read(text: string): { sets: IptablesRuleSet[]; diags: string[] } {
  const r = parseDump(text, 'paste.txt');
  return {
    sets: r.ruleSets as IptablesRuleSet[],
    diags: r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`),
  };
}

const words = (r: Rule | undefined): string =>
  (r?.args ?? []).map((a) => [...(a.negated ? ['!'] : []), a.flag, ...a.values].join(' ')).join(' | ');

/** A table as `name: chain[policy counters] chain…`, and what it says of itself. */
function shape(t: Table | undefined): Record<string, unknown> {
  const counters = (c: Chain): string => (c.counters === undefined ? '' : ` ${c.counters.packets}/${c.counters.bytes}`);
  return {
    name: t?.name,
    chains: t?.chains.map((c) => `${c.name} ${c.policy}${counters(c)} ${c.rules.length}`),
    inferredFrom: t?.inferredFrom,
    excerpt: t?.excerpt,
  };
}

const PREROUTING_NV = [
  'Chain PREROUTING (policy ACCEPT 12 packets, 720 bytes)',
  ' pkts bytes target     prot opt in     out     source               destination         ',
  ' 1234   80K KUBE-SERVICES  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes service portals */',
];

const KUBE_SERVICES = [
  'Chain KUBE-SERVICES (2 references)',
  'target     prot opt source               destination         ',
  'KUBE-SVC-TCOU7JCQXEZGVUNU  17   --  0.0.0.0/0            10.96.0.10           /* kube-system/kube-dns:dns cluster IP */ udp dpt:53',
  'KUBE-NODEPORTS  0    --  0.0.0.0/0            0.0.0.0/0            /* kubernetes service nodeports; NOTE: this must be the last rule in this chain */ ADDRTYPE match dst-type LOCAL',
];

const KUBE_SVC = [
  'Chain KUBE-SVC-TCOU7JCQXEZGVUNU (1 references)',
  'target     prot opt source               destination         ',
  'KUBE-MARK-MASQ  17   -- !10.244.0.0/16        10.96.0.10           /* kube-system/kube-dns:dns cluster IP */ udp dpt:53',
  'KUBE-SEP-IT2ZTR26TO4XFPTO  0    --  0.0.0.0/0            0.0.0.0/0            /* kube-system/kube-dns:dns -> 10.244.0.2:53 */',
];

/** `iptables -t nat -L` (no -n, no -v) of a node with kube-dns. */
const NAT_NAMES = [
  'Chain PREROUTING (policy ACCEPT)',
  'target     prot opt source               destination         ',
  'KUBE-SERVICES  all  --  anywhere             anywhere             /* kubernetes service portals */',
  '',
  'Chain INPUT (policy ACCEPT)',
  'target     prot opt source               destination         ',
  '',
  'Chain OUTPUT (policy ACCEPT)',
  'target     prot opt source               destination         ',
  'KUBE-SERVICES  all  --  anywhere             anywhere             /* kubernetes service portals */',
  '',
  'Chain POSTROUTING (policy ACCEPT)',
  'target     prot opt source               destination         ',
  'KUBE-POSTROUTING  all  --  anywhere             anywhere             /* kubernetes postrouting rules */',
  '',
  'Chain KUBE-MARK-MASQ (2 references)',
  'target     prot opt source               destination         ',
  'MARK       all  --  anywhere             anywhere             MARK or 0x4000',
  '',
  'Chain KUBE-NODEPORTS (1 references)',
  'target     prot opt source               destination         ',
  '',
  'Chain KUBE-POSTROUTING (1 references)',
  'target     prot opt source               destination         ',
  'RETURN     all  --  anywhere             anywhere             mark match ! 0x4000/0x4000',
  'MARK       all  --  anywhere             anywhere             MARK xor 0x4000',
  'MASQUERADE  all  --  anywhere             anywhere             /* kubernetes service traffic requiring SNAT */ random-fully',
  '',
  'Chain KUBE-SEP-IT2ZTR26TO4XFPTO (1 references)',
  'target     prot opt source               destination         ',
  'KUBE-MARK-MASQ  all  --  10.244.0.2           anywhere             /* kube-system/kube-dns:dns */',
  'DNAT       udp  --  anywhere             anywhere             /* kube-system/kube-dns:dns */ udp to:10.244.0.2:53',
  '',
  'Chain KUBE-SERVICES (2 references)',
  'target     prot opt source               destination         ',
  'KUBE-SVC-TCOU7JCQXEZGVUNU  udp  --  anywhere             10.96.0.10           /* kube-system/kube-dns:dns cluster IP */ udp dpt:domain',
  'KUBE-NODEPORTS  all  --  anywhere             anywhere             /* kubernetes service nodeports; NOTE: this must be the last rule in this chain */ ADDRTYPE match dst-type LOCAL',
  '',
  'Chain KUBE-SVC-TCOU7JCQXEZGVUNU (1 references)',
  'target     prot opt source               destination         ',
  'KUBE-MARK-MASQ  udp  -- !10.244.0.0/16        10.96.0.10           /* kube-system/kube-dns:dns cluster IP */ udp dpt:domain',
  'KUBE-SEP-IT2ZTR26TO4XFPTO  all  --  anywhere             anywhere             /* kube-system/kube-dns:dns -> 10.244.0.2:53 */',
];

/** `iptables -L --line-numbers` (the filter table, no -n, no -v). */
const FILTER_NAMES_LINES = [
  'Chain INPUT (policy ACCEPT)',
  'num  target     prot opt source               destination         ',
  '1    KUBE-FIREWALL  all  --  anywhere             anywhere            ',
  '',
  'Chain FORWARD (policy DROP)',
  'num  target     prot opt source               destination         ',
  '1    KUBE-FORWARD  all  --  anywhere             anywhere             /* kubernetes forwarding rules */',
  '2    ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:https',
  '3    ACCEPT     tcp  --  anywhere             anywhere             multiport dports http,http-alt',
  '',
  'Chain OUTPUT (policy ACCEPT)',
  'num  target     prot opt source               destination         ',
  '1    KUBE-FIREWALL  all  --  anywhere             anywhere            ',
  '',
  'Chain KUBE-FIREWALL (2 references)',
  'num  target     prot opt source               destination         ',
  '1    DROP       all  -- !loopback/8           loopback/8           /* block incoming localnet connections */ ! ctstate RELATED,ESTABLISHED,DNAT',
  '',
  'Chain KUBE-FORWARD (1 references)',
  'num  target     prot opt source               destination         ',
  '1    ACCEPT     all  --  anywhere             anywhere             /* kubernetes forwarding rules */ mark match 0x4000/0x4000',
  '2    ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:6443',
];

const NO_INTERFACES = 'no interfaces shown (no -v): in/out matches are unknown';

describe('a listing that does not name its table', () => {
  it('iptables -nvL PREROUTING pasted without its command is nat, from its jump to KUBE-SERVICES, and an excerpt', () => {
    const { sets, diags } = read(PREROUTING_NV.join('\n'));
    expect(diags).toEqual(['1:1 note RC236 the listing does not name its table; read as the nat table (from a jump to KUBE-SERVICES from PREROUTING)']);
    expect(sets.map((s) => [s.family, s.fidelity, s.lossyBecause])).toEqual([['ipv4', 'exact', undefined]]);
    expect(shape(sets[0]?.tables[0])).toEqual({
      name: 'nat',
      chains: ['PREROUTING ACCEPT 12/720 1'],
      inferredFrom: 'a jump to KUBE-SERVICES from PREROUTING',
      excerpt: 'built-in chains INPUT, OUTPUT, POSTROUTING are not listed',
    });
  });

  it('a -t on the pasted command names the table: nothing is inferred', () => {
    const { sets, diags } = read(['[root@node ~]# iptables -t nat -nvL PREROUTING', ...PREROUTING_NV].join('\n'));
    expect(diags).toEqual([]);
    expect(shape(sets[0]?.tables[0])).toEqual({
      name: 'nat',
      chains: ['PREROUTING ACCEPT 12/720 1'],
      inferredFrom: undefined,
      excerpt: 'only chain PREROUTING is listed (iptables -L PREROUTING)',
    });
  });

  it('a command without -t still leaves the table to be inferred', () => {
    const { sets, diags } = read(['[root@node ~]# iptables -L --line-numbers', ...FILTER_NAMES_LINES].join('\n'));
    expect(diags).toEqual(['1:1 note RC236 the listing does not name its table; read as the filter table (from its built-in chains INPUT, FORWARD, OUTPUT)']);
    expect(shape(sets[0]?.tables[0])).toEqual({
      name: 'filter',
      chains: ['INPUT ACCEPT 1', 'FORWARD DROP 3', 'OUTPUT ACCEPT 1', 'KUBE-FIREWALL - 0/0 1', 'KUBE-FORWARD - 0/0 2'],
      inferredFrom: 'its built-in chains INPUT, FORWARD, OUTPUT',
      excerpt: undefined,
    });
  });

  it('chains of kube-proxy only nat holds make a listing of user-defined chains nat', () => {
    const { sets, diags } = read(['', ...KUBE_SVC, ''].join('\n'));
    expect(diags).toEqual(['2:1 note RC236 the listing does not name its table; read as the nat table (from chain KUBE-SVC-TCOU7JCQXEZGVUNU)']);
    expect(shape(sets[0]?.tables[0])).toMatchObject({ name: 'nat', inferredFrom: 'chain KUBE-SVC-TCOU7JCQXEZGVUNU' });
  });
});

describe('one-chain listings one after another', () => {
  const expected = {
    name: 'nat',
    chains: ['KUBE-SERVICES - 0/0 2', 'KUBE-SVC-TCOU7JCQXEZGVUNU - 0/0 2'],
    inferredFrom: undefined,
    excerpt: 'only chains KUBE-SERVICES, KUBE-SVC-TCOU7JCQXEZGVUNU are listed (iptables -L KUBE-SERVICES, iptables -L KUBE-SVC-TCOU7JCQXEZGVUNU)',
  };

  it('are one table of one rule set, with the prompt lines and blank lines between them', () => {
    const text = [
      '[root@node ~]# iptables -t nat -L KUBE-SERVICES -n',
      ...KUBE_SERVICES,
      '',
      '[root@node ~]# iptables -t nat -L KUBE-SVC-TCOU7JCQXEZGVUNU -n',
      ...KUBE_SVC,
      '',
      '[root@node ~]# ',
    ].join('\n');
    const { sets, diags } = read(text);
    expect(diags).toEqual(["13:1 note RC290 shell prompt '[root@node ~]#' is not part of a dump; skipped"]);
    expect(sets).toHaveLength(1);
    expect(sets[0]?.tables.map(shape)).toEqual([expected]);
    expect(sets[0]?.tables[0]?.pos?.line).toBe(1);
    expect(sets[0]?.tables[0]?.chains.map((c) => c.pos?.line)).toEqual([2, 8]);
    expect(words(sets[0]?.tables[0]?.chains[1]?.rules[0])).toBe(
      '! -s 10.244.0.0/16 | -d 10.96.0.10/32 | -p udp | -m comment | --comment kube-system/kube-dns:dns cluster IP | -m udp | --dport 53 | -j KUBE-MARK-MASQ',
    );
  });

  it('are one table when the commands were not pasted, its table inferred once', () => {
    const { sets, diags } = read([...KUBE_SERVICES, '', ...KUBE_SVC].join('\n'));
    expect(diags).toEqual(['1:1 note RC236 the listing does not name its table; read as the nat table (from a jump to KUBE-SVC-TCOU7JCQXEZGVUNU)']);
    expect(sets.map((s) => s.tables.map(shape))).toEqual([
      [{ ...expected, inferredFrom: 'a jump to KUBE-SVC-TCOU7JCQXEZGVUNU', excerpt: 'built-in chains PREROUTING, INPUT, OUTPUT, POSTROUTING are not listed' }],
    ]);
  });

  it('are one table when each command left the table to be inferred', () => {
    const text = ['$ sudo iptables -L KUBE-SERVICES -n', ...KUBE_SERVICES, '$ sudo iptables -L KUBE-SVC-TCOU7JCQXEZGVUNU -n', ...KUBE_SVC].join('\n');
    const { sets, diags } = read(text);
    expect(diags).toEqual(['1:1 note RC236 the listing does not name its table; read as the nat table (from a jump to KUBE-SVC-TCOU7JCQXEZGVUNU)']);
    expect(sets.map((s) => s.tables.map(shape))).toEqual([[{ ...expected, inferredFrom: 'a jump to KUBE-SVC-TCOU7JCQXEZGVUNU' }]]);
  });

  it('keep the tables of other names and families apart, and a chain listed again starts a second rule set', () => {
    const text = [
      '# iptables -t nat -L KUBE-SERVICES -n',
      ...KUBE_SERVICES,
      '# iptables -t filter -L KUBE-FORWARD -n',
      'Chain KUBE-FORWARD (1 references)',
      'target     prot opt source               destination         ',
      'ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            /* kubernetes forwarding rules */ mark match 0x4000/0x4000',
      '# ip6tables -t nat -L KUBE-SVC-TCOU7JCQXEZGVUNU -n',
      'Chain KUBE-SVC-TCOU7JCQXEZGVUNU (1 references)',
      'target     prot opt source               destination         ',
      '# iptables -t nat -L KUBE-SVC-TCOU7JCQXEZGVUNU -n',
      ...KUBE_SVC,
      '# iptables -t nat -L KUBE-SERVICES -n',
      ...KUBE_SERVICES,
    ].join('\n');
    const { sets, diags } = read(text);
    expect(diags).toEqual([]);
    expect(sets.map((s) => `${s.family}: ${s.tables.map((t) => `${t.name}@${t.pos?.line} ${t.chains.map((c) => c.name).join(',')}`).join('; ')}`)).toEqual([
      'ipv4: nat@1 KUBE-SERVICES,KUBE-SVC-TCOU7JCQXEZGVUNU; filter@6 KUBE-FORWARD',
      'ipv6: nat@10 KUBE-SVC-TCOU7JCQXEZGVUNU',
      'ipv4: nat@18 KUBE-SERVICES',
    ]);
  });
});

describe('what an excerpt says when it names many chains', () => {
  const chain = (name: string, ...targets: string[]): string[] => [
    `Chain ${name} (1 references)`,
    'target     prot opt source               destination',
    ...targets.map((t) => `${t.padEnd(10)} 0    --  0.0.0.0/0            0.0.0.0/0`),
  ];

  it('counts chains listed one command each, past three', () => {
    const names = ['KUBE-SEP-A', 'KUBE-SEP-B', 'KUBE-SEP-C', 'KUBE-SEP-D'];
    const text = names.flatMap((n) => [`$ iptables -t nat -L ${n} -n`, ...chain(n, 'KUBE-MARK-MASQ')]).join('\n');
    expect(read(text).sets.map((s) => s.tables.map((t) => t.excerpt))).toEqual([['only 4 chains are listed (iptables -L CHAIN, 4 times)']]);
  });

  it('names three chains jumped to but not listed, and counts the rest', () => {
    const text = ['$ iptables -t nat -n -L', ...['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'].flatMap((n) => [`Chain ${n} (policy ACCEPT)`, 'target     prot opt source               destination'])];
    const jumps = chain('KUBE-SERVICES', 'KUBE-SVC-A', 'KUBE-SVC-B', 'KUBE-SVC-A', 'KUBE-SVC-C', 'KUBE-SVC-D', 'KUBE-SVC-E', 'ACCEPT', 'DNAT');
    expect(read([...text, ...jumps].join('\n')).sets[0]?.tables[0]?.excerpt).toBe('chains KUBE-SVC-A, KUBE-SVC-B, KUBE-SVC-C and 2 more are jumped to but not listed');
  });
});

describe('a full listing and a cut one', () => {
  it('iptables -t nat -L with all its chains is no excerpt', () => {
    const { sets } = read(['root@node:~# iptables -t nat -L', ...NAT_NAMES].join('\n'));
    expect(sets[0]?.tables.map((t) => [t.name, t.chains.length, t.excerpt])).toEqual([['nat', 10, undefined]]);
  });

  it('a listing cut before the chains it jumps to is an excerpt', () => {
    const cut = NAT_NAMES.slice(0, NAT_NAMES.indexOf('Chain KUBE-SEP-IT2ZTR26TO4XFPTO (1 references)'));
    const { sets } = read(['root@node:~# iptables -t nat -L', ...cut].join('\n'));
    expect(sets[0]?.tables.map((t) => [t.name, t.chains.length, t.excerpt])).toEqual([['nat', 7, 'chain KUBE-SERVICES is jumped to but not listed']]);
  });
});

describe('a listing with names and without counters', () => {
  it('iptables -t nat -L: ports come back through netdb, anywhere is no match, no counters are made up', () => {
    const { sets, diags } = read(['root@node:~# iptables -t nat -L', ...NAT_NAMES].join('\n'));
    expect(diags).toEqual([]);
    const rs = sets[0];
    // 10.244.0.2 has no name on the node, and every service name is one netdb knows.
    expect([rs?.fidelity, rs?.lossyBecause]).toEqual(['lossy', [NO_INTERFACES]]);
    const nat = rs?.tables[0];
    expect(shape(nat).chains).toEqual([
      'PREROUTING ACCEPT 1',
      'INPUT ACCEPT 0',
      'OUTPUT ACCEPT 1',
      'POSTROUTING ACCEPT 1',
      'KUBE-MARK-MASQ - 0/0 1',
      'KUBE-NODEPORTS - 0/0 0',
      'KUBE-POSTROUTING - 0/0 3',
      'KUBE-SEP-IT2ZTR26TO4XFPTO - 0/0 2',
      'KUBE-SERVICES - 0/0 2',
      'KUBE-SVC-TCOU7JCQXEZGVUNU - 0/0 2',
    ]);
    expect(nat?.chains.every((c) => c.rules.every((r) => r.counters === undefined))).toBe(true);
    const chain = (name: string): Rule[] => nat?.chains.find((c) => c.name === name)?.rules ?? [];
    expect(chain('KUBE-SERVICES').map(words)).toEqual([
      '-d 10.96.0.10/32 | -p udp | -m comment | --comment kube-system/kube-dns:dns cluster IP | -m udp | --dport 53 | -j KUBE-SVC-TCOU7JCQXEZGVUNU',
      '-m comment | --comment kubernetes service nodeports; NOTE: this must be the last rule in this chain | -m addrtype | --dst-type LOCAL | -j KUBE-NODEPORTS',
    ]);
    expect(chain('KUBE-SEP-IT2ZTR26TO4XFPTO').map(words)).toEqual([
      '-s 10.244.0.2/32 | -m comment | --comment kube-system/kube-dns:dns | -j KUBE-MARK-MASQ',
      '-p udp | -m comment | --comment kube-system/kube-dns:dns | -m udp | -j DNAT | --to-destination 10.244.0.2:53',
    ]);
  });

  it('iptables -L --line-numbers: host and network names stay names, service names become ports', () => {
    const { sets } = read(['[root@node ~]# iptables -L --line-numbers', ...FILTER_NAMES_LINES].join('\n'));
    const rs = sets[0];
    expect(rs?.lossyBecause).toEqual(['host names instead of addresses (no -n)', NO_INTERFACES]);
    const rules = rs?.tables[0]?.chains.flatMap((c) => c.rules.map((r) => `${c.name}: ${words(r)}`));
    expect(rules).toEqual([
      'INPUT: -j KUBE-FIREWALL',
      'FORWARD: -m comment | --comment kubernetes forwarding rules | -j KUBE-FORWARD',
      'FORWARD: -p tcp | -m tcp | --dport 443 | -j ACCEPT',
      'FORWARD: -p tcp | -m multiport | --dports 80,8080 | -j ACCEPT',
      'OUTPUT: -j KUBE-FIREWALL',
      'KUBE-FIREWALL: ! -s loopback/8 | -d loopback/8 | -m comment | --comment block incoming localnet connections | -m conntrack | ! --ctstate RELATED,ESTABLISHED,DNAT | -j DROP',
      'KUBE-FORWARD: -m comment | --comment kubernetes forwarding rules | -m mark | --mark 0x4000/0x4000 | -j ACCEPT',
      'KUBE-FORWARD: -p tcp | -m tcp | --dport 6443 | -j ACCEPT',
    ]);
  });

  it('a host name is never given an address, and a name netdb does not know stays a name', () => {
    const text = [
      'root@node:~# iptables -t nat -L KUBE-SERVICES -v',
      'Chain KUBE-SERVICES (2 references)',
      ' pkts bytes target     prot opt in     out     source               destination         ',
      '    0     0 KUBE-SVC-TCOU7JCQXEZGVUNU  udp  --  any    any     anywhere             kube-dns.kube-system.svc.cluster.local  /* kube-system/kube-dns:dns cluster IP */ udp dpt:domain',
      '    0     0 KUBE-SVC-X  tcp  --  any    eth0    anywhere             10.96.0.20           tcp dpt:no-such-service',
    ].join('\n');
    const rs = read(text).sets[0];
    expect(rs?.lossyBecause).toEqual(['host names instead of addresses (no -n)', 'service names rulec does not know instead of port numbers (no -n)']);
    expect(rs?.tables[0]?.chains[0]?.rules.map(words)).toEqual([
      '-d kube-dns.kube-system.svc.cluster.local | -p udp | -m comment | --comment kube-system/kube-dns:dns cluster IP | -m udp | --dport 53 | -j KUBE-SVC-TCOU7JCQXEZGVUNU',
      '-d 10.96.0.20/32 | -o eth0 | -p tcp | -m tcp | --dport no-such-service | -j KUBE-SVC-X',
    ]);
  });

  it('reads the names Fedora and RHEL give Kubernetes ports', () => {
    const text = [
      '[root@lb ~]# iptables -L -t nat',
      'Chain PREROUTING (policy ACCEPT)',
      'target     prot opt source               destination         ',
      'DNAT       tcp  --  anywhere             192.168.10.5         tcp dpt:sun-sr-https to:10.0.0.21',
      'DNAT       tcp  --  anywhere             192.168.10.5         tcp dpt:pcsync-https to:10.0.0.21:8443',
    ].join('\n');
    const rs = read(text).sets[0];
    expect(rs?.lossyBecause).toEqual([NO_INTERFACES]);
    expect(rs?.tables[0]?.chains[0]?.rules.map(words)).toEqual([
      '-d 192.168.10.5/32 | -p tcp | -m tcp | --dport 6443 | -j DNAT | --to-destination 10.0.0.21',
      '-d 192.168.10.5/32 | -p tcp | -m tcp | --dport 8443 | -j DNAT | --to-destination 10.0.0.21:8443',
    ]);
  });

  it('!anywhere is the whole address space of the family (ip6tables 1.6, legacy, written by hand)', () => {
    const text = [
      '$ ip6tables -L FOO',
      'Chain FOO (0 references)',
      'target     prot opt source               destination',
      'ACCEPT     all      !anywhere            anywhere',
      '$ iptables -L FOO',
      'Chain FOO (0 references)',
      'target     prot opt source               destination',
      'ACCEPT     all  --  anywhere            !anywhere',
    ].join('\n');
    const { sets } = read(text);
    expect(sets.map((s) => `${s.family}: ${words(s.tables[0]?.chains[0]?.rules[0])}`)).toEqual(['ipv6: ! -s ::/0 | -j ACCEPT', 'ipv4: ! -d 0.0.0.0/0 | -j ACCEPT']);
  });
});

describe('--line-numbers, and alignment a web page lost', () => {
  const fixture = readFileSync(join(import.meta.dirname, '../../../test/fixtures/dumps/list/kube-nat-nv-lines.txt'), 'utf8');
  /** Runs of blanks made one space, and the lines' leading blanks dropped, as an HTML page shows text outside <pre>. */
  const collapsed = fixture
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n');
  const rulesOf = (text: string): string[] =>
    read(text).sets.flatMap((s) => s.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.map((r) => `${t.name} ${c.name} ${words(r)}`))));

  it('reads the same rules when runs of spaces were collapsed', () => {
    expect(collapsed).not.toBe(fixture);
    expect(read(collapsed).diags).toEqual(read(fixture).diags);
    const rules = rulesOf(fixture);
    expect(rules).toHaveLength(62);
    expect(rulesOf(collapsed)).toEqual(rules);
  });

  it('reads rows without a target when the alignment is lost, with and without line numbers', () => {
    const text = [
      'Chain INPUT (policy ACCEPT)',
      'num target prot opt source destination',
      '1 all -- anywhere anywhere /* count only */',
      '2 ACCEPT tcp -- anywhere anywhere tcp dpt:ssh',
      'Chain OUTPUT (policy ACCEPT 5 packets, 300 bytes)',
      'pkts bytes target prot opt in out source destination',
      '5 300 all -- * lo 0.0.0.0/0 0.0.0.0/0',
    ].join('\n');
    const { sets, diags } = read(text);
    expect(diags).toEqual(["1:1 note RC236 the listing does not name its table; read as the filter table (from a jump to ACCEPT)"]);
    expect(sets[0]?.tables[0]?.chains.map((c) => c.rules.map(words))).toEqual([
      ['-m comment | --comment count only', '-p tcp | -m tcp | --dport 22 | -j ACCEPT'],
      ['-o lo'],
    ]);
  });
});

describe('rows of one chain filtered by grep, their title lines cut off', () => {
  it('are rows of the chain the command names, in the columns its options print, an excerpt', () => {
    const text = [
      'cactus@master01:~$ sudo iptables -t nat  -L KUBE-SERVICES | grep echo-session',
      'KUBE-MARK-MASQ  tcp  -- !10.244.0.0/16        10.109.153.82        /* default/echo-session: cluster IP */ tcp dpt:6711',
      'KUBE-SVC-NPPZ32WH6LRMQBHN  tcp  --  anywhere             10.109.153.82        /* default/echo-session: cluster IP */ tcp dpt:6711',
    ].join('\n');
    const r = parseDump(text, 'grep.txt');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`)).toEqual([
      "2:1 note RC235 rows of chain KUBE-SERVICES without its title lines, as the command's filter left them; read with the columns its options print",
    ]);
    const table = (r.ruleSets[0] as IptablesRuleSet).tables[0];
    expect(table?.name).toBe('nat');
    expect(table?.excerpt).toBe('only the rows of KUBE-SERVICES that a filter (grep) kept are listed');
    expect(table?.chains.map((c) => [c.name, c.rules.length])).toEqual([['KUBE-SERVICES', 2]]);
    expect(table?.chains[0]?.rules[1]?.args.find((a) => a.flag === '-j')?.values).toEqual(['KUBE-SVC-NPPZ32WH6LRMQBHN']);
  });

  it('are not guessed when the command lists a built-in chain or does not filter its output', () => {
    const rows = ['KUBE-SERVICES  all  --  anywhere             anywhere             /* kubernetes service portals */'];
    for (const command of ['$ sudo iptables -t nat -L PREROUTING | grep KUBE', '$ sudo iptables -t nat -L KUBE-SERVICES']) {
      const r = parseDump([command, ...rows].join('\n'), 'grep.txt');
      expect(r.ruleSets.flatMap((rs) => (rs as IptablesRuleSet).tables.flatMap((t) => t.chains)).length, command).toBe(0);
    }
  });
});
