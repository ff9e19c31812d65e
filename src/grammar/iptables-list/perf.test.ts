import { describe, expect, it } from 'vitest';
import type { IptablesRuleSet } from '../../ast/types.js';
import { lexMatchText } from './match-lexer.js';
import { parseMatchText } from './match-text.js';
import { parseIptablesList } from './parse.js';

/**
 * Speed: a kube-proxy nat listing (`-n -v --line-numbers`) of 100,000 rule rows must parse in
 * well under two seconds, in time linear in its size. The figures are printed; the bounds are
 * loose enough for a busy CI machine and tight enough to catch a quadratic slip. (About 1 s wall
 * and CPU on a loaded 2-CPU machine.)
 */
function kubeListing(rows: number): string {
  const header = 'num   pkts bytes target     prot opt in     out     source               destination         ';
  const services: string[] = ['Chain KUBE-SERVICES (2 references)', header];
  const chains: string[] = [];
  let n = 0;
  for (let s = 1; n < rows; s++) {
    const ip = `10.96.${(s >> 8) & 255}.${s & 255}`;
    const svc = `KUBE-SVC-${s.toString(36).toUpperCase().padStart(16, '0')}`;
    const sep = (k: number): string => `KUBE-SEP-${(s * 3 + k).toString(36).toUpperCase().padStart(16, '0')}`;
    services.push(`${s}  ${s % 7}K  ${s % 90}M ${svc}  6    --  *      *       0.0.0.0/0            ${ip.padEnd(20)} /* ns${s}/web:http cluster IP */ tcp dpt:80`);
    chains.push(
      `Chain ${svc} (1 references)`,
      header,
      `1        0     0 KUBE-MARK-MASQ  6    --  *      *      !10.244.0.0/16        ${ip.padEnd(20)} /* ns${s}/web:http cluster IP */ tcp dpt:80`,
      `2      100  6000 ${sep(0)}  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* ns${s}/web:http -> 10.244.1.5:8080 */ statistic mode random probability 0.50000000000`,
      `3      100  6000 ${sep(1)}  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* ns${s}/web:http -> 10.244.2.6:8080 */`,
      '',
      `Chain ${sep(0)} (1 references)`,
      header,
      `1        0     0 KUBE-MARK-MASQ  0    --  *      *       10.244.1.5           0.0.0.0/0            /* ns${s}/web:http */`,
      `2      100  6000 DNAT       6    --  *      *       0.0.0.0/0            0.0.0.0/0            /* ns${s}/web:http */ tcp to:10.244.1.5:8080`,
      '',
    );
    n += 6;
  }
  return ['$ iptables -t nat -L -n -v --line-numbers', ...services, '', ...chains].join('\n');
}

function cpuMs(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

describe('speed', () => {
  it('parses 100,000 rows well under two seconds, linearly', () => {
    const big = kubeListing(100_000);
    const small = kubeListing(25_000);
    parseIptablesList(small, 'warm-up');
    let rules = 0;
    const t0 = performance.now();
    const bigCpu = cpuMs(() => {
      const r = parseIptablesList(big, 'big');
      expect(r.diagnostics).toEqual([]);
      rules = (r.ruleSets[0] as IptablesRuleSet).tables[0]?.chains.reduce((k, c) => k + c.rules.length, 0) ?? 0;
    });
    const wall = performance.now() - t0;
    const smallCpu = cpuMs(() => parseIptablesList(small, 'small'));
    console.log(`iptables-list: ${rules} rows, ${(big.length / 1e6).toFixed(1)} MB: ${wall.toFixed(0)} ms wall, ${bigCpu.toFixed(0)} ms CPU; 25% of it: ${smallCpu.toFixed(0)} ms CPU`);
    expect(rules).toBe(100_002);
    // CPU time, not wall time: the test runs beside others on a shared machine.
    expect(bigCpu).toBeLessThan(4000);
    expect(bigCpu / Math.max(smallCpu, 1)).toBeLessThan(8);
  });

  it('reads match text faster on the fast paths than with the chevrotain lexer and grammar alone', () => {
    const texts = kubeListing(60_000)
      .split('\n')
      .map((l) => l.slice(l.indexOf('/*')))
      .filter((l) => l.startsWith('/*'));
    const grammarOnly = cpuMs(() => {
      for (const t of texts) parseMatchText(t, 'DNAT', { tokens: lexMatchText(t).tokens, path: 'grammar' });
    });
    const fast = cpuMs(() => {
      for (const t of texts) parseMatchText(t, 'DNAT');
    });
    console.log(`match text of ${texts.length} rows: chevrotain lexer + grammar ${grammarOnly.toFixed(0)} ms CPU, fast paths ${fast.toFixed(0)} ms CPU`);
    expect(fast).toBeLessThan(grammarOnly);
  });
});
