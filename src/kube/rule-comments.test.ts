import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXED_COMMENTS, fixedCommentOf, readServiceComment, servicePortNameOfComment, servicePortNameTextOfComment, writeServiceComment, type ServiceComment, type ServiceCommentRole } from './rule-comments.js';
import { formatServicePortName, parseServicePortName, type ServicePortName } from './service-port-name.js';

const ROLES: readonly ServiceCommentRole[] = [
  'cluster-ip', 'external-ip', 'loadbalancer-ip', 'port', 'endpoint', 'no-endpoints', 'no-local-endpoints', 'health-check-node-port',
  'firewall-not-accepted', 'masquerade-external', 'masquerade-local-external', 'route-local-external', 'pod-external',
  'firewall-other-dropped', 'masquerade-local-lb-ip', 'route-local-lb-ip', 'balancing-rule',
];

const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
const spnArb: fc.Arbitrary<ServicePortName> = fc.record({ namespace: label, name: label, port: fc.oneof(fc.constant(''), label) });
const commentArb: fc.Arbitrary<ServiceComment> = fc.tuple(fc.constantFrom(...ROLES), spnArb, fc.nat(50), fc.ipV4(), fc.integer({ min: 1, max: 65535 })).map(
  ([role, spn, index, ip, port]) => {
    const c: ServiceComment = { role, spn };
    if (role === 'endpoint') c.endpoint = `${ip}:${port}`;
    if (role === 'firewall-not-accepted') c.chain = `KUBE-FW-${String(index).padStart(16, 'A')}`;
    if (role === 'balancing-rule') c.index = index;
    return c;
  },
);

describe('kube-proxy rule comments', () => {
  it('reads back what it writes, in both styles of an unnamed port', () => {
    fc.assert(
      fc.property(commentArb, fc.constantFrom('current' as const, 'colon-always' as const), (c, style) => {
        expect(readServiceComment(writeServiceComment(c, style))).toEqual(c);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the forms kube-proxy writes', () => {
    const spn = { namespace: 'ns1', name: 'svc1', port: 'p80' };
    expect(writeServiceComment({ role: 'cluster-ip', spn })).toBe('ns1/svc1:p80 cluster IP');
    expect(writeServiceComment({ role: 'endpoint', spn, endpoint: '10.180.0.1:80' })).toBe('ns1/svc1:p80 -> 10.180.0.1:80');
    expect(writeServiceComment({ role: 'masquerade-external', spn })).toBe('masquerade traffic for ns1/svc1:p80 external destinations');
    expect(writeServiceComment({ role: 'firewall-not-accepted', spn, chain: 'KUBE-FW-GNZBNJ2PO5MGZ6GT' })).toBe('ns1/svc1:p80 traffic not accepted by KUBE-FW-GNZBNJ2PO5MGZ6GT');
    expect(writeServiceComment({ role: 'cluster-ip', spn: { ...spn, port: '' } })).toBe('ns1/svc1 cluster IP');
    expect(writeServiceComment({ role: 'port', spn: { ...spn, port: '' } }, 'colon-always')).toBe('ns1/svc1:');
  });

  it('reads an unnamed port in the old form as the service it names', () => {
    expect(readServiceComment('default/nginx-svc:')).toEqual({ role: 'port', spn: { namespace: 'default', name: 'nginx-svc', port: '' } });
    expect(readServiceComment('default/nginx-svc: cluster IP')?.spn).toEqual({ namespace: 'default', name: 'nginx-svc', port: '' });
    expect(formatServicePortName(servicePortNameOfComment('default/nginx-svc:') ?? { namespace: '', name: '', port: 'x' })).toBe('default/nginx-svc');
  });

  it('gives the service port name as the comment writes it', () => {
    expect(servicePortNameTextOfComment('default/nginx-svc:')).toBe('default/nginx-svc:');
    expect(servicePortNameTextOfComment('default/nginx-svc: cluster IP')).toBe('default/nginx-svc:');
    expect(servicePortNameTextOfComment('masquerade traffic for default/nginx-svc: external destinations')).toBe('default/nginx-svc:');
    expect(servicePortNameTextOfComment('default/nginx-svc cluster IP')).toBe('default/nginx-svc');
    expect(servicePortNameTextOfComment('ns/a:http -> 10.0.0.1:80')).toBe('ns/a:http');
    expect(servicePortNameTextOfComment('kubernetes service portals')).toBeUndefined();
  });

  it('reads the older layouts', () => {
    expect(readServiceComment('Balancing rule 2 for default/web:http')).toEqual({ role: 'balancing-rule', spn: { namespace: 'default', name: 'web', port: 'http' }, index: 2 });
    expect(readServiceComment('masquerade LOCAL traffic for default/web:http LB IP')?.role).toBe('masquerade-local-lb-ip');
    expect(readServiceComment('route LOCAL traffic for default/web:http LB IP to service chain')?.role).toBe('route-local-lb-ip');
  });

  it('names no service in other comments', () => {
    for (const text of ['kubernetes service portals', 'a/b c d', 'A/b cluster IP', '/x cluster IP', 'ns/svc:Port', 'ns/svc:p -> ', 'ns/svc:p traffic not accepted by ', 'Balancing rule x for a/b']) {
      expect(readServiceComment(text)).toBeUndefined();
    }
    expect(parseServicePortName('ns/svc:p:q')).toBeUndefined();
  });

  it('knows each fixed comment by its text', () => {
    for (const [id, text] of Object.entries(FIXED_COMMENTS)) expect(fixedCommentOf(text)).toBe(id);
    expect(fixedCommentOf('kubernetes service portal')).toBeUndefined();
    expect(fixedCommentOf('constructor')).toBeUndefined();
  });
});
