import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IpvsRuleSet, RealServer, VirtualService } from '../../ast/types.js';
import { printIpvsadmList, printIpvsadmSave } from '../../ast/print-ipvs.js';
import { parseIpvsadmList, parseIpvsadmSave } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/dumps/ipvs/', import.meta.url));
const LISTINGS = readdirSync(FIXTURES).filter((f) => !f.endsWith('.save'));

function fixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

function parseList(text: string, file = 'list.txt'): { rs: IpvsRuleSet; diagnostics: ReturnType<typeof parseIpvsadmList>['diagnostics'] } {
  const result = parseIpvsadmList(text, file);
  expect(result.ruleSets).toHaveLength(1);
  return { rs: result.ruleSets[0] as IpvsRuleSet, diagnostics: result.diagnostics };
}

/** What `ipvsadm -S` and `ipvsadm -L` both show: no positions, counters, connection counts or tunnel options. */
function comparable(services: VirtualService[]): unknown[] {
  const server = ({ address, port, forward, weight }: RealServer) => ({ address, port, forward, weight });
  return services.map(({ protocol, address, port, fwmark, family, scheduler, schedulerFlags, persistence, persistenceEngine, onePacket, realServers }) => ({
    protocol,
    address,
    port,
    fwmark,
    family,
    scheduler,
    schedulerFlags,
    persistence,
    persistenceEngine,
    onePacket,
    realServers: realServers.map(server),
  }));
}

describe('ipvsadm -L: fixtures round trip', () => {
  it('has listing fixtures of every layout', () => {
    expect(LISTINGS.sort()).toEqual([
      'kube-proxy-ipv6.list',
      'kube-proxy-node-exact.stats',
      'kube-proxy-node-names.list',
      'kube-proxy-node.list',
      'kube-proxy-node.rate',
      'kube-proxy-node.stats',
      'lvs-director.list',
      'lvs-director.persistent-conn',
      'lvs-director.thresholds',
    ]);
  });
  for (const name of LISTINGS) {
    it(`${name}: parse -> print is the identity, with no errors`, () => {
      const text = fixture(name);
      const { rs, diagnostics } = parseList(text, name);
      expect(diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
      expect(rs.origin).toBe('ipvsadm-list');
      expect(printIpvsadmList(rs)).toBe(text);
    });
  }
});

describe('ipvsadm -L -n gives the same virtual services as ipvsadm -S -n', () => {
  for (const base of ['kube-proxy-node', 'kube-proxy-ipv6', 'lvs-director']) {
    it(base, () => {
      const saved = parseIpvsadmSave(fixture(`${base}.save`), `${base}.save`).ruleSets[0] as IpvsRuleSet;
      const { rs: listed, diagnostics } = parseList(fixture(`${base}.list`));
      expect(diagnostics).toEqual([]);
      expect(listed.fidelity).toBe('exact');
      expect(comparable(listed.services)).toEqual(comparable(saved.services));
      // And printed as -S, the listing gives back the saved text (the tunnel options excepted:
      // a listing does not show them).
      const withoutTunnels = fixture(`${base}.save`).replace(/ --tun-(?:type \S+|port \d+|\S+)/g, '');
      expect(printIpvsadmSave(listed)).toBe(withoutTunnels);
    });
  }
});

describe('ipvsadm -L: facts', () => {
  it('plain listing: header, connection counts, positions', () => {
    const { rs } = parseList(fixture('kube-proxy-node.list'));
    expect(rs.listing).toEqual({ columns: 'default', exact: false, version: '1.2.1', size: 4096 });
    expect(rs.services).toHaveLength(25);
    expect(rs.pos).toEqual({ file: 'list.txt', line: 1, column: 1 });
    const first = rs.services[0];
    expect(first?.pos).toEqual({ file: 'list.txt', line: 4, column: 1 });
    expect(first?.realServers.map((r) => [r.address, r.port, r.activeConnections, r.inactiveConnections])).toEqual([
      ['10.244.1.7', 8080, 2, 6],
      ['10.244.2.12', 8080, 2, 1],
      ['10.244.3.4', 8080, 1, 3],
    ]);
    expect(first?.realServers[0]?.pos).toEqual({ file: 'list.txt', line: 5, column: 3 });
  });

  it('--stats: counters with K and M suffixes are scaled; the rule set is lossy', () => {
    const { rs, diagnostics } = parseList(fixture('kube-proxy-node.stats'));
    expect(rs.fidelity).toBe('lossy');
    expect(rs.listing?.columns).toBe('stats');
    expect(diagnostics).toEqual([
      {
        file: 'list.txt',
        line: 2,
        column: 1,
        severity: 'note',
        code: 'RC249',
        message: 'counter listings do not show schedulers, persistence, forwarding methods or weights; the rule set is marked lossy',
      },
    ]);
    expect(rs.lossyBecause).toEqual(['counter listings do not show schedulers, persistence, forwarding methods or weights']);
    // Nor are they made up: no forwarding method, no weight.
    expect(rs.services[0]?.realServers[0]).not.toHaveProperty('forward');
    expect(rs.services[0]?.realServers[0]).not.toHaveProperty('weight');
    // TCP  10.0.1.15:30080   88313   530250   706397  186493K    2964M
    expect(rs.services[0]?.stats).toEqual({ conns: 88313, inPkts: 530250, outPkts: 706397, inBytes: 186493000, outBytes: 2964000000 });
    expect(rs.services[0]?.realServers[1]?.stats).toEqual({ conns: 93, inPkts: 930, outPkts: 651, inBytes: 271374, outBytes: 106764 });
    expect(rs.services[0]?.scheduler).toBe('');
    expect(rs.services.map((s) => `${s.protocol} ${s.address}:${s.port}`)).toEqual(
      (parseIpvsadmSave(fixture('kube-proxy-node.save'), 'x').ruleSets[0] as IpvsRuleSet).services.map((s) => `${s.protocol} ${s.address}:${s.port}`),
    );
  });

  it('--stats --exact: full numbers, and exact is recognised', () => {
    const { rs } = parseList(fixture('kube-proxy-node-exact.stats'));
    expect(rs.listing?.exact).toBe(true);
    expect(rs.services[0]?.stats).toEqual({ conns: 88313, inPkts: 530250, outPkts: 706397, inBytes: 186493280, outBytes: 2964261399 });
  });

  it('--rate: per-second columns', () => {
    const { rs } = parseList(fixture('kube-proxy-node.rate'));
    expect(rs.listing?.columns).toBe('rate');
    expect(rs.services[0]?.stats).toEqual({ cps: 8, inPps: 48, outPps: 32, inBps: 19800, outBps: 377752 });
  });

  it('--thresholds and --persistent-conn', () => {
    const t = parseList(fixture('lvs-director.thresholds')).rs;
    expect(t.services[0]?.realServers.map((r) => [r.upperThreshold, r.lowerThreshold])).toEqual([
      [10000, 8000],
      [5000, 4000],
    ]);
    expect(t.services[0]?.persistence).toEqual({ timeout: 300, netmask: '255.255.255.0' });
    const p = parseList(fixture('lvs-director.persistent-conn')).rs;
    expect(p.services[0]?.realServers.map((r) => [r.weight, r.persistentConnections])).toEqual([
      [100, 39],
      [50, 35],
    ]);
  });

  it('LVS listing: Route, Tunnel, flags, persistence engine, ops, FWM', () => {
    const { rs } = parseList(fixture('lvs-director.list'));
    expect(rs.listing?.size).toBe(1048576);
    expect(rs.services.map((s) => s.realServers.map((r) => r.forward).join(','))).toEqual([
      'route,route',
      'tunnel,tunnel',
      'masq,masq',
      'masq',
      'masq,masq',
      'route,route',
      'route',
    ]);
    expect(rs.services[6]).toMatchObject({ protocol: 'fwmark', fwmark: 6, family: 'ipv6', scheduler: 'mh', schedulerFlags: ['mh-fallback', 'mh-port'] });
  });

  it('a listing without -n: port names read from the services table, host names kept, cut names lossy', () => {
    const { rs, diagnostics } = parseList(fixture('kube-proxy-node-names.list'));
    expect(rs.fidelity).toBe('lossy');
    expect(rs.lossyBecause).toEqual([
      'host names instead of addresses (a listing without -n)',
      'names cut off at 28 characters, their ports with them (a listing without -n)',
    ]);
    expect(diagnostics).toEqual([
      {
        file: 'list.txt',
        line: 4,
        column: 6,
        severity: 'note',
        code: 'RC249',
        message: "'node-b.prod.example.internal' is a host name, not an address (a listing without -n): host names are kept as printed, never resolved; the rule set is marked lossy",
      },
      {
        file: 'list.txt',
        line: 4,
        column: 6,
        severity: 'note',
        code: 'RC249',
        message: "'node-b.prod.example.internal' fills the 28 characters ipvsadm prints of a name and may be cut off: its port is unknown; the rule set is marked lossy",
      },
      {
        file: 'list.txt',
        line: 5,
        column: 6,
        severity: 'note',
        code: 'RC249',
        message: "port names (a listing without -n) are read as numbers from the services table, as ipvsadm printed them from it: 'http-alt' is 8080/tcp",
      },
    ]);
    // `TCP  node-b.prod.example.internal` was cut at 33 characters, before its port.
    expect(rs.services[0]).toMatchObject({ address: 'node-b.prod.example.internal', port: 0, portName: '', truncated: true });
    expect(rs.services[1]).toMatchObject({ address: 'lb-ingress.prod.example.inte', port: 0, portName: '', truncated: true });
    expect(rs.services[0]?.realServers[0]).toMatchObject({ address: '10.244.1.7', port: 8080, portName: 'http-alt' });
    expect(rs.services[2]).toMatchObject({ address: '10.96.0.1', port: 443, portName: 'https' });
    // Host names are never resolved: the address stays the name, no address is made up.
    expect(rs.services[2]?.realServers[0]).toEqual({ address: 'cp-1.example.internal', port: 6443, forward: 'masq', weight: 1, activeConnections: 4, inactiveConnections: 0, pos: { file: 'list.txt', line: 11, column: 3 } });
    expect(rs.services[3]).toMatchObject({ protocol: 'tcp', address: '10.96.0.10', port: 53, portName: 'domain' });
    expect(rs.services[3]?.realServers[0]).toMatchObject({ address: '10.244.0.3', port: 53, portName: 'domain' });
    expect(rs.services[4]).toMatchObject({ address: '10.96.0.10', port: 9153 });
    expect(rs.services[4]?.portName).toBeUndefined();
    // Per protocol: `syslog` is 514 for UDP.
    expect(rs.services[7]).toMatchObject({ protocol: 'udp', address: '10.96.45.200', port: 514, portName: 'syslog' });
    expect(rs.services.filter((s) => s.truncated).length).toBe(2);
  });

  it('Local forwarding, SCTP, sched flags in parentheses, a listing without the version line', () => {
    const text = [
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'SCTP 10.96.87.3:3868 sh (sh-fallback,sh-port) persistent 60 mask 255.255.255.0',
      '  -> 10.0.1.15:3868               Local   1      0          0         ',
      '',
    ].join('\n');
    const { rs, diagnostics } = parseList(text);
    expect(diagnostics).toEqual([]);
    expect(rs.listing).toEqual({ columns: 'default', exact: false });
    expect(rs.services[0]).toMatchObject({
      protocol: 'sctp',
      scheduler: 'sh',
      schedulerFlags: ['sh-fallback', 'sh-port'],
      persistence: { timeout: 60, netmask: '255.255.255.0' },
    });
    expect(rs.services[0]?.realServers[0]?.forward).toBe('local');
    expect(printIpvsadmList(rs)).toBe(text);
    expect(printIpvsadmSave(rs)).toBe(
      '-A --sctp-service 10.96.87.3:3868 -s sh -p 60 -M 255.255.255.0 -b sh-fallback,sh-port\n-a --sctp-service 10.96.87.3:3868 -r 10.0.1.15:3868 -g -w 1\n',
    );
  });

  it('two listings pasted one after the other give two rule sets', () => {
    const text = fixture('kube-proxy-node.list') + fixture('lvs-director.list');
    const result = parseIpvsadmList(text, 'both.txt', 10);
    expect(result.diagnostics).toEqual([]);
    expect(result.ruleSets.map((r) => [(r as IpvsRuleSet).services.length, r.pos?.line])).toEqual([
      [25, 10],
      [7, 10 + fixture('kube-proxy-node.list').split('\n').length - 1],
    ]);
  });
});

interface Expected {
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

const HEAD = 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
const STATS_HEAD =
  'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n';

const BAD: Array<[string, string, Expected[]]> = [
  [
    'listing cut after the version line',
    'IP Virtual Server version 1.2.1 (size=4096)\n',
    [{ line: 1, column: 1, severity: 'error', code: 'RC248', message: "the version line is not followed by the column titles ('Prot LocalAddress:Port ...')" }],
  ],
  [
    'real server line before any service',
    `${HEAD}  -> 10.244.1.7:8080              Masq    1      0          0\n`,
    [{ line: 4, column: 3, severity: 'error', code: 'RC248', message: 'real server line without a virtual service line before it' }],
  ],
  ['a line that stops at its first word', `${HEAD}TCP\n`, [{ line: 4, column: 4, severity: 'error', code: 'RC248', message: "line ends early: 'TCP'" }]],
  [
    'unknown forwarding method',
    `${HEAD}TCP  10.96.0.1:443 rr\n  -> 10.0.1.10:6443              Bridge  1      0          0\n`,
    [{ line: 5, column: 34, severity: 'error', code: 'RC240', message: "unexpected 'Bridge'" }],
  ],
  [
    'bad address',
    `${HEAD}TCP  10.96.0.1:443 rr\n  -> 10.0.1.10:99999              Masq    1      0          0\n`,
    [{ line: 5, column: 6, severity: 'error', code: 'RC241', message: "port 99999 in '10.0.1.10:99999' is out of range 0-65535" }],
  ],
  [
    'a scheduler where counters belong',
    `${STATS_HEAD}TCP  10.96.0.1:443 rr\n`,
    [
      { line: 2, column: 1, severity: 'note', code: 'RC249', message: 'counter listings do not show schedulers, persistence, forwarding methods or weights; the rule set is marked lossy' },
      { line: 4, column: 20, severity: 'error', code: 'RC240', message: "expected the stats counters, found 'rr'" }],
  ],
  [
    'counters where the plain layout has a forwarding method',
    `${HEAD}TCP  10.96.0.1:443 rr\n  -> 10.0.1.10:6443                     2       12        8      816      539\n`,
    [{ line: 5, column: 41, severity: 'error', code: 'RC240', message: "expected a forwarding method (Masq, Route, Tunnel, Local), found '2'" }],
  ],
  [
    'the same service twice',
    `${HEAD}TCP  10.96.0.1:443 rr\nTCP  10.96.0.1:443 rr\n`,
    [{ line: 5, column: 1, severity: 'error', code: 'RC245', message: 'virtual service TCP  10.96.0.1:443 is listed twice (line 4)' }],
  ],
  [
    'pasted prompt and separator lines',
    `$ sudo ipvsadm -Ln\n${HEAD}---\nTCP  10.96.0.1:443 rr\n`,
    [
      { line: 1, column: 1, severity: 'warning', code: 'RC247', message: "'$ sudo ipvsadm -Ln' is not part of an ipvsadm listing; line skipped" },
      { line: 5, column: 1, severity: 'warning', code: 'RC247', message: "'---' is not part of an ipvsadm listing; line skipped" },
    ],
  ],
];

describe('ipvsadm -L: bad input gives exact diagnostics and never throws', () => {
  for (const [what, text, expected] of BAD) {
    it(what, () => {
      const result = parseIpvsadmList(text, 'bad.txt');
      expect(result.diagnostics).toEqual(expected.map((e) => ({ file: 'bad.txt', ...e })));
    });
  }

  it('keeps the good services of a listing with errors', () => {
    const result = parseIpvsadmList(`${HEAD}TCP  10.96.0.1:443 rr\n  -> 10.0.1.10:6443              Bogus   1      0          0\n  -> 10.0.1.11:6443              Masq    1      0          0\n`, 'x');
    const rs = result.ruleSets[0] as IpvsRuleSet;
    expect(rs.services[0]?.realServers.map((r) => r.address)).toEqual(['10.0.1.11']);
  });
});
