import { CONFORMANCE as VECTORS } from '../../../test/support/vectors.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IpvsRuleSet } from '../../ast/types.js';
import { printIpvsadmSave } from '../../ast/print-ipvs.js';
import { parseIpvsadmSave } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/dumps/ipvs/', import.meta.url));
const CONFORMANCE = `${VECTORS}/ipvs/`;

function fixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

function parse(text: string, file = 'dump.ipvs'): { rs: IpvsRuleSet; diagnostics: ReturnType<typeof parseIpvsadmSave>['diagnostics'] } {
  const result = parseIpvsadmSave(text, file);
  expect(result.ruleSets).toHaveLength(1);
  return { rs: result.ruleSets[0] as IpvsRuleSet, diagnostics: result.diagnostics };
}

const conformanceCases = readdirSync(CONFORMANCE).filter((d) => existsSync(`${CONFORMANCE}${d}/expected.ipvs`));

describe('ipvsadm -S -n: conformance vectors', () => {
  it('finds the IPVS vectors', () => {
    expect(conformanceCases.length).toBeGreaterThanOrEqual(8);
  });
  for (const name of conformanceCases) {
    it(`${name}: parse -> print is the identity, without diagnostics`, () => {
      const text = readFileSync(`${CONFORMANCE}${name}/expected.ipvs`, 'utf8');
      const { rs, diagnostics } = parse(text);
      expect(diagnostics).toEqual([]);
      expect(printIpvsadmSave(rs)).toBe(text);
    });
  }
});

describe('ipvsadm -S -n: fixtures', () => {
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.save'))) {
    it(`${name}: parse -> print is the identity, without diagnostics`, () => {
      const text = fixture(name);
      const { rs, diagnostics } = parse(text, name);
      expect(diagnostics).toEqual([]);
      expect(rs.fidelity).toBe('exact');
      expect(rs.origin).toBe('ipvsadm-save');
      expect(printIpvsadmSave(rs)).toBe(text);
    });
  }

  it('kube-proxy node: services, real servers, schedulers, persistence', () => {
    const { rs } = parse(fixture('kube-proxy-node.save'));
    expect(rs.services).toHaveLength(25);
    const count = (p: string) => rs.services.filter((s) => s.protocol === p).length;
    expect([count('tcp'), count('udp'), count('sctp')]).toEqual([16, 5, 4]);
    expect(new Set(rs.services.map((s) => s.scheduler))).toEqual(new Set(['rr']));
    expect(rs.services.reduce((n, s) => n + s.realServers.length, 0)).toEqual(46);
    const api = rs.services.find((s) => s.address === '10.96.0.1' && s.port === 443);
    expect(api?.realServers.map((r) => `${r.address}:${r.port}`)).toEqual(['10.0.1.10:6443', '10.0.1.11:6443', '10.0.1.12:6443']);
    expect(api?.realServers.every((r) => r.forward === 'masq' && r.weight === 1)).toBe(true);
    const redis = rs.services.find((s) => s.address === '10.96.140.7');
    expect(redis?.persistence).toEqual({ timeout: 10800 });
    expect(rs.services.filter((s) => s.persistence).length).toBe(1);
    const empty = rs.services.filter((s) => s.realServers.length === 0).map((s) => `${s.address}:${s.port}`);
    expect(empty).toEqual(['10.96.33.33:8080']);
    // Every NodePort service exists once per node address.
    const nodePorts = rs.services.filter((s) => s.port === 30080).map((s) => s.address);
    expect(nodePorts).toEqual(['10.0.1.15', '10.244.1.0', '10.244.1.1']);
    // Positions: the -A line of the SCTP cluster IP and its -a line.
    const sctp = rs.services.find((s) => s.protocol === 'sctp' && s.address === '10.96.87.3');
    expect(sctp?.pos).toEqual({ file: 'dump.ipvs', line: 66, column: 1 });
    expect(sctp?.realServers[0]?.pos).toEqual({ file: 'dump.ipvs', line: 67, column: 1 });
  });

  it('IPv6 node: bracketed addresses, family ipv6', () => {
    const { rs } = parse(fixture('kube-proxy-ipv6.save'));
    expect(rs.services.map((s) => `${s.protocol} ${s.address} ${s.port}`)).toEqual([
      'tcp fd00:0:0:1::15 30080',
      'tcp fd00:10:96::1 443',
      'tcp fd00:10:96::a 53',
      'tcp fd00:10:96::c0de 8080',
      'tcp fd00:ffff::10 443',
      'udp fd00:10:96::a 53',
    ]);
    expect(rs.services.every((s) => s.family === 'ipv6')).toBe(true);
    expect(rs.services[3]?.persistence).toEqual({ timeout: 3600 });
    expect(rs.services[2]?.realServers.map((r) => r.address)).toEqual(['fd00:10:244::3', 'fd00:10:244:1::5']);
  });

  it('maglev node: mh scheduler with mh-port, weight 0 for a terminating endpoint', () => {
    const { rs } = parse(fixture('maglev-node.save'));
    expect(rs.services.map((s) => [s.scheduler, s.schedulerFlags.join(',')])).toEqual([
      ['mh', 'mh-port'],
      ['mh', 'mh-port'],
      ['mh', 'mh-port'],
      ['mh', 'mh-port'],
    ]);
    expect(rs.services[1]?.realServers.map((r) => r.weight)).toEqual([1, 0]);
    expect(rs.services[2]?.persistence).toEqual({ timeout: 10800 });
  });

  it('LVS director: fwmark, masks, engines, one-packet, tunnels', () => {
    const { rs } = parse(fixture('lvs-director.save'));
    const [web, tls, dns, sip, v6, fw5, fw6] = rs.services;
    expect(web?.persistence).toEqual({ timeout: 300, netmask: '255.255.255.0' });
    expect(web?.realServers.map((r) => [r.forward, r.weight])).toEqual([
      ['route', 100],
      ['route', 50],
    ]);
    expect(tls?.schedulerFlags).toEqual(['sh-fallback', 'sh-port']);
    expect(tls?.realServers.map((r) => r.tunnel)).toEqual([{ type: 'gue', port: 6080, checksum: 'nocsum' }, { type: 'ipip' }]);
    expect(dns?.onePacket).toBe(true);
    expect(dns?.realServers.map((r) => r.port)).toEqual([5353, 5353]);
    expect(sip?.persistenceEngine).toBe('sip');
    expect(v6?.persistence).toEqual({ timeout: 3600, netmask: '64' });
    expect(fw5).toMatchObject({ protocol: 'fwmark', fwmark: 5, family: 'ipv4', address: '', port: 0, scheduler: 'lblc' });
    expect(fw6).toMatchObject({ protocol: 'fwmark', fwmark: 6, family: 'ipv6', schedulerFlags: ['mh-fallback', 'mh-port'] });
    expect(fw6?.realServers[0]).toMatchObject({ address: '2001:db8:20::61', port: 0, forward: 'route' });
  });
});

describe('ipvsadm -R input: commands applied in order', () => {
  it('defaults: scheduler wlc, persistence 300, direct routing, weight 1, port from the service', () => {
    const { rs, diagnostics } = parse('-A -t 10.0.0.1:80 -p\n-a -t 10.0.0.1:80 -r 10.0.0.2\n');
    expect(diagnostics).toEqual([]);
    expect(printIpvsadmSave(rs)).toBe('-A -t 10.0.0.1:80 -s wlc -p 300\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 1\n');
  });

  it('long option spellings, options in any order', () => {
    const { rs, diagnostics } = parse(
      '--add-service --scheduler sh --tcp-service 10.0.0.1:80 --persistent 60 --netmask 255.255.0.0 --sched-flags sh-port\n' +
        '--add-server --weight 7 --real-server 10.0.0.2:8080 --masquerading --tcp-service 10.0.0.1:80 --u-threshold 100 --l-threshold 50\n',
    );
    expect(diagnostics).toEqual([]);
    expect(printIpvsadmSave(rs)).toBe(
      '-A -t 10.0.0.1:80 -s sh -p 60 -M 255.255.0.0 -b sh-port\n-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 7 -x 100 -y 50\n',
    );
  });

  it('reads the `pe NAME` and `ops` of ipvsadm 1.26 -S output', () => {
    const { rs, diagnostics } = parse('-A -u 10.0.0.1:5060 -s rr -p 120 pe sip ops\n');
    expect(diagnostics).toEqual([]);
    expect(rs.services[0]).toMatchObject({ persistence: { timeout: 120 }, persistenceEngine: 'sip', onePacket: true });
    expect(printIpvsadmSave(rs)).toBe('-A -u 10.0.0.1:5060 -s rr -p 120 --pe sip -o\n');
  });

  it('-E, -e, -d, -D and -C change the table', () => {
    const script = [
      '-A -t 10.0.0.1:80 -s rr',
      '-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1',
      '-a -t 10.0.0.1:80 -r 10.0.0.3:80 -m -w 1',
      '-A -u 10.0.0.1:53 -s rr',
      '-E -t 10.0.0.1:80 -s wrr -p 60',
      '-e -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 5',
      '-d -t 10.0.0.1:80 -r 10.0.0.3:80',
      '-D -u 10.0.0.1:53',
      '',
    ].join('\n');
    const { rs, diagnostics } = parse(script);
    expect(diagnostics).toEqual([]);
    expect(printIpvsadmSave(rs)).toBe('-A -t 10.0.0.1:80 -s wrr -p 60\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 5\n');
    expect(rs.services[0]?.pos?.line).toBe(1);
    expect(rs.services[0]?.realServers[0]?.pos?.line).toBe(2);
    const cleared = parse(`${script}-C\n-A -t 10.9.9.9:443 -s lc\n`);
    expect(printIpvsadmSave(cleared.rs)).toBe('-A -t 10.9.9.9:443 -s lc\n');
  });

  it('blank lines and # comments are skipped; CRLF line ends are accepted', () => {
    const { rs, diagnostics } = parse('# saved by ipvsadm-save\r\n\r\n-A -t 10.0.0.1:80 -s rr\r\n');
    expect(diagnostics).toEqual([]);
    expect(rs.services).toHaveLength(1);
    expect(rs.services[0]?.pos).toEqual({ file: 'dump.ipvs', line: 3, column: 1 });
  });

  it('positions count from the section start line', () => {
    const result = parseIpvsadmSave('-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:80 -s rr\n', 'paste.txt', 40);
    expect(result.ruleSets[0]?.pos).toEqual({ file: 'paste.txt', line: 40, column: 1 });
    expect(result.diagnostics).toEqual([
      { file: 'paste.txt', line: 41, column: 1, severity: 'error', code: 'RC245', message: 'virtual service -t 10.0.0.1:80 is already defined (line 40)' },
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

/** Each bad input with the diagnostics it must give, in order. */
const BAD: Array<[string, string, Expected[]]> = [
  ['unknown option', '-A -t 10.0.0.1:80 -s rr --bogus 1\n', [{ line: 1, column: 25, severity: 'error', code: 'RC240', message: "unknown option '--bogus'" }]],
  ['option without its value at the end', '-A -t 10.0.0.1:80 -s\n', [{ line: 1, column: 21, severity: 'error', code: 'RC240', message: "option '-s' needs a value" }]],
  [
    'option followed by another option instead of its value',
    '-A -t 10.0.0.1:80 -s -p 30\n',
    [{ line: 1, column: 22, severity: 'error', code: 'RC240', message: "option '-s' needs a value, found '-p'" }],
  ],
  ['stray word', '-A -t 10.0.0.1:80 -s rr extra\n', [{ line: 1, column: 25, severity: 'error', code: 'RC240', message: "unexpected 'extra'" }]],
  ['bad IPv4 address', '-A -t 10.0.0.300:80 -s rr\n', [{ line: 1, column: 7, severity: 'error', code: 'RC241', message: "'10.0.0.300' is not an IPv4 address" }]],
  ['bad IPv6 address', '-A -t [fd00::g]:80 -s rr\n', [{ line: 1, column: 7, severity: 'error', code: 'RC241', message: "'fd00::g' is not an IPv6 address" }]],
  ['missing ] of IPv6', '-A -t [fd00::1:80 -s rr\n', [{ line: 1, column: 7, severity: 'error', code: 'RC241', message: "'[fd00::1:80' lacks the closing ']' of an IPv6 address" }]],
  ['port out of range', '-A -u 10.0.0.1:65536 -s rr\n', [{ line: 1, column: 7, severity: 'error', code: 'RC241', message: "port 65536 in '10.0.0.1:65536' is out of range 0-65535" }]],
  ['host names are not resolved', '-A -t web.example:80 -s rr\n', [{ line: 1, column: 7, severity: 'error', code: 'RC241', message: "'web.example' is not an IPv4 address" }]],
  ['weight out of range', '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 70000\n', [{ line: 2, column: 40, severity: 'error', code: 'RC242', message: "weight '70000' is not a number from 0 to 65535" }]],
  ['fwmark zero', '-A -f 0 -s rr\n', [{ line: 1, column: 7, severity: 'error', code: 'RC242', message: "fwmark '0' is not a number from 1 to 4294967295" }]],
  ['persistence timeout zero', '-A -t 10.0.0.1:80 -s rr -p 0\n', [{ line: 1, column: 28, severity: 'error', code: 'RC242', message: "persistence timeout '0' is not a number from 1 to 2678400" }]],
  ['no service', '-A -s rr\n', [{ line: 1, column: 1, severity: 'error', code: 'RC243', message: "'-A' needs a service: -t, -u, --sctp-service or -f" }]],
  ['no command', '-t 10.0.0.1:80 -s rr\n', [{ line: 1, column: 1, severity: 'error', code: 'RC243', message: 'no command on this line (-A, -E, -D, -a, -e, -d or -C)' }]],
  ['real server without -r', '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -m\n', [{ line: 2, column: 1, severity: 'error', code: 'RC243', message: "'-a' needs a real server (-r ADDR:PORT)" }]],
  [
    'real server of an undefined service',
    '-a -t 10.0.0.9:80 -r 10.0.0.2:80 -m -w 1\n',
    [{ line: 1, column: 1, severity: 'error', code: 'RC244', message: 'virtual service -t 10.0.0.9:80 is not defined (no -A line for it before this one)' }],
  ],
  [
    'duplicate real server',
    '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 2\n',
    [{ line: 3, column: 22, severity: 'error', code: 'RC245', message: 'real server 10.0.0.2:80 of -t 10.0.0.1:80 is already defined (line 2)' }],
  ],
  ['repeated option', '-A -t 10.0.0.1:80 -s rr -s wrr\n', [{ line: 1, column: 25, severity: 'error', code: 'RC246', message: "option '-s' given twice" }]],
  [
    'two forwarding methods',
    '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -g\n',
    [{ line: 2, column: 37, severity: 'error', code: 'RC246', message: "forwarding methods '-m' and '-g' exclude each other" }],
  ],
  ['option foreign to the command', '-A -t 10.0.0.1:80 -s rr -w 3\n', [{ line: 1, column: 25, severity: 'error', code: 'RC246', message: "option '-w' does not apply to '-A'" }]],
  ['-6 without -f', '-A -t 10.0.0.1:80 -6 -s rr\n', [{ line: 1, column: 19, severity: 'error', code: 'RC246', message: "'-6' applies only to fwmark services (-f); an IPv6 service is written [ADDR]:PORT" }]],
  ['port 0 without persistence', '-A -t 10.0.0.1:0 -s rr\n', [{ line: 1, column: 1, severity: 'error', code: 'RC246', message: 'a service on port 0 must be persistent (-p)' }]],
  ['one-packet scheduling on TCP', '-A -t 10.0.0.1:80 -s rr -o\n', [{ line: 1, column: 25, severity: 'error', code: 'RC246', message: 'one-packet scheduling (-o) is only for UDP and fwmark services' }]],
  [
    'scheduler flag of another scheduler',
    '-A -t 10.0.0.1:80 -s rr -b sh-port\n',
    [{ line: 1, column: 28, severity: 'error', code: 'RC246', message: "scheduler flag 'sh-port' needs scheduler 'sh', not 'rr'" }],
  ],
  [
    'tunnel type without -i',
    '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m --tun-type gue\n',
    [{ line: 2, column: 37, severity: 'error', code: 'RC246', message: "'--tun-type' needs tunnelling (-i)" }],
  ],
  [
    'direct routing to another port',
    '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -g -w 1\n',
    [{ line: 2, column: 22, severity: 'warning', code: 'RC249', message: 'direct routing keeps the service port 80; port 8080 is ignored' }],
  ],
  ['-M without -p', '-A -t 10.0.0.1:80 -s rr -M 255.255.255.0\n', [{ line: 1, column: 25, severity: 'warning', code: 'RC249', message: "'-M' has no effect without '-p'" }]],
  [
    'pasted shell prompt and separator',
    '$ ipvsadm -S -n\n-A -t 10.0.0.1:80 -s rr\n---\n...\n',
    [
      { line: 1, column: 1, severity: 'warning', code: 'RC247', message: "'$ ipvsadm -S -n' is not an ipvsadm rule; line skipped" },
      { line: 3, column: 1, severity: 'warning', code: 'RC247', message: "'---' is not an ipvsadm rule; line skipped" },
      { line: 4, column: 1, severity: 'warning', code: 'RC247', message: "'...' is not an ipvsadm rule; line skipped" },
    ],
  ],
  [
    'errors on several lines are all reported; a failed -A silences its -a lines',
    '-A -t 10.0.0.1:80 -s rr -p x\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1\n-A -t 10.0.0.2:80 -s\n-A -u 10.0.0.3:53 -s rr\n',
    [
      { line: 1, column: 28, severity: 'error', code: 'RC240', message: "unexpected 'x'" },
      { line: 3, column: 21, severity: 'error', code: 'RC240', message: "option '-s' needs a value" },
    ],
  ],
];

describe('ipvsadm -S -n: bad input gives exact diagnostics and never throws', () => {
  for (const [what, text, expected] of BAD) {
    it(what, () => {
      const { diagnostics } = parse(text, 'bad.ipvs');
      expect(diagnostics).toEqual(expected.map((e) => ({ file: 'bad.ipvs', ...e })));
    });
  }

  it('the good lines of a bad file are kept', () => {
    const { rs } = parse(BAD[BAD.length - 1]?.[1] ?? '');
    expect(printIpvsadmSave(rs)).toBe('-A -u 10.0.0.3:53 -s rr\n');
  });

  it('a truncated last line (no newline, cut inside an address) is an error on that line', () => {
    const { rs, diagnostics } = parse('-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.');
    expect(diagnostics).toEqual([{ file: 'dump.ipvs', line: 2, column: 22, severity: 'error', code: 'RC241', message: "'10.0.' is not an IPv4 address" }]);
    expect(rs.services[0]?.realServers).toEqual([]);
  });

  it('a 1 MB line gives one diagnostic', () => {
    const { diagnostics } = parse(`-A -t 10.0.0.1:80 -s ${'x'.repeat(1 << 20)} junk\n`);
    expect(diagnostics.map((d) => [d.line, d.column, d.code])).toEqual([[1, 1048599, 'RC240']]);
  });
});
