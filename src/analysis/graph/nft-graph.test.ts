import { describe, expect, it } from 'vitest';
import type { NftRuleSet } from '../../ast/nft-types.js';
import { buildNftGraph } from './nft-graph.js';

const rule = (text: string) => ({ words: text.split(' ') });
const TABLE: NftRuleSet = {
  kind: 'nft',
  origin: 'compiled',
  fidelity: 'exact',
  family: 'ip',
  table: 'kube-proxy',
  chains: [
    { name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: -100 }, rules: [rule('jump services')] },
    { name: 'services', rules: [rule('ip daddr . meta l4proto . th dport vmap @service-ips')] },
    { name: 'mark-for-masquerade', rules: [rule('mark set mark or 0x4000')] },
    { name: 'service-AAAAAAAA-ns/web/tcp/http', rules: [rule('ip daddr 10.96.0.5 ip saddr != 10.0.0.0/8 jump mark-for-masquerade'), rule('numgen random mod 2 vmap { 0 : goto endpoint-BBBBBBBB-ns/web/tcp/http__10.0.1.1/80 , 1 : goto endpoint-CCCCCCCC-ns/web/tcp/http__10.0.1.2/80 }')] },
    { name: 'endpoint-BBBBBBBB-ns/web/tcp/http__10.0.1.1/80', rules: [rule('meta l4proto tcp dnat to 10.0.1.1:80')] },
    { name: 'endpoint-CCCCCCCC-ns/web/tcp/http__10.0.1.2/80', rules: [rule('meta l4proto tcp dnat to 10.0.1.2:80')] },
  ],
  sets: [{ name: 'service-ips', kind: 'map', type: 'ipv4_addr . inet_proto . inet_service : verdict', elements: [{ key: ['10.96.0.5', 'tcp', '80'], value: 'goto service-AAAAAAAA-ns/web/tcp/http' }] }],
};

describe('buildNftGraph', () => {
  it('draws hooks, map elements, the random split and DNATs', () => {
    const g = buildNftGraph([TABLE]);
    const name = (id: string) => g.nodes.find((n) => n.id === id)?.label ?? id;
    expect(g.edges.map((e) => `${name(e.from)} -${e.style === 'dashed' ? '.' : ''}-> ${name(e.to)} [${e.label}]`)).toEqual([
      'nat-prerouting (prerouting) --> services []',
      'services --> service-AAAAAAAA-ns/web/tcp/http [10.96.0.5 . tcp . 80]',
      'service-AAAAAAAA-ns/web/tcp/http -.-> mark-for-masquerade [ip daddr 10.96.0.5, ip saddr != 10.0.0.0/8]',
      'service-AAAAAAAA-ns/web/tcp/http --> endpoint-BBBBBBBB-ns/web/tcp/http__10.0.1.1/80 [1/2]',
      'service-AAAAAAAA-ns/web/tcp/http --> endpoint-CCCCCCCC-ns/web/tcp/http__10.0.1.2/80 [1/2]',
      'endpoint-BBBBBBBB-ns/web/tcp/http__10.0.1.1/80 --> 10.0.1.1:80 [DNAT]',
      'endpoint-CCCCCCCC-ns/web/tcp/http__10.0.1.2/80 --> 10.0.1.2:80 [DNAT]',
    ]);
  });

  it('keeps only the chains of one Service with --service', () => {
    expect(buildNftGraph([TABLE], { service: 'ns/other' }).edges).toEqual([]);
    expect(buildNftGraph([TABLE], { service: 'ns/web' }).edges.length).toBe(6);
  });
});
