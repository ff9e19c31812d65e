import { describe, expect, it } from 'vitest';
import { readWords } from './nft-rule.js';

const read = (text: string) => readWords(text.split(' '));

describe('readWords: the rules kube-proxy writes in nftables mode', () => {
  it('reads matches, concatenated keys and maps', () => {
    expect(read('ip daddr . meta l4proto . th dport vmap @service-ips')).toEqual({ ok: true, exprs: [{ kind: 'vmap', key: ['ip daddr', 'meta l4proto', 'th dport'], map: { kind: 'named', name: 'service-ips' } }] });
    expect(read('ip daddr 172.30.0.42 ip saddr != 10.0.0.0/8 jump mark-for-masquerade')).toEqual({
      ok: true,
      exprs: [
        { kind: 'match', key: ['ip daddr'], negated: false, value: { kind: 'words', words: ['172.30.0.42'] } },
        { kind: 'match', key: ['ip saddr'], negated: true, value: { kind: 'words', words: ['10.0.0.0/8'] } },
        { kind: 'verdict', verdict: 'jump', chain: 'mark-for-masquerade' },
      ],
    });
    expect(read('ip saddr != { 10.0.0.0/8 , 192.168.0.0/16 } drop')).toEqual({
      ok: true,
      exprs: [
        { kind: 'match', key: ['ip saddr'], negated: true, value: { kind: 'set', items: [['10.0.0.0/8'], ['192.168.0.0/16']] } },
        { kind: 'verdict', verdict: 'drop' },
      ],
    });
    expect(read('ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports').ok).toBe(true);
  });

  it('reads the random split, marks, NAT and affinity', () => {
    expect(read('numgen random mod 2 vmap { 0 : goto endpoint-A , 1 : goto endpoint-B }')).toEqual({
      ok: true,
      exprs: [{ kind: 'numgen', modulus: 2, entries: [{ key: ['0'], verdict: ['goto', 'endpoint-A'] }, { key: ['1'], verdict: ['goto', 'endpoint-B'] }] }],
    });
    expect(read('mark and 0x4000 == 0 return')).toEqual({ ok: true, exprs: [{ kind: 'mark-mask', mask: 0x4000, negated: false, value: 0 }, { kind: 'verdict', verdict: 'return' }] });
    expect(read('mark set mark or 0x4000')).toEqual({ ok: true, exprs: [{ kind: 'mark-set', op: 'or', value: 0x4000 }] });
    expect(read('meta mark set meta mark | 0x00004000')).toEqual({ ok: true, exprs: [{ kind: 'mark-set', op: 'or', value: 0x4000 }] });
    expect(read('meta l4proto tcp dnat to 10.180.0.1:80')).toEqual({
      ok: true,
      exprs: [
        { kind: 'match', key: ['meta l4proto'], negated: false, value: { kind: 'words', words: ['tcp'] } },
        { kind: 'dnat', to: '10.180.0.1:80' },
      ],
    });
    expect(read('masquerade fully-random')).toEqual({ ok: true, exprs: [{ kind: 'masquerade' }] });
    expect(read('update @affinity-X { ip saddr }')).toEqual({ ok: true, exprs: [{ kind: 'update', set: 'affinity-X' }] });
    expect(read('fib saddr type local goto service-X')).toEqual({
      ok: true,
      exprs: [
        { kind: 'match', key: ['fib saddr type'], negated: false, value: { kind: 'words', words: ['local'] } },
        { kind: 'verdict', verdict: 'goto', chain: 'service-X' },
      ],
    });
    expect(read('ct state new jump firewall-check').ok).toBe(true);
    expect(read('counter packets 12 bytes 720 reject with icmp type host-unreachable')).toEqual({ ok: true, exprs: [{ kind: 'counter' }, { kind: 'verdict', verdict: 'reject' }] });
  });

  it('says which word it cannot read', () => {
    expect(read('ip daddr 10.0.0.1 log prefix x')).toEqual({ ok: false, word: 'log', at: 3 });
    expect(read('numgen inc mod 2 vmap { 0 : drop }')).toEqual({ ok: false, word: 'numgen', at: 0 });
  });
});
