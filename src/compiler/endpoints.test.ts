import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointSlice, ServicePort } from '../model/cluster.js';
import { parseIp, type ParsedIp } from '../kube/ip.js';
import { serviceEndpoint, serviceEndpoints, type ServiceEndpoint } from './endpoints.js';

const PORT: ServicePort = { name: 'http', protocol: 'TCP', port: 80, nodePort: 0, targetPort: 8080 };

/** The rule stated plainly: by `IP:port`, the first copy, replaced by a later one only while it is terminating and the later one is not. */
function expected(slices: EndpointSlice[], nodeName: string): ServiceEndpoint[] {
  const merged = new Map<string, ServiceEndpoint>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    for (const sp of slice.ports) {
      if (sp.name !== PORT.name || sp.protocol !== PORT.protocol || !sp.port) continue;
      for (const e of slice.endpoints) {
        const ep = serviceEndpoint(e, sp.port, nodeName);
        const prev = merged.get(ep.text);
        if (!prev || (prev.terminating && !ep.terminating)) merged.set(ep.text, ep);
      }
    }
  }
  return [...merged.values()].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

const ip = (text: string): ParsedIp => parseIp(text) as ParsedIp;
const condition = fc.constantFrom(true, false, null);
const endpoint: fc.Arbitrary<Endpoint> = fc.record({
  // Few addresses, so that copies of one endpoint are common.
  ip: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.10', '10.0.1.1').map(ip),
  ready: condition,
  serving: condition,
  terminating: condition,
  nodeName: fc.constantFrom('node-a', 'node-b', null),
  zone: fc.constant(null),
  zoneHints: fc.constantFrom(null, ['zone-a']),
  nodeHints: fc.constant(null),
});
const slice: fc.Arbitrary<EndpointSlice> = fc.record({
  namespace: fc.constant('ns'),
  name: fc.string(),
  serviceName: fc.constant('svc'),
  addressType: fc.constantFrom('IPv4' as const, 'IPv4' as const, 'IPv6' as const),
  ports: fc.array(
    fc.record({ name: fc.constantFrom('http', 'metrics'), port: fc.constantFrom(8080, 9090, null), protocol: fc.constantFrom('TCP' as const, 'UDP' as const) }),
    { maxLength: 3 },
  ),
  endpoints: fc.array(endpoint, { maxLength: 6 }),
  mirrored: fc.boolean(),
  src: fc.constant({ doc: undefined as never, path: [] }),
});

describe('serviceEndpoints', () => {
  it('merges copies of an endpoint as kube-proxy does (a non-terminating copy wins) and sorts by IP:port', () => {
    fc.assert(
      fc.property(fc.array(slice, { maxLength: 5 }), fc.constantFrom('', 'node-a'), (slices, nodeName) => {
        // Deep equality: copies differ in conditions and node, so the very copy kept is checked.
        expect(serviceEndpoints(slices, PORT, 'ipv4', nodeName)).toEqual(expected(slices, nodeName));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the first non-terminating copy, in the order the slices give them', () => {
    const ep = (text: string, terminating: boolean, nodeName: string): Endpoint => ({
      ip: ip(text),
      ready: !terminating,
      serving: true,
      terminating,
      nodeName,
      zone: null,
      zoneHints: null,
      nodeHints: null,
    });
    const s = (endpoints: Endpoint[]): EndpointSlice => ({
      namespace: 'ns',
      name: 'x',
      serviceName: 'svc',
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints,
      mirrored: false,
      src: { doc: undefined as never, path: [] },
    });
    const got = serviceEndpoints([s([ep('10.0.0.2', true, 'n1'), ep('10.0.0.1', true, 'n1')]), s([ep('10.0.0.2', false, 'n2'), ep('10.0.0.2', false, 'n3')])], PORT, 'ipv4', 'n2');
    expect(got.map((e) => [e.text, e.terminating, e.local])).toEqual([
      ['10.0.0.1:8080', true, false],
      ['10.0.0.2:8080', false, true],
    ]);
  });
});
