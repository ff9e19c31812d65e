import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../input/load-rules.js';
import { explainNftRuleSets } from './nft.js';
import { CONFORMANCE } from '../../../test/support/trace.js';

function nftOf(file: string) {
  const loaded = loadRules([file], { readStdin: () => '', mode: 'nftables' });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.nft;
}

const TRACE = join(CONFORMANCE, 'trace');
const inputs = readdirSync(TRACE)
  .filter((d) => d.startsWith('nftables-') && existsSync(join(TRACE, d, 'input.yaml')))
  .map((d) => join(TRACE, d, 'input.yaml'));

describe('explain in nftables mode', () => {
  it('has a sentence of its own for every line kube-proxy writes, in both languages', () => {
    expect(inputs.length).toBeGreaterThan(20);
    for (const f of inputs) {
      const rs = nftOf(f);
      for (const lang of ['en', 'zh'] as const) {
        const items = explainNftRuleSets(rs, { lang });
        expect(items.length, f).toBeGreaterThan(0);
        const generic = items.filter((i) => /does not write|not one kube-proxy writes|不是 kube-proxy/.test(i.sentence));
        expect(generic.map((i) => i.text), `${f} ${lang}`).toEqual([]);
      }
    }
  });

  it('says what each kind of line does and why', () => {
    const rs = nftOf('examples/cluster');
    const at = (text: string, lang: 'en' | 'zh' = 'en') => explainNftRuleSets(rs, { lang }).find((i) => i.text === text)?.sentence;
    expect(at('add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips')).toBe(
      'The destination address, protocol and port are looked up in @service-ips; a match decides where the packet goes.',
    );
    expect(at('add rule ip kube-proxy mark-for-masquerade mark set mark or 0x00004000')).toBe('Sets the masquerade mark (0x4000): nat postrouting masquerades the packet, so its reply returns through this node.');
    expect(at('add rule ip kube-proxy mark-for-masquerade mark set mark or 0x00004000', 'zh')).toBe('打上地址伪装标记（0x4000）：nat postrouting 会对该包做地址伪装，使回包经由本节点返回。');
    expect(at('add chain ip kube-proxy service-FY5PMXPG-kube-system/kube-dns/udp/dns')).toBe(
      'Service chain of kube-system/kube-dns:dns (udp): marks traffic that needs masquerading and splits new connections among all its usable endpoints.',
    );
    const split = explainNftRuleSets(rs).find((i) => i.chain === 'service-FY5PMXPG-kube-system/kube-dns/udp/dns' && i.text.includes('numgen'));
    expect(split?.sentence).toBe(
      'Picks one of 2 endpoints at random for each new connection, each with 1/2 of them (endpoint-YIAVPHBN-kube-system/kube-dns/udp/dns__10.244.1.7/53, endpoint-X33CZ57A-kube-system/kube-dns/udp/dns__10.244.2.4/53).',
    );
    const element = explainNftRuleSets(rs).find((i) => i.what === 'element' && i.text.includes('service-FY5PMXPG'));
    expect(element?.sentence).toMatch(/^In @service-ips: 10\.96\.0\.10 \. udp \. 53 -> goto service-FY5PMXPG-kube-system\/kube-dns\/udp\/dns \(the service chain of kube-system\/kube-dns:dns \(udp\)\)\.$/);
  });

  it('numbers the lines as rulec compile --mode nftables prints them', () => {
    const items = explainNftRuleSets(nftOf('examples/cluster'));
    expect(items[0]).toMatchObject({ what: 'table', line: 1 });
    expect(items.every((i, n) => n === 0 || (i.line ?? 0) > (items[n - 1]?.line ?? 0))).toBe(true);
  });
});

describe('explain on real nftables listings, newer kube-proxy layouts included', () => {
  it('has a sentence of its own for every rule of the pasted listings', () => {
    const dir = join(import.meta.dirname, '../../../test/fixtures/pasted');
    const listings = readdirSync(dir).filter((f) => f.endsWith('.txt') && readFileSync(join(dir, f), 'utf8').includes('table ip kube-proxy'));
    expect(listings.length).toBeGreaterThanOrEqual(4);
    for (const f of listings) {
      const loaded = loadRules([join(dir, f)], { readStdin: () => '' });
      for (const lang of ['en', 'zh'] as const) {
        const generic = explainNftRuleSets(loaded.nft, { lang }).filter((i) => /does not write|not one kube-proxy writes|不是 kube-proxy/.test(i.sentence));
        expect(generic.map((i) => i.text), `${f} ${lang}`).toEqual([]);
      }
    }
  });
});
