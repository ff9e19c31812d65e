import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canRunKernel, inNamespace, NFACCT_COUNTERS } from '../../../test/support/kernel.js';
import { vectors } from '../../../test/support/vectors.js';
import { diffNormalRuleSets, normalRuleSet } from '../../ast/normal-form.js';
import type { IptablesRuleSet } from '../../ast/types.js';
import { parseIptablesSave } from '../iptables-save/parse.js';
import { parseIptablesList } from './parse.js';

/**
 * Listings printed by the real iptables: rule sets are loaded in a private network namespace,
 * listed with `-L` in several forms and dumped with iptables-save; the parsed listings must
 * describe the same rules as the parsed dump.
 */
const SOURCES = join(import.meta.dirname, '../../../test/fixtures/dumps/list/sources');
const MARK = '=====';
const kernel = canRunKernel('iptables-nft-restore', 'iptables-nft', 'ip6tables-nft-restore', 'ip6tables-nft', 'ipset');

interface Listed {
  save: string;
  /** `-L` options → listing text (each table's command line, then its listing). */
  listings: Map<string, string>;
}

const VARIANTS = ['-n -v --line-numbers', '-n -v -x', '-n -v', '-n', '-v', ''];

function loadAndList(family: 'ipv4' | 'ipv6', restore: string, tables: string[], setup = ''): Listed {
  const bin = family === 'ipv6' ? 'ip6tables-nft' : 'iptables-nft';
  const nfacct = NFACCT_COUNTERS.map((c) => `nfacct add ${c} >/dev/null 2>&1;`).join(' ');
  const lists = VARIANTS.map(
    (v) => `echo '${MARK}${v}'; ${tables.map((t) => `echo '# ${bin} -t ${t} -L ${v}'; ${bin} -t ${t} -L ${v};`).join(' ')}`,
  ).join(' ');
  const r = inNamespace(`${nfacct} ${setup} ${bin}-restore -c || exit 1; ${bin}-save; ${lists}`, restore);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const [save = '', ...parts] = r.stdout.split(MARK);
  return { save, listings: new Map(parts.map((p) => [p.slice(0, p.indexOf('\n')), p.slice(p.indexOf('\n') + 1)])) };
}

function tablesOf(restore: string): string[] {
  return [...restore.matchAll(/^\*(\w+)$/gm)].map((m) => m[1] ?? '');
}

/** Checks every listing of a loaded rule set against its iptables-save dump. */
function check(name: string, l: Listed): void {
  const saved = parseIptablesSave(l.save, `${name}.save`);
  expect(saved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const savedRs = saved.ruleSets[0] as IptablesRuleSet;
  const counts = (rs: IptablesRuleSet): string[] =>
    rs.tables.map((t) => `${t.name} ${t.chains.length} ${t.chains.reduce((n, c) => n + c.rules.length, 0)}`).sort();
  for (const [variant, text] of l.listings) {
    const r = parseIptablesList(text, `${name} -L ${variant}`);
    expect(r.diagnostics, variant).toEqual([]);
    expect(r.ruleSets, variant).toHaveLength(1);
    const rs = r.ruleSets[0] as IptablesRuleSet;
    expect(rs.family).toBe(savedRs.family);
    expect(counts(rs), variant).toEqual(counts(savedRs));
    // -n -v listings are exact; without -v the interfaces are unknown; and a listing called
    // exact (names it could turn back into numbers, or none) holds the rules of the dump.
    if (variant.startsWith('-n -v')) expect(rs.fidelity, variant).toBe('exact');
    if (!variant.includes('-v')) expect(rs.lossyBecause, variant).toContain('no interfaces shown (no -v): in/out matches are unknown');
    if (rs.fidelity === 'exact') expect(diffNormalRuleSets(normalRuleSet(savedRs), normalRuleSet(rs)), variant).toEqual([]);
    else expect(rs.lossyBecause?.length, variant).toBeGreaterThan(0);
  }
}

describe.skipIf(!kernel)('listings printed by the real iptables (nf_tables) in a private namespace', () => {
  const sources: [string, 'ipv4' | 'ipv6', string][] = [
    ['kube-nat', 'ipv4', ''],
    ['filter-docker-calico', 'ipv4', 'ipset create cali40all-hosts-net hash:net;'],
    ['flannel-docker-nat', 'ipv4', ''],
    ['kube-nat6', 'ipv6', ''],
    ['extensions', 'ipv4', 'ipset create s1 hash:ip,port;'],
  ];
  for (const [name, family, setup] of sources) {
    it(`${name}.restore: every -L form describes the rules iptables-save prints`, () => {
      const restore = readFileSync(join(SOURCES, `${name}.restore`), 'utf8');
      check(name, loadAndList(family, restore, tablesOf(restore), setup));
    });
  }

  for (const v of vectors('iptables')) {
    for (const [ext, family] of [['iptables', 'ipv4'], ['ip6tables', 'ipv6']] as const) {
      const file = v.expected[ext];
      if (file === undefined) continue;
      it(`conformance ${v.name} (${ext}): every -L form describes the rules iptables-save prints`, () => {
        const restore = readFileSync(file, 'utf8');
        check(v.name, loadAndList(family, restore, tablesOf(restore)));
      });
    }
  }
});
