import { describe, expect, it } from 'vitest';
import type { IpvsRuleSet, VirtualService } from '../../ast/types.js';
import { printIpvsadmList, printIpvsadmSave } from '../../ast/print-ipvs.js';
import { parseDump } from '../detect.js';
import { parseIpvsadmList, parseIpvsadmSave } from './index.js';

/**
 * What people paste of ipvsadm: listings without their title lines, listings without `-n`,
 * lines cut short, and rules typed as `ipvsadm` commands. Each is read as far as it shows, with
 * warnings or notes, never errors, and nothing it does not show is made up.
 */

const TITLES = 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
const HEAD = `IP Virtual Server version 1.2.1 (size=4096)\n${TITLES}`;

const BODY = [
  'TCP  10.96.0.1:443 rr',
  '  -> 192.168.0.10:6443            Masq    1      3          0         ',
  '  -> 192.168.0.11:6443            Masq    1      2          0         ',
  'UDP  10.96.0.10:53 rr persistent 10800',
  '  -> 10.244.0.2:53                Masq    1      0          0         ',
  '',
].join('\n');

function only(result: { ruleSets: unknown[] }): IpvsRuleSet {
  expect(result.ruleSets).toHaveLength(1);
  return result.ruleSets[0] as IpvsRuleSet;
}

/** Services without positions: the same listing pasted at another line gives the same. */
function unplaced(services: VirtualService[]): unknown {
  return services.map(({ pos: _pos, realServers, ...svc }) => ({ ...svc, realServers: realServers.map(({ pos: _p, ...rs }) => rs) }));
}

describe('ipvsadm -Ln pasted without its title lines', () => {
  it('is detected from its first service line and read exactly like the whole listing', () => {
    const dump = parseDump(BODY, 'paste.txt');
    expect(dump.sections).toEqual([{ format: 'ipvsadm-list', firstLine: 1, lastLine: 5 }]);
    expect(dump.diagnostics).toEqual([]);
    const rs = only(dump);
    expect(rs.fidelity).toBe('exact');
    expect(rs.lossyBecause).toBeUndefined();
    expect(rs.listing).toEqual({ columns: 'default', exact: false });
    const whole = only(parseIpvsadmList(HEAD + BODY, 'whole.txt'));
    expect(unplaced(rs.services)).toEqual(unplaced(whole.services));
    expect(rs.services[1]).toMatchObject({ protocol: 'udp', address: '10.96.0.10', port: 53, scheduler: 'rr', persistence: { timeout: 10800 } });
    // Printed back, the listing gets its column titles again.
    expect(printIpvsadmList(rs)).toBe(TITLES + BODY);
  });

  it('after a shell prompt, as pasted from a terminal', () => {
    const dump = parseDump(`[root@node ~]# ipvsadm -Ln\n${BODY}[root@node ~]# \n`, 'paste.txt');
    expect(dump.sections).toEqual([{ format: 'ipvsadm-list', firstLine: 2, lastLine: 6 }]);
    expect(dump.diagnostics).toEqual([
      { file: 'paste.txt', line: 1, column: 1, severity: 'note', code: 'RC290', message: "shell prompt '[root@node ~]# ipvsadm -Ln' is not part of a dump; skipped" },
      { file: 'paste.txt', line: 7, column: 1, severity: 'note', code: 'RC290', message: "shell prompt '[root@node ~]#' is not part of a dump; skipped" },
    ]);
    expect(only(dump).services.map((s) => `${s.protocol} ${s.address}:${s.port} ${s.realServers.length}`)).toEqual(['tcp 10.96.0.1:443 2', 'udp 10.96.0.10:53 1']);
  });

  it('--stats without titles: read as --stats when a real server shows K/M/G/T among its first three counters', () => {
    const text = [
      'TCP  10.96.0.1:443                   88313   530250   706397  186493K    2964M',
      '  -> 192.168.0.10:6443               44100  123456K  106397K   93246K    1482M',
      '',
    ].join('\n');
    const dump = parseDump(text, 's.txt');
    expect(dump.sections).toEqual([{ format: 'ipvsadm-list', firstLine: 1, lastLine: 2 }]);
    expect(dump.diagnostics).toEqual([
      {
        file: 's.txt',
        line: 1,
        column: 1,
        severity: 'note',
        code: 'RC243',
        message: 'counters without their column titles, read as --stats: real servers show K/M/G/T counters where --rate prints whole numbers',
      },
      {
        file: 's.txt',
        line: 1,
        column: 1,
        severity: 'note',
        code: 'RC249',
        message: 'counter listings do not show schedulers, persistence, forwarding methods or weights; the rule set is marked lossy',
      },
    ]);
    const rs = only(dump);
    expect(rs.listing?.columns).toBe('stats');
    expect(rs.lossyBecause).toEqual(['counter listings do not show schedulers, persistence, forwarding methods or weights']);
    expect(rs.services[0]?.stats).toEqual({ conns: 88313, inPkts: 530250, outPkts: 706397, inBytes: 186493000, outBytes: 2964000000 });
    expect(rs.services[0]?.realServers[0]).toEqual({
      address: '192.168.0.10',
      port: 6443,
      stats: { conns: 44100, inPkts: 123456000, outPkts: 106397000, inBytes: 93246000, outBytes: 1482000000 },
      pos: { file: 's.txt', line: 2, column: 3 },
    });
  });

  it('--rate without titles: read as --rate when a real server shows a whole 9-digit number where --stats would scale it', () => {
    const text = 'TCP  10.96.0.1:443                       8       48       32    19800  377752K\n  -> 192.168.0.10:6443           123456789       48       32    19800  377752K\n';
    const { ruleSets, diagnostics } = parseIpvsadmList(text, 'r.txt');
    expect(diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ['note', 'RC243', 'counters without their column titles, read as --rate: real servers show whole numbers of 9 digits or more where --stats prints K/M/G/T'],
      ['note', 'RC249', 'rate listings do not show schedulers, persistence, forwarding methods or weights; the rule set is marked lossy'],
    ]);
    const rs = ruleSets[0] as IpvsRuleSet;
    expect(rs.listing?.columns).toBe('rate');
    expect(rs.services[0]?.realServers[0]?.stats).toEqual({ cps: 123456789, inPps: 48, outPps: 32, inBps: 19800, outBps: 377752000 });
  });

  it('counters that could be --stats or --rate: services and real servers are read, the numbers are not, and it says so', () => {
    const text = [
      'TCP  10.96.0.1:443                       2       12        8      816      539',
      '  -> 192.168.0.10:6443                   2       12        8      816      539',
      '',
    ].join('\n');
    const dump = parseDump(text, 'c.txt');
    expect(dump.diagnostics).toEqual([
      {
        file: 'c.txt',
        line: 1,
        column: 1,
        severity: 'warning',
        code: 'RC243',
        message: 'counters without their column titles: --stats and --rate print them alike, so they are not read; services and real servers are; the rule set is marked lossy',
      },
    ]);
    const rs = only(dump);
    expect(rs.fidelity).toBe('lossy');
    expect(rs.lossyBecause).toEqual(['counters without their column titles (--stats and --rate look alike): not read']);
    expect(rs.services).toEqual([
      {
        protocol: 'tcp',
        address: '10.96.0.1',
        port: 443,
        family: 'ipv4',
        scheduler: '',
        schedulerFlags: [],
        realServers: [{ address: '192.168.0.10', port: 6443, pos: { file: 'c.txt', line: 2, column: 3 } }],
        pos: { file: 'c.txt', line: 1, column: 1 },
      },
    ]);
  });

  it('four numbers without titles (--thresholds or --persistent-conn): the numbers are not read', () => {
    const text = 'TCP  10.96.0.1:443 wlc persistent 300\n  -> 192.168.0.10:6443            10000      8000       0          0         \n';
    const { ruleSets, diagnostics } = parseIpvsadmList(text, 't.txt');
    expect(diagnostics).toEqual([
      {
        file: 't.txt',
        line: 2,
        column: 35,
        severity: 'warning',
        code: 'RC243',
        message: 'real server numbers without their column titles: --thresholds and --persistent-conn print them alike, so they are not read; the rule set is marked lossy',
      },
    ]);
    const rs = ruleSets[0] as IpvsRuleSet;
    expect(rs.lossyBecause).toEqual(['real server numbers without their column titles (--thresholds and --persistent-conn look alike): not read']);
    expect(rs.services[0]).toMatchObject({ scheduler: 'wlc', persistence: { timeout: 300 } });
    expect(rs.services[0]?.realServers).toEqual([{ address: '192.168.0.10', port: 6443, pos: { file: 't.txt', line: 2, column: 3 } }]);
  });

  it('starts only at lines that are ipvsadm service lines', () => {
    const text = [
      'IPVS connection entries',
      'pro expire state       source             virtual            destination',
      'TCP 14:56  ESTABLISHED 10.0.0.1:5000      10.96.0.1:443      192.168.0.10:6443',
      'UDP 04:42  UDP         10.0.0.1:50000     10.96.0.10:53      10.244.0.2:53',
      '',
    ].join('\n');
    const dump = parseDump(text, 'conns.txt');
    expect(dump.sections).toEqual([]);
    expect(dump.ruleSets).toEqual([]);
    expect(dump.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [1, 'RC290'],
      [1, 'RC291'],
      [2, 'RC290'],
      [3, 'RC290'],
      [4, 'RC290'],
    ]);
  });
});

describe('lines cut short: read as far as they go, nothing made up', () => {
  const text = [
    `${HEAD}TCP  10.96.0.1:443 rr`,
    '  -> 192.168.0.10:6443            Masq    1',
    '  -> 192.168.0.11:6443            Route',
    '  -> 192.168.0.12:6443',
    'UDP  10.96.0.10:53',
    '',
  ].join('\n');

  it('gives a warning per line, one lossy reason, and no weight, counts or scheduler it did not show', () => {
    const { ruleSets, diagnostics } = parseIpvsadmList(text, 'cut.txt');
    expect(diagnostics).toEqual([
      { file: 'cut.txt', line: 5, column: 44, severity: 'warning', code: 'RC248', message: 'real server line ends early: it shows 1 of 3 numbers; read as far as it goes' },
      { file: 'cut.txt', line: 6, column: 40, severity: 'warning', code: 'RC248', message: 'real server line ends early: it shows only its address and forwarding method; read as far as it goes' },
      { file: 'cut.txt', line: 7, column: 23, severity: 'warning', code: 'RC248', message: 'real server line ends early: it shows only its address; read as far as it goes' },
      { file: 'cut.txt', line: 8, column: 19, severity: 'warning', code: 'RC248', message: 'service line ends early: its scheduler is not shown; read as far as it goes' },
    ]);
    const rs = ruleSets[0] as IpvsRuleSet;
    expect(rs.fidelity).toBe('lossy');
    expect(rs.lossyBecause).toEqual(['lines cut short: what they do not show is unknown']);
    const servers = rs.services[0]?.realServers.map(({ pos: _pos, ...r }) => r);
    expect(servers).toEqual([
      { address: '192.168.0.10', port: 6443, forward: 'masq', weight: 1 },
      { address: '192.168.0.11', port: 6443, forward: 'route' },
      { address: '192.168.0.12', port: 6443 },
    ]);
    expect(rs.services[1]).toMatchObject({ protocol: 'udp', port: 53, scheduler: '' });
    // Printed, each line stops where the paste stopped, and -S text leaves out what is unknown.
    expect(printIpvsadmList(rs).split('\n').slice(4, 8)).toEqual([
      '  -> 192.168.0.10:6443            Masq    1     ',
      '  -> 192.168.0.11:6443            Route  ',
      '  -> 192.168.0.12:6443',
      'UDP  10.96.0.10:53',
    ]);
    expect(printIpvsadmSave(rs).split('\n').slice(1, 4)).toEqual([
      '-a -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 1',
      '-a -t 10.96.0.1:443 -r 192.168.0.11:6443 -g',
      '-a -t 10.96.0.1:443 -r 192.168.0.12:6443',
    ]);
  });

  it('a --stats row cut short keeps the counters it shows, with one warning', () => {
    const stats = 'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n';
    const text = `${stats}TCP  10.96.0.1:443                       2       12        8      816      539\n  -> 192.168.0.10:6443                   2       12\n  -> 192.168.0.11:6443\n`;
    const { ruleSets, diagnostics } = parseIpvsadmList(text, 'cs.txt');
    expect(diagnostics.map((d) => [d.line, d.column, d.severity, d.code, d.message])).toEqual([
      [1, 1, 'note', 'RC249', 'counter listings do not show schedulers, persistence, forwarding methods or weights; the rule set is marked lossy'],
      [4, 52, 'warning', 'RC248', 'line ends early: 5 counters expected, 2 found; read as far as it goes'],
      [5, 23, 'warning', 'RC248', 'real server line ends early: it shows only its address; read as far as it goes'],
    ]);
    const servers = (ruleSets[0] as IpvsRuleSet).services[0]?.realServers.map(({ pos: _pos, ...r }) => r);
    expect(servers).toEqual([
      { address: '192.168.0.10', port: 6443, stats: { conns: 2, inPkts: 12 } },
      { address: '192.168.0.11', port: 6443 },
    ]);
  });

  it('a whole listing stays exact', () => {
    const rs = only(parseIpvsadmList(HEAD + BODY, 'whole.txt'));
    expect(rs.fidelity).toBe('exact');
    expect(rs.lossyBecause).toBeUndefined();
  });
});

describe('ipvsadm -L without -n: names', () => {
  it('port names resolved per protocol, no host name: the rule set stays exact, with a note', () => {
    const text = [
      `${HEAD}TCP  10.96.0.1:https rr`,
      '  -> 192.168.0.10:6443            Masq    1      3          0         ',
      'UDP  10.96.0.10:domain rr',
      '  -> 10.244.0.2:domain            Masq    1      0          0         ',
      'SCTP 10.96.0.20:amqp rr',
      '  -> 10.244.0.3:amqp              Masq    1      0          0         ',
      'TCP  10.96.0.30:mysql rr',
      '  -> 10.244.0.4:mysql             Masq    1      0          0         ',
      '',
    ].join('\n');
    const { ruleSets, diagnostics } = parseIpvsadmList(text, 'n.txt');
    expect(diagnostics).toEqual([
      {
        file: 'n.txt',
        line: 4,
        column: 6,
        severity: 'note',
        code: 'RC249',
        message: "port names (a listing without -n) are read as numbers from the services table, as ipvsadm printed them from it: 'https' is 443/tcp",
      },
    ]);
    const rs = ruleSets[0] as IpvsRuleSet;
    expect(rs.fidelity).toBe('exact');
    expect(rs.lossyBecause).toBeUndefined();
    expect(rs.services.map((s) => [s.protocol, s.port, s.portName, s.realServers.map((r) => [r.port, r.portName ?? null])])).toEqual([
      ['tcp', 443, 'https', [[6443, null]]],
      ['udp', 53, 'domain', [[53, 'domain']]],
      ['sctp', 5672, 'amqp', [[5672, 'amqp']]],
      ['tcp', 3306, 'mysql', [[3306, 'mysql']]],
    ]);
    // Printed back as it was: the names stay names.
    expect(printIpvsadmList(rs)).toBe(text);
  });

  it('a name the services table lacks (for that protocol) keeps port 0 and its name; the rule set is lossy', () => {
    const text = `${HEAD}TCP  10.96.0.40:my-admin rr\n  -> 10.244.0.5:my-admin          Masq    1      0          0         \nUDP  10.96.0.50:mysql rr\n`;
    const { ruleSets, diagnostics } = parseIpvsadmList(text, 'u.txt');
    expect(diagnostics).toEqual([
      {
        file: 'u.txt',
        line: 4,
        column: 6,
        severity: 'note',
        code: 'RC249',
        message: "port name 'my-admin' is not in the services table for tcp: its number is unknown; the rule set is marked lossy",
      },
    ]);
    const rs = ruleSets[0] as IpvsRuleSet;
    expect(rs.lossyBecause).toEqual(['port names the services table does not have (a listing without -n)']);
    expect(rs.services.map((s) => [s.protocol, s.port, s.portName])).toEqual([
      ['tcp', 0, 'my-admin'],
      ['udp', 0, 'mysql'],
    ]);
    expect(rs.services[0]?.realServers[0]).toMatchObject({ port: 0, portName: 'my-admin' });
  });

  it('host names are kept as printed; a name cut at 28 characters leaves its port unknown', () => {
    const text = [
      `${HEAD}TCP  kubernetes.default.svc.clust rr`,
      '  -> ip-10-0-1-15.ec2.internal:44 Masq    1      4          0         ',
      '  -> master1:6443                 Masq    1      5          0         ',
      '',
    ].join('\n');
    const { ruleSets, diagnostics } = parseIpvsadmList(text, 'h.txt');
    expect(diagnostics.map((d) => [d.line, d.column, d.severity, d.code, d.message])).toEqual([
      [4, 6, 'note', 'RC249', "'kubernetes.default.svc.clust' is a host name, not an address (a listing without -n): host names are kept as printed, never resolved; the rule set is marked lossy"],
      [4, 6, 'note', 'RC249', "'kubernetes.default.svc.clust' fills the 28 characters ipvsadm prints of a name and may be cut off: its port is unknown; the rule set is marked lossy"],
    ]);
    const rs = ruleSets[0] as IpvsRuleSet;
    expect(rs.lossyBecause).toEqual(['host names instead of addresses (a listing without -n)', 'names cut off at 28 characters, their ports with them (a listing without -n)']);
    expect(rs.services[0]).toMatchObject({ address: 'kubernetes.default.svc.clust', port: 0, portName: '', truncated: true });
    const [cut, named] = rs.services[0]?.realServers ?? [];
    // `ip-10-0-1-15.ec2.internal:443` cut to `...:44`: the 44 is not taken for a port.
    expect(cut).toMatchObject({ address: 'ip-10-0-1-15.ec2.internal', port: 0, portName: '44', truncated: true, forward: 'masq', weight: 1 });
    expect(named).toMatchObject({ address: 'master1', port: 6443 });
    expect(named?.portName).toBeUndefined();
    expect(named?.truncated).toBeUndefined();
    expect(printIpvsadmList(rs)).toBe(text);
  });

  it('an address printed without a port (not a cut name) leaves the port unknown', () => {
    const { ruleSets, diagnostics } = parseIpvsadmList(`${HEAD}TCP  master1 rr\n`, 'p.txt');
    expect(diagnostics.map((d) => d.message)).toEqual([
      "'master1' is a host name, not an address (a listing without -n): host names are kept as printed, never resolved; the rule set is marked lossy",
      "'master1' shows no port: its port is unknown; the rule set is marked lossy",
    ]);
    expect((ruleSets[0] as IpvsRuleSet).lossyBecause).toEqual(['host names instead of addresses (a listing without -n)', 'addresses printed without their ports']);
  });
});

describe('rules typed as ipvsadm commands', () => {
  const typed = [
    'ipvsadm -A -t 10.96.0.1:443 -s rr',
    'ipvsadm -a -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 1',
    'sudo ipvsadm -a -t 10.96.0.1:443 -r 192.168.0.11:6443 -m',
    '/sbin/ipvsadm -A -u 10.96.0.10:53 -s rr -p 10800',
    'sudo /usr/sbin/ipvsadm --add-server --udp-service 10.96.0.10:53 --real-server 10.244.0.2:53 --masquerading --weight 2',
  ];
  const saved = [
    '-A -t 10.96.0.1:443 -s rr',
    '-a -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 1',
    '-a -t 10.96.0.1:443 -r 192.168.0.11:6443 -m -w 1',
    '-A -u 10.96.0.10:53 -s rr -p 10800',
    '-a -u 10.96.0.10:53 -r 10.244.0.2:53 -m -w 2',
    '',
  ].join('\n');

  it('are read as the ipvsadm -S text they stand for; ipvsadm -Ln and ipvsadm -C stay commands', () => {
    const text = ['ipvsadm -C', ...typed, 'ipvsadm -Ln', ''].join('\n');
    const dump = parseDump(text, 'typed.txt');
    expect(dump.sections).toEqual([{ format: 'ipvsadm-save', firstLine: 2, lastLine: 6 }]);
    expect(dump.diagnostics).toEqual([
      { file: 'typed.txt', line: 1, column: 1, severity: 'note', code: 'RC290', message: "command 'ipvsadm -C' is not part of a dump; skipped" },
      { file: 'typed.txt', line: 7, column: 1, severity: 'note', code: 'RC290', message: "command 'ipvsadm -Ln' is not part of a dump; skipped" },
    ]);
    const rs = only(dump);
    expect(rs.origin).toBe('ipvsadm-save');
    expect(rs.fidelity).toBe('exact');
    expect(printIpvsadmSave(rs)).toBe(saved);
    const fromSave = only(parseIpvsadmSave(saved, 's'));
    expect(unplaced(rs.services)).toEqual(unplaced(fromSave.services));
  });

  it('errors point into the typed line; other ipvsadm commands are skipped with a warning', () => {
    const { diagnostics } = parseIpvsadmSave('sudo ipvsadm -A -t 10.96.0.1:99999 -s rr\nipvsadm -L -n\nsudo ipvsadm\n', 'e.txt');
    expect(diagnostics).toEqual([
      { file: 'e.txt', line: 1, column: 20, severity: 'error', code: 'RC241', message: "port 99999 in '10.96.0.1:99999' is out of range 0-65535" },
      { file: 'e.txt', line: 2, column: 1, severity: 'warning', code: 'RC247', message: "command 'ipvsadm -L -n' adds no service or real server; line skipped" },
      { file: 'e.txt', line: 3, column: 1, severity: 'warning', code: 'RC247', message: "command 'sudo ipvsadm' adds no service or real server; line skipped" },
    ]);
  });
});

describe('typed ipvsadm commands read with --format ipvsadm-save', () => {
  it('are rules of that format, not shell lines', () => {
    const r = parseDump('ipvsadm -A -t 10.96.0.1:443 -s rr\nipvsadm -a -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 1\n', 'typed.txt', { format: 'ipvsadm-save' });
    expect(r.diagnostics).toEqual([]);
    const ipvs = r.ruleSets[0];
    expect(ipvs?.kind === 'ipvs' ? ipvs.services.map((v) => [v.address, v.port, v.realServers.length]) : []).toEqual([['10.96.0.1', 443, 1]]);
  });
});
