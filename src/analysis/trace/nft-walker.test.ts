import { describe, expect, it } from 'vitest';
import type { NftChain, NftRuleSet } from '../../ast/nft-types.js';
import { parseIp, type ParsedIp } from '../../kube/ip.js';
import { Tracer } from './tracer.js';

function table(chains: NftChain[], sets: NftRuleSet['sets'] = []): NftRuleSet {
  return { kind: 'nft', origin: 'compiled', fidelity: 'exact', family: 'ip', table: 'kube-proxy', chains, sets };
}
const rule = (text: string) => ({ words: text.split(' ') });
const NODE = [parseIp('192.168.0.2') as ParsedIp];

function trace(rs: NftRuleSet, destination = '172.30.0.1:80', source = '10.0.0.2') {
  const a = new Tracer({ ruleSets: [], nft: [rs], nodeIPs: NODE }).trace({ destination, source });
  if (!a.ok) throw new Error(a.error);
  return a.result;
}

describe('walking an nftables table', () => {
  it('returns from a goto to the chain that jumped, and goes on there', () => {
    const r = trace(
      table([
        { name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: -100 }, rules: [rule('jump a'), rule('meta l4proto tcp dnat to 10.1.0.1:8080')] },
        { name: 'a', rules: [rule('goto b'), rule('drop')] },
        { name: 'b', rules: [rule('return'), rule('drop')] },
      ]),
    );
    expect([r.verdict, r.endpoints.map((e) => e.destination)]).toEqual(['DNAT', ['10.1.0.1:8080']]);
    expect(r.path.map((s) => `${s.chain}#${s.rule} ${s.action}`)).toEqual(['nat-prerouting#1 jump a', 'a#1 goto b', 'b#1 return', 'nat-prerouting#2 DNAT to 10.1.0.1:8080']);
  });

  it('splits by numgen, each way with its share; a draw the map lacks goes on to the next rule', () => {
    const r = trace(
      table([
        { name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: -100 }, rules: [rule('numgen random mod 3 vmap { 0 : goto e1 , 1 : goto e2 }'), rule('drop')] },
        { name: 'e1', rules: [rule('meta l4proto tcp dnat to 10.1.0.1:80')] },
        { name: 'e2', rules: [rule('meta l4proto tcp dnat to 10.1.0.2:80')] },
      ]),
    );
    expect(r.outcomes.map((o) => [o.verdict, o.destination ?? null, Number(o.probability.toFixed(4))])).toEqual([
      ['DNAT', '10.1.0.1:80', 0.3333],
      ['DNAT', '10.1.0.2:80', 0.3333],
      ['DROP', null, 0.3333],
    ]);
  });

  it('looks the packet up in a map by address, protocol and port, and masquerades what is marked', () => {
    const rs = table(
      [
        { name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: -100 }, rules: [rule('ip daddr . meta l4proto . th dport vmap @service-ips')] },
        { name: 'nat-postrouting', base: { type: 'nat', hook: 'postrouting', priority: 100 }, rules: [rule('mark and 0x4000 == 0 return'), rule('masquerade fully-random')] },
        { name: 'svc', rules: [rule('ip saddr != 10.0.0.0/8 mark set mark or 0x4000'), rule('meta l4proto tcp dnat to 10.1.0.1:80')] },
      ],
      [{ name: 'service-ips', kind: 'map', type: 'ipv4_addr . inet_proto . inet_service : verdict', elements: [{ key: ['172.30.0.1', 'tcp', '80'], value: 'goto svc' }] }],
    );
    expect([trace(rs).verdict, trace(rs).masquerade]).toEqual(['DNAT', false]);
    expect([trace(rs, '172.30.0.1:80', '203.0.113.2').verdict, trace(rs, '172.30.0.1:80', '203.0.113.2').masquerade]).toEqual(['DNAT', true]);
    expect(trace(rs, '172.30.0.1:81').verdict).toBe('NONE');
  });
});
