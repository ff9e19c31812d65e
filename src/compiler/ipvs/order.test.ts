import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIpvs } from '../../ast/canonical-ipvs.js';
import type { IpvsProtocol, RealServer, VirtualService } from '../../ast/types.js';
import { bytesToIp, type ParsedIp } from '../../kube/ip.js';
import { addressKey, compareAddressPort, sortByKey, virtualServiceKey } from './order.js';

const ipv4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map(bytesToIp);
// Few distinct byte values, so equal prefixes and equal addresses occur often.
const ipv6 = fc.array(fc.constantFrom(0, 1, 0x20, 0xfd, 0xff), { minLength: 16, maxLength: 16 }).map(bytesToIp);
const ip = fc.oneof(ipv4, ipv6);
const port = fc.oneof(fc.constantFrom(0, 1, 80, 255, 256, 443, 65535), fc.integer({ min: 0, max: 65535 }));
const protocol = fc.constantFrom<IpvsProtocol>('tcp', 'udp', 'sctp');

describe('IPVS sort keys', () => {
  it('order addresses numerically, IPv4 before IPv6', () => {
    const a = bytesToIp([10, 0, 0, 9]);
    const b = bytesToIp([10, 0, 0, 10]);
    const c = bytesToIp([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(sortByKey([c, b, a], addressKey).map((x) => x.text)).toEqual(['10.0.0.9', '10.0.0.10', '2001:db8::1']);
  });

  it('give the order canonicalIpvs gives, for virtual services and real servers', () => {
    const server = fc.record({ ip, port });
    const service = fc.record({ ip, port, protocol, servers: fc.array(server, { maxLength: 6 }) });
    fc.assert(
      fc.property(fc.array(service, { maxLength: 30 }), (specs) => {
        const toRs = (s: { ip: ParsedIp; port: number }): RealServer => ({ address: s.ip.text, port: s.port, forward: 'masq', weight: 1 });
        const vs = (s: (typeof specs)[number]): VirtualService => ({
          protocol: s.protocol,
          address: s.ip.text,
          port: s.port,
          family: s.ip.family,
          scheduler: 'rr',
          schedulerFlags: [],
          realServers: [...s.servers].sort((a, b) => compareAddressPort(a.ip, a.port, b.ip, b.port)).map(toRs),
        });
        const ours = sortByKey(specs, (s) => virtualServiceKey(s.ip, s.protocol, s.port)).map(vs);
        const reference = canonicalIpvs({ kind: 'ipvs', services: specs.map(vs), origin: 'test', fidelity: 'exact' }).services;
        const show = (list: VirtualService[]) => list.map((v) => [v.family, v.protocol, v.address, v.port, v.realServers.map((r) => `${r.address}:${r.port}`)]);
        expect(show(ours)).toEqual(show(reference));
      }),
      { numRuns: 300 },
    );
  });
});
