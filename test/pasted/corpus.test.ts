import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IptablesRuleSet, RuleSet } from '../../src/ast/types.js';
import { loadRules } from '../../src/analysis/input/load-rules.js';
import { relevantRuleSets } from '../../src/analysis/input/relevant.js';
import { explainRuleSets } from '../../src/analysis/explain/explain.js';
import { explainNftRuleSets } from '../../src/analysis/explain/nft.js';
import { summarizeDump } from '../../src/analysis/summary.js';
import { parseDump } from '../../src/grammar/detect.js';
import { detectInputKind } from '../../src/model/input-kind.js';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { lint } from '../../src/lint/runner.js';

/**
 * Real pastes from public issues, questions, blogs and notes (`test/fixtures/pasted/`), each with
 * a sidecar `NAME.json`: where it comes from, and facts about it read off the paste by a person
 * (chains and their rule counts, services, endpoints, the table it leaves unnamed, whether the
 * listing hides things). rulec must read every one without an error, explain it in English and
 * Chinese, and find those facts. A paste that is not valid input (an address redacted as
 * `xx.xx.xx.xx`) says so in `refused`: the exact diagnostics rulec must give.
 */
const DIR = join(import.meta.dirname, '..', 'fixtures', 'pasted');

interface Sidecar {
  /** The page's address, or the address with the page's title and the paste's context. */
  source: string | { url: string; title?: string };
  title?: string;
  kinds: string[];
  refused?: string[];
  /** The faults lint finds in the paste that are true of the node (`line:column severity rule`). */
  lintFindings?: string[];
  expect: {
    format: string;
    tables?: Record<string, Record<string, number>>;
    inferredTable?: string | null;
    services?: (string | { name: string; ports?: { port: number | null }[] })[];
    endpoints?: string[];
    lossy?: boolean;
    sets?: Record<string, { type: string; members: number }>;
    virtualServers?: { service: string; realServers: string[] }[];
    /** Virtual services added by typed `ipvsadm -A` commands in the same paste. */
    typedCommands?: { service: string }[];
    objects?: { kind: string; namespace: string | null; name: string }[];
  };
}

const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.slice(0, -4))
  .sort();

function sidecar(name: string): Sidecar {
  return JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Sidecar;
}

function iptables(ruleSets: readonly RuleSet[]): IptablesRuleSet[] {
  return ruleSets.filter((r): r is IptablesRuleSet => r.kind === 'iptables');
}

describe('the corpus of real pastes', () => {
  it('holds at least 30 pastes, each with its source', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
    for (const n of names) {
      const { source } = sidecar(n);
      expect(typeof source === 'string' ? source : source.url, n).toMatch(/^https?:\/\//);
    }
  });

  for (const name of names) {
    describe(name, () => {
      const meta = sidecar(name);
      const file = join(DIR, `${name}.txt`);
      const text = readFileSync(file, 'utf8');
      const loaded = loadRules([file], { readStdin: () => '', withoutHooks: true });
      const problems = loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic({ ...d, file: name }));

      if (meta.refused !== undefined) {
        it('is refused with a clear diagnostic', () => {
          expect(problems).toEqual(meta.refused);
        });
        return;
      }

      it('is read without an error and explained in English and Chinese', () => {
        expect(problems).toEqual([]);
        const rs = relevantRuleSets(loaded);
        for (const lang of ['en', 'zh'] as const) {
          const items = [...explainRuleSets(rs, { lang }), ...explainNftRuleSets(loaded.nft, { lang })];
          expect(items.length, lang).toBeGreaterThan(0);
          for (const i of items) expect(i.text.trim(), `${lang} ${i.line}`).not.toBe('');
        }
      });

      it('gives no lint error or warning a person would call false', () => {
        const r = lint([{ file: name, text }]);
        const problems = [
          ...r.diagnostics.filter((d) => d.severity !== 'note').map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`),
          ...r.findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.ruleId}`),
        ];
        expect(problems).toEqual(meta.lintFindings ?? []);
      });

      const e = meta.expect;
      if (e.format.startsWith('manifest')) {
        it('is read as manifests, with the Services it holds', () => {
          expect(detectInputKind(text)).toBe('manifests');
          const services = (e.objects ?? []).filter((o) => o.kind === 'Service').map((o) => o.name).sort();
          expect(loaded.cluster?.services.map((s) => s.name).sort()).toEqual(services);
        });
        return;
      }

      const parsed = parseDump(text, name);
      const summary = summarizeDump(parsed);

      if (e.tables !== undefined && e.format !== 'nft') {
        it('has the chains and rule counts of the paste', () => {
          for (const [table, chains] of Object.entries(e.tables ?? {})) {
            for (const [chain, rules] of Object.entries(chains)) {
              if (chain.startsWith('(')) continue;
              // A chain pasted twice (as a listing and as save lines) is in two rule sets.
              // A paste's lines of two tables in one grep are read as one table: then the chain
              // is looked for in any table.
              const counts = (named: boolean): number[] => {
                const out: number[] = [];
                for (const rs of iptables(parsed.ruleSets)) for (const t of rs.tables) if (!named || t.name === table) for (const c of t.chains) if (c.name === chain) out.push(c.rules.length);
                return out;
              };
              const inTable = counts(true);
              expect(Math.max(0, ...(inTable.length > 0 ? inTable : counts(false))), `${table} ${chain}`).toBe(rules);
            }
          }
        });
      }

      if (e.inferredTable !== undefined && e.inferredTable !== null) {
        it(`says it inferred table ${e.inferredTable}`, () => {
          const tables = iptables(parsed.ruleSets).flatMap((r) => r.tables);
          expect(tables.some((t) => t.name === e.inferredTable && t.inferredFrom !== undefined)).toBe(true);
        });
      }

      if (e.services !== undefined && e.services.length > 0 && e.format !== 'nft') {
        it('reads the service names of its comments', () => {
          const comments = iptables(parsed.ruleSets)
            .flatMap((r) => r.tables)
            .flatMap((t) => t.chains)
            .flatMap((c) => c.rules)
            .flatMap((r) => r.args.filter((a) => a.flag === '--comment').map((a) => a.values.join(' ')));
          for (const s of e.services ?? []) {
            const n = typeof s === 'string' ? s : s.name;
            expect(comments.some((c) => c.includes(n)), n).toBe(true);
          }
        });
      }

      if (e.endpoints !== undefined && e.format !== 'nft') {
        it('finds the DNAT destinations', () => {
          const found = new Set<string>();
          for (const rs of iptables(parsed.ruleSets)) {
            for (const t of rs.tables) for (const c of t.chains) for (const r of c.rules) for (const a of r.args) if (a.flag === '--to-destination') found.add(a.values[0] ?? '');
          }
          expect([...found].sort()).toEqual([...new Set(e.endpoints)].sort());
        });
      }

      if (e.lossy !== undefined) {
        it(`is ${e.lossy ? 'lossy' : 'exact'}`, () => {
          expect(summary.fidelity).toBe(e.lossy ? 'lossy' : 'exact');
          if (e.lossy) expect(summary.lossy.length).toBeGreaterThan(0);
        });
      }

      if (e.sets !== undefined) {
        it('has the sets and their members', () => {
          for (const [set, { type, members }] of Object.entries(e.sets ?? {})) {
            expect(summary.ipsets[set]?.type, set).toBe(type);
            expect(summary.ipsets[set]?.members.length, set).toBe(members);
          }
        });
      }

      if (e.format === 'nft') {
        it('has the nftables tables, chains, services and endpoints of the paste', () => {
          const nft = e as unknown as { tables: string[]; kubeProxyChains: number; services: string[]; endpoints: string[] };
          expect(Object.keys(summary.nftables ?? {})).toEqual(nft.tables);
          const kubeProxy = Object.entries(summary.nftables ?? {}).find(([name]) => name.endsWith(' kube-proxy'))?.[1];
          expect(Object.keys(kubeProxy?.chains ?? {}).length).toBe(nft.kubeProxyChains);
          const services = new Set(summary.services.map((x) => (x.service ?? '').replace(/:.*$/, '')));
          for (const svc of nft.services) expect(services.has(svc), svc).toBe(true);
          const destinations = new Set(summary.services.flatMap((x) => x.endpoints.map((ep) => ep.destination)).filter((d): d is string => d !== null));
          expect([...destinations].sort()).toEqual([...new Set(nft.endpoints)].sort());
        });
      }

      if (e.virtualServers !== undefined) {
        it('has the virtual services and their real servers', () => {
          expect(summary.ipvs.length).toBe((e.virtualServers?.length ?? 0) + (e.typedCommands?.length ?? 0));
          const shown = new Set(summary.ipvs.flatMap((v) => v.realServers.map((r) => `${r.address}:${r.port}`)));
          for (const v of e.virtualServers ?? []) for (const r of v.realServers) if (/^[\d.]+:\d+$/.test(r)) expect(shown.has(r), r).toBe(true);
        });
      }
    });
  }
});

describe('faults planted in real excerpts', () => {
  const text = readFileSync(join(DIR, 'k8sdocs-debug-service-hostnames.txt'), 'utf8');
  const found = (t: string) => lint([{ file: 'planted', text: t }]).findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`);

  it('the excerpt as pasted has none', () => {
    expect(found(text)).toEqual([]);
  });

  it('a skewed split is found at its line', () => {
    expect(found(text.replace('--probability 0.50000000000', '--probability 0.90000000000'))).toEqual(['9:99 probability-cascade']);
  });

  it('a rule line written twice in one output is found as a duplicate', () => {
    const lines = text.split('\n');
    lines.splice(2, 0, lines[1] as string);
    expect(found(lines.join('\n'))).toEqual(['3:1 duplicate-rule']);
  });
});
