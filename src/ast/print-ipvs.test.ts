import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IpvsForward, IpvsRuleSet, RealServer, VirtualService } from './types.js';
import { ipvsAddressKey } from './canonical-ipvs.js';
import { formatIpvsCounter, ipvsServiceSelector, listTitle, printIpvsadmList, printIpvsadmSave } from './print-ipvs.js';
import { parseIpvsadmList, parseIpvsadmSave } from '../grammar/ipvsadm/index.js';

function svc(partial: Partial<VirtualService>): VirtualService {
  return { protocol: 'tcp', address: '10.96.0.10', port: 53, family: 'ipv4', scheduler: 'rr', schedulerFlags: [], realServers: [], ...partial };
}

function rs(partial: Partial<RealServer>): RealServer {
  return { address: '10.244.1.5', port: 53, forward: 'masq', weight: 1, ...partial };
}

function ruleSet(services: VirtualService[]): IpvsRuleSet {
  return { kind: 'ipvs', services, origin: 'compiled', fidelity: 'exact' };
}

describe('printIpvsadmSave', () => {
  it('prints kube-proxy services as ipvsadm -S -n does', () => {
    const text = printIpvsadmSave(
      ruleSet([
        svc({ realServers: [rs({}), rs({ address: '10.244.2.7' })] }),
        svc({ protocol: 'udp', persistence: { timeout: 10800 } }),
        svc({ protocol: 'sctp', address: '10.96.87.3', port: 3868, scheduler: 'mh', schedulerFlags: ['mh-port'] }),
        svc({ address: 'fd00:10:96::a', family: 'ipv6', realServers: [rs({ address: 'fd00:10:244:1::5' })] }),
      ]),
    );
    expect(text).toBe(
      [
        '-A -t 10.96.0.10:53 -s rr',
        '-a -t 10.96.0.10:53 -r 10.244.1.5:53 -m -w 1',
        '-a -t 10.96.0.10:53 -r 10.244.2.7:53 -m -w 1',
        '-A -u 10.96.0.10:53 -s rr -p 10800',
        '-A --sctp-service 10.96.87.3:3868 -s mh -b mh-port',
        '-A -t [fd00:10:96::a]:53 -s rr',
        '-a -t [fd00:10:96::a]:53 -r [fd00:10:244:1::5]:53 -m -w 1',
        '',
      ].join('\n'),
    );
  });

  it('prints the rarer options in ipvsadm 1.31 order: -p -M, --pe, -o, -b', () => {
    const service = svc({
      protocol: 'udp',
      scheduler: 'sh',
      schedulerFlags: ['sh-fallback', 'sh-port'],
      persistence: { timeout: 60, netmask: '255.255.255.0' },
      persistenceEngine: 'sip',
      onePacket: true,
    });
    expect(printIpvsadmSave(ruleSet([service]))).toBe('-A -u 10.96.0.10:53 -s sh -p 60 -M 255.255.255.0 --pe sip -o -b sh-fallback,sh-port\n');
  });

  it('prints fwmark services and every forwarding method', () => {
    const service = svc({
      protocol: 'fwmark',
      address: '',
      port: 0,
      fwmark: 7,
      family: 'ipv6',
      realServers: [
        rs({ address: '2001:db8::1', port: 0, forward: 'route' }),
        rs({ address: '2001:db8::2', port: 0, forward: 'local' }),
        rs({ address: '2001:db8::3', port: 0, forward: 'tunnel', tunnel: { type: 'gre', checksum: 'csum' } }),
        rs({ address: '2001:db8::4', port: 0, forward: 'masq', weight: 0, upperThreshold: 10, lowerThreshold: 5 }),
      ],
    });
    expect(ipvsServiceSelector(service)).toBe('-f 7 -6');
    expect(printIpvsadmSave(ruleSet([service]))).toBe(
      [
        '-A -f 7 -6 -s rr',
        '-a -f 7 -6 -r [2001:db8::1]:0 -g -w 1',
        '-a -f 7 -6 -r [2001:db8::2]:0 -g -w 1',
        '-a -f 7 -6 -r [2001:db8::3]:0 -i -w 1 --tun-type gre --tun-csum',
        '-a -f 7 -6 -r [2001:db8::4]:0 -m -w 0 -x 10 -y 5',
        '',
      ].join('\n'),
    );
  });
});

describe('printIpvsadmList', () => {
  it('prints the ipvsadm -L -n layout (columns counted from ipvsadm.c format strings)', () => {
    const text = printIpvsadmList(
      ruleSet([
        svc({ persistence: { timeout: 10800 }, realServers: [rs({ activeConnections: 12, inactiveConnections: 3456 })] }),
        svc({ protocol: 'sctp', address: 'fd00::a', family: 'ipv6', scheduler: 'mh', schedulerFlags: ['mh-port'], realServers: [rs({ address: 'fd00:10:244:1:2:3:4:5', forward: 'route', weight: 100 })] }),
        svc({ protocol: 'fwmark', address: '', port: 0, fwmark: 5, onePacket: true }),
      ]),
    );
    expect(text.split('\n')).toEqual([
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  10.96.0.10:53 rr persistent 10800',
      //       5 + 28 columns          1+7        1+6    1+10       1+10
      '  -> 10.244.1.5:53                Masq    1      12         3456      ',
      'SCTP [fd00::a]:53 mh (mh-port)',
      '  -> [fd00:10:244:1:2:3:4:5]:53   Route   100    0          0         ',
      'FWM  5 rr ops',
      '',
    ]);
  });

  it('prints the --stats, --rate, --thresholds and --persistent-conn titles', () => {
    expect(listTitle('stats')).toBe('Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n');
    expect(listTitle('rate')).toBe('Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n  -> RemoteAddress:Port\n');
    expect(listTitle('thresholds')).toBe('Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n  -> RemoteAddress:Port\n');
    expect(listTitle('persistent-conn')).toBe('Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n  -> RemoteAddress:Port\n');
  });

  it('prints counters right-aligned in 9 columns, scaled past 10^8', () => {
    const service = svc({
      stats: { conns: 2, inPkts: 99999999, outPkts: 100000000, inBytes: 123456789012, outBytes: 1e15 },
      realServers: [rs({ stats: { cps: 1, inPps: 22, outPps: 333, inBps: 4444, outBps: 555555555 } })],
    });
    expect(printIpvsadmList(ruleSet([service]), { columns: 'stats' }).split('\n')[3]).toBe('TCP  10.96.0.10:53                       2 99999999  100000K     123G    1000T');
    expect(printIpvsadmList(ruleSet([service]), { columns: 'rate' }).split('\n')[4]).toBe('  -> 10.244.1.5:53                       1       22      333     4444  555555K');
    expect(printIpvsadmList(ruleSet([service]), { columns: 'stats', exact: true }).split('\n')[3]).toBe(
      'TCP  10.96.0.10:53                       2 99999999 100000000 123456789012 1000000000000000',
    );
  });

  it('formatIpvsCounter follows ipvsadm print_largenum at every boundary', () => {
    // Expected strings from Python's `'%9d' % n`, `'%8dK' % (n // 1000)`, ... (C printf semantics).
    expect([0, 99999999, 1e8, 999999999, 1e9, 99999999999, 1e11, 99999999999999, 1e14].map((n) => formatIpvsCounter(n, false))).toEqual([
      '        0',
      ' 99999999',
      '  100000K',
      '  999999K',
      '    1000M',
      '   99999M',
      '     100G',
      '   99999G',
      '     100T',
    ]);
    expect(formatIpvsCounter(12345678, true)).toBe(' 12345678');
    expect(formatIpvsCounter(123456789, true)).toBe(' 123456789');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: whatever the printers print, the parsers read back to the same services.

const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'sh', 'mh', 'sed', 'nq', 'lblcr'] as const;

function flagsFor(scheduler: string): fc.Arbitrary<string[]> {
  const names = scheduler === 'sh' ? ['sh-fallback', 'sh-port', 'flag-3'] : scheduler === 'mh' ? ['mh-fallback', 'mh-port', 'flag-3'] : ['flag-1', 'flag-2', 'flag-3'];
  return fc.subarray(names);
}

const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6();

function serverArb(family: 'ipv4' | 'ipv6', service: { fwmark: boolean; port: number }, forwards: readonly IpvsForward[]): fc.Arbitrary<RealServer> {
  return fc
    .record({
      address: family === 'ipv4' ? ipv4 : ipv6,
      port: fc.integer({ min: 0, max: 65535 }),
      forward: fc.constantFrom(...forwards),
      weight: fc.integer({ min: 0, max: 65535 }),
      thresholds: fc.option(fc.tuple(fc.integer({ min: 0, max: 2147483647 }), fc.integer({ min: 0, max: 2147483647 })), { nil: undefined }),
      tunnel: fc.option(
        fc.oneof(
          fc.constant({ type: 'ipip' as const }),
          fc.record({ type: fc.constant('gue' as const), port: fc.integer({ min: 1, max: 65535 }), checksum: fc.constantFrom('nocsum' as const, 'csum' as const, 'remcsum' as const) }),
          fc.record({ type: fc.constant('gre' as const), checksum: fc.constantFrom('nocsum' as const, 'csum' as const) }),
        ),
        { nil: undefined },
      ),
      active: fc.nat({ max: 100000 }),
      inactive: fc.nat({ max: 100000 }),
    })
    .map(({ address, port, forward, weight, thresholds, tunnel, active, inactive }) => {
      const server: RealServer = { address, port: forward !== 'masq' && !service.fwmark ? service.port : port, forward, weight, activeConnections: active, inactiveConnections: inactive };
      if (thresholds) [server.upperThreshold, server.lowerThreshold] = thresholds;
      if (tunnel && forward === 'tunnel') server.tunnel = tunnel;
      return server;
    });
}

function serviceArb(forwards: readonly IpvsForward[]): fc.Arbitrary<VirtualService> {
  return fc
    .record({
      protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const, 'fwmark' as const),
      family: fc.constantFrom('ipv4' as const, 'ipv6' as const),
      v4: ipv4,
      v6: ipv6,
      port: fc.integer({ min: 1, max: 65535 }),
      fwmark: fc.integer({ min: 1, max: 0xffffffff }),
      scheduler: fc.constantFrom(...SCHEDULERS),
      persistent: fc.option(fc.record({ timeout: fc.integer({ min: 1, max: 2678400 }), mask: fc.option(fc.integer({ min: 1, max: 127 }), { nil: undefined }) }), { nil: undefined }),
      pe: fc.boolean(),
      ops: fc.boolean(),
    })
    .chain((r) =>
      flagsFor(r.scheduler).chain((flags) => {
        const fwmark = r.protocol === 'fwmark';
        return fc
          .uniqueArray(serverArb(r.family, { fwmark, port: r.port }, forwards), { maxLength: 4, selector: (s) => `${ipvsAddressKey(s.address)}/${s.port}` })
          .map((realServers) => {
            const service: VirtualService = {
              protocol: r.protocol,
              address: fwmark ? '' : r.family === 'ipv4' ? r.v4 : r.v6,
              port: fwmark ? 0 : r.port,
              family: r.family,
              scheduler: r.scheduler,
              schedulerFlags: flags,
              realServers,
            };
            if (fwmark) service.fwmark = r.fwmark;
            if (r.persistent) {
              service.persistence = { timeout: r.persistent.timeout };
              if (r.persistent.mask !== undefined) service.persistence.netmask = r.family === 'ipv6' ? String(r.persistent.mask) : '255.255.0.0';
              if (r.pe) service.persistenceEngine = 'sip';
            }
            if (r.ops && (r.protocol === 'udp' || fwmark)) service.onePacket = true;
            return service;
          });
      }),
    );
}

function serviceKey(s: VirtualService): string {
  return s.protocol === 'fwmark' ? `f/${s.family}/${s.fwmark}` : `${s.protocol}/${ipvsAddressKey(s.address)}/${s.port}`;
}

function withoutPositions(services: VirtualService[], keep: (r: RealServer) => Partial<RealServer>): unknown[] {
  return services.map(({ pos: _pos, stats: _stats, realServers, ...rest }) => ({ ...rest, realServers: realServers.map(keep) }));
}

describe('printers and parsers agree (property)', () => {
  it('parse(printIpvsadmSave(x)) gives x back', () => {
    fc.assert(
      fc.property(fc.uniqueArray(serviceArb(['masq', 'route', 'tunnel']), { maxLength: 6, selector: serviceKey }), (services) => {
        const result = parseIpvsadmSave(printIpvsadmSave(ruleSet(services)), 'p');
        expect(result.diagnostics).toEqual([]);
        const parsed = (result.ruleSets[0] as IpvsRuleSet).services;
        const saved = ({ address, port, forward, weight, upperThreshold, lowerThreshold, tunnel }: RealServer) =>
          JSON.parse(JSON.stringify({ address, port, forward, weight, upperThreshold, lowerThreshold, tunnel })) as Partial<RealServer>;
        expect(withoutPositions(parsed, saved)).toEqual(withoutPositions(services, saved));
      }),
      { numRuns: 300 },
    );
  });

  it('parse(printIpvsadmList(x)) gives x back, as far as the listing shows it', () => {
    fc.assert(
      fc.property(fc.uniqueArray(serviceArb(['masq', 'route', 'tunnel', 'local']), { maxLength: 6, selector: serviceKey }), (services) => {
        const text = printIpvsadmList(ruleSet(services));
        const result = parseIpvsadmList(text, 'p');
        expect(result.diagnostics).toEqual([]);
        const parsed = result.ruleSets[0] as IpvsRuleSet;
        expect(printIpvsadmList(parsed)).toBe(text);
        const listed = ({ address, port, forward, weight, activeConnections, inactiveConnections }: RealServer) => ({
          address,
          port,
          forward,
          weight,
          activeConnections,
          inactiveConnections,
        });
        expect(withoutPositions(parsed.services, listed)).toEqual(withoutPositions(services, listed));
      }),
      { numRuns: 300 },
    );
  });
});
