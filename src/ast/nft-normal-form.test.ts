import { describe, expect, it } from 'vitest';
import type { NftRuleSet } from './nft-types.js';
import { nftNormalForm, normalWords } from './nft-normal-form.js';
import { printNft } from './print-nft.js';

describe('nftNormalForm', () => {
  it('shortens hex numbers and sorts anonymous sets, whether written as one word or with commas', () => {
    expect(normalWords(['mark', 'set', 'mark', 'or', '0x00004000'])).toEqual(['mark', 'set', 'mark', 'or', '0x4000']);
    expect(normalWords(['ip', 'daddr', '{', '172.30.0.0/16,10.0.0.0/8', '}', 'drop'])).toEqual(['ip', 'daddr', '{', '10.0.0.0/8 , 172.30.0.0/16', '}', 'drop']);
    expect(normalWords(['ip', 'daddr', '{', '10.0.0.0/8', ',', '172.30.0.0/16', '}', 'drop'])).toEqual(['ip', 'daddr', '{', '10.0.0.0/8 , 172.30.0.0/16', '}', 'drop']);
    expect(normalWords(['vmap', '{', '1 : goto b', ',', '0 : goto a', '}'])).toEqual(['vmap', '{', '0 : goto a , 1 : goto b', '}']);
  });

  it("leaves out positions, handles, counters, a listing's policy accept and size 65535, and sorts", () => {
    const pos = { file: 'f', line: 1, column: 1 };
    const listed: NftRuleSet = {
      kind: 'nft', family: 'ip', table: 't', origin: 'nft', fidelity: 'exact', handle: 1, pos,
      chains: [
        { name: 'z', rules: [{ words: ['counter', 'jump', 'a'], counters: { packets: 1, bytes: 2 }, handle: 3, pos }], handle: 2, pos },
        { name: 'a', base: { type: 'nat', hook: 'output', priority: -100, policy: 'accept' }, rules: [] },
        { name: 'b', base: { type: 'filter', hook: 'input', priority: 0, policy: 'drop' }, rules: [] },
      ],
      sets: [
        { name: 's', kind: 'set', type: 'ipv4_addr', size: 65535, flags: ['dynamic'], elements: [{ key: ['10.0.0.2'], options: ['expires', '3h'], pos }, { key: ['10.0.0.1'] }] },
        { name: 'r', kind: 'set', type: 'ipv4_addr', size: 16, flags: [], elements: [] },
      ],
    };
    expect(nftNormalForm(listed)).toEqual({
      kind: 'nft', family: 'ip', table: 't', origin: 'nft', fidelity: 'exact',
      chains: [
        { name: 'a', base: { type: 'nat', hook: 'output', priority: -100 }, rules: [] },
        { name: 'b', base: { type: 'filter', hook: 'input', priority: 0, policy: 'drop' }, rules: [] },
        { name: 'z', rules: [{ words: ['counter', 'jump', 'a'] }] },
      ],
      sets: [
        { name: 'r', kind: 'set', type: 'ipv4_addr', size: 16, elements: [] },
        { name: 's', kind: 'set', type: 'ipv4_addr', flags: ['dynamic'], elements: [{ key: ['10.0.0.1'] }, { key: ['10.0.0.2'] }] },
      ],
    });
  });

  it('printNft writes what a read table has beyond what kube-proxy writes: a drop policy, a device, a size', () => {
    const rs: NftRuleSet = {
      kind: 'nft', family: 'netdev', table: 'n', origin: 'nft', fidelity: 'exact',
      chains: [
        { name: 'in', base: { type: 'filter', hook: 'ingress', priority: -500, device: 'eth0', policy: 'drop' }, rules: [] },
        { name: 'out', base: { type: 'filter', hook: 'egress', priority: 0, device: 'eth0', policy: 'accept' }, rules: [] },
      ],
      sets: [{ name: 's', kind: 'set', type: 'ipv4_addr', size: 1024, elements: [] }, { name: 'd', kind: 'set', type: 'ipv4_addr', size: 65535, elements: [] }],
    };
    expect(printNft(rs)).toBe(
      [
        'add table netdev n',
        'add chain netdev n in { type filter hook ingress device "eth0" priority -500 ; policy drop ; }',
        'add chain netdev n out { type filter hook egress device "eth0" priority 0 ; }',
        'add set netdev n d { type ipv4_addr ; }',
        'add set netdev n s { type ipv4_addr ; size 1024 ; }',
        '',
      ].join('\n'),
    );
  });
});
