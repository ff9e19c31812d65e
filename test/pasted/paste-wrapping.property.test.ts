import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IptablesRuleSet, Rule, RuleSet } from '../../src/ast/types.js';
import { printIptablesRestore } from '../../src/ast/print-iptables.js';
import { addHooks, compileIptables, loadCluster } from '../../src/compiler/index.js';
import { parseDump } from '../../src/grammar/detect.js';
import { clusterArb, toObjects, yamlStream } from '../support/generated-cluster.js';

/**
 * What a person does to a dump on its way into a paste — a prompt and the command before it, a
 * prompt after it, a Markdown fence around it, a web page's non-breaking spaces and indentation,
 * Windows line ends, spaces at the ends of lines — changes nothing rulec reads from it. And a dump cut into
 * `iptables-save | grep CHAIN` outputs gives each grepped chain its rules unchanged.
 */

/** A generated cluster's rules as a node's iptables-save prints them (with kube-proxy's jumps). */
const dumpArb = clusterArb.map((c) => {
  const loaded = loadCluster(['-'], {}, () => yamlStream(toObjects(c)));
  return printIptablesRestore(addHooks(compileIptables(loaded.cluster, loaded.settings)));
});

/** The AST without positions: what the rules are, not where they were written. */
function withoutPositions(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, value: unknown) => (key === 'pos' || key === 'column' ? undefined : value)));
}

const PROMPTS = ['[root@k8s-node01 ~]# iptables-save', 'root@node-1:~# sudo iptables-save', '$ sudo iptables-save', '/ # iptables-save', 'controlplane $ kubectl exec -n kube-system kube-proxy-x -- iptables-save', '# iptables-save'];
const AFTER = ['[root@k8s-node01 ~]#', 'root@node-1:~#', '$', '/ #', 'controlplane $'];

const wrapArb = fc.record({
  prompt: fc.option(fc.constantFrom(...PROMPTS), { nil: undefined }),
  after: fc.option(fc.constantFrom(...AFTER), { nil: undefined }),
  fence: fc.boolean(),
  nbsp: fc.double({ min: 0, max: 1, noNaN: true }),
  crlf: fc.boolean(),
  trailing: fc.boolean(),
  indent: fc.constantFrom('', '    ', '\t'),
  seed: fc.integer(),
});

type Wrap = typeof wrapArb extends fc.Arbitrary<infer T> ? T : never;

function wrap(dump: string, w: Wrap): string {
  let n = w.seed;
  const random = (): number => {
    n = (Math.imul(n ^ (n >>> 15), 2246822507) + 0x6d2b79f5) | 0;
    return ((n >>> 0) % 1000) / 1000;
  };
  let lines = dump.replace(/\n$/, '').split('\n');
  // A web page turns some spaces into U+00A0, those between words and inside comments alike.
  lines = lines.map((l) => l.replace(/ /g, (s) => (random() < w.nbsp ? '\u00a0' : s)));
  if (w.trailing) lines = lines.map((l) => (random() < 0.3 ? `${l}   ` : l));
  // A blog's code block or a list item indents every line alike.
  lines = lines.map((l) => w.indent + l);
  if (w.prompt !== undefined) lines.unshift(w.prompt);
  if (w.fence) lines = ['```', ...lines, '```'];
  if (w.after !== undefined) lines.push(w.after);
  return `${lines.join(w.crlf ? '\r\n' : '\n')}${w.crlf ? '\r\n' : '\n'}`;
}

describe('a dump wrapped as people paste it', () => {
  it('reads to the same rules as the dump itself, without an error or a warning', () => {
    fc.assert(
      fc.property(dumpArb, wrapArb, (dump, w) => {
        const plain = parseDump(dump, 'dump');
        const pasted = parseDump(wrap(dump, w), 'paste');
        expect(pasted.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
        expect(withoutPositions(pasted.ruleSets)).toEqual(withoutPositions(plain.ruleSets));
      }),
      { numRuns: 60 },
    );
  });
});

/** The lines `grep NAME` keeps of a dump. */
function grep(lines: readonly string[], name: string): string[] {
  return lines.filter((l) => l.includes(name));
}

function rulesOf(ruleSets: readonly RuleSet[], table: string, chain: string): Rule[] {
  const out: Rule[] = [];
  for (const rs of ruleSets) {
    if (rs.kind !== 'iptables') continue;
    for (const t of (rs as IptablesRuleSet).tables) if (t.name === table) for (const c of t.chains) if (c.name === chain) out.push(...c.rules);
  }
  return out;
}

describe('a dump cut into grep excerpts', () => {
  it('gives each grepped chain its rules unchanged, in one inferred table', () => {
    fc.assert(
      fc.property(dumpArb, fc.integer(), fc.boolean(), (dump, seed, prompts) => {
        const whole = parseDump(dump, 'dump');
        const nat = (whole.ruleSets[0] as IptablesRuleSet).tables.find((t) => t.name === 'nat');
        if (nat === undefined) return;
        // The nat table's lines, as `iptables-save -t nat` prints them.
        const all = dump.split('\n');
        const start = all.indexOf('*nat');
        const natLines = all.slice(start + 1, all.indexOf('COMMIT', start));
        const services = nat.chains.filter((c) => /^KUBE-(SVC|SEP|EXT|SVL|FW)-/.test(c.name));
        if (services.length === 0) return;
        // Some of kube-proxy's per-service chains, in some order, grepped one after another.
        const picked = [...services].sort((a, b) => ((a.name.charCodeAt(9) * 31 + seed) % 7) - ((b.name.charCodeAt(9) * 31 + seed) % 7)).slice(0, 1 + (Math.abs(seed) % services.length));
        const paste: string[] = [];
        for (const c of picked) {
          if (prompts) paste.push(`[root@node ~]# iptables-save -t nat | grep ${c.name}`);
          paste.push(...grep(natLines, c.name));
        }
        const parsed = parseDump(`${paste.join('\n')}\n`, 'excerpt');
        expect(parsed.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning')).toEqual([]);
        const tables = parsed.ruleSets.flatMap((r) => (r as IptablesRuleSet).tables);
        expect(tables.map((t) => t.name)).toEqual(['nat']);
        expect(tables[0]?.excerpt).toBeDefined();
        for (const c of picked) {
          expect(withoutPositions(rulesOf(parsed.ruleSets, 'nat', c.name)), c.name).toEqual(withoutPositions(c.rules));
        }
      }),
      { numRuns: 60 },
    );
  });
});
