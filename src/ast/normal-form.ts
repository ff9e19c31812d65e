import { builtinChains, placeRule, savedRuleTexts } from './print-as-saved.js';
import { viewRule, type MatchView, type RuleView } from './rule-view.js';
import type { Arg, Chain, IpFamily, IptablesRuleSet, Rule } from './types.js';
import { readPortMatch } from './xtables/tcpudp.js';
import { parseProtocol } from './xtables/values.js';
import { emptyRecord } from '../records.js';

/**
 * A normal form for comparing iptables rules, so that what kube-proxy (or a person) writes and
 * what `iptables-save` prints back after loading it compare equal.
 *
 * A rule's normal form is its saved form (see `print-as-saved.ts`: built-in options first, in
 * iptables-save's order; `/32` and `/128` added and host bits cleared; the probability as the
 * kernel keeps it; `--set-xmark` for every MARK spelling; `0x4000` for `0x00004000`; comments
 * unquoted and re-quoted one way; `--ctstate` lists in kernel order; port names as numbers;
 * nf_tables' folding of tcp/udp matches), printed as one line, after a few rewrites that change
 * the spelling but not the meaning:
 *
 * - `-m state --state S` is `-m conntrack --ctstate S`;
 * - `-m multiport --dports P` (or `--sports`) with a single port or range is
 *   `-m tcp --dport P` (udp, sctp) for the rule's protocol;
 * - a tcp/udp/sctp match that restricts nothing (`-m tcp -p tcp`, `--dport 0:65535`) adds
 *   nothing to `-p tcp` and is dropped.
 *
 * Match order otherwise stays as written (it is significant for matches with side effects:
 * recent, statistic, limit, nfacct). A rule set's normal form lists tables → chains → rule keys;
 * deleted chains are gone, `-I` rules are at their place, and built-in chains that are empty
 * with policy ACCEPT (what iptables-save prints for every table it shows) are left out, so a
 * restore text that does not declare them equals the dump that does.
 */

export interface NormalChain {
  policy: string;
  rules: string[];
}

export interface NormalTable {
  chains: Record<string, NormalChain>;
}

export interface NormalRuleSet {
  family: IpFamily;
  tables: Record<string, NormalTable>;
}

const PROTOCOL_MODULES: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };

/** The canonical key of one rule (several lines when `-s`/`-d` list several addresses). */
export function normalRule(rule: Rule, family: IpFamily): string {
  return normalRuleLines(rule, family).join('\n');
}

function normalRuleLines(rule: Rule, family: IpFamily): string[] {
  const texts = savedRuleTexts({ args: rewrite(viewRule(rule)) }, family, { backend: 'nft' });
  return texts.map((t) => t.trimStart());
}

/** Rebuilds a rule's arguments from its view, with the rewrites of the normal form. */
function rewrite(view: RuleView): Arg[] {
  const args: Arg[] = [];
  for (const v of [view.protocol, view.source, view.destination, view.inInterface, view.outInterface]) if (v) args.push(v.arg);
  if (view.fragment) args.push(view.fragment.arg);
  const protocol = view.protocol && !view.protocol.negated ? parseProtocol(view.protocol.value) : undefined;
  const protoModule = protocol === undefined ? undefined : PROTOCOL_MODULES[protocol];
  for (const m of view.matches) {
    const r = rewriteMatch(m, protoModule);
    if (!r) continue;
    args.push({ flag: '-m', negated: false, values: [r.module] }, ...r.options);
  }
  args.push(...view.stray);
  if (view.target) args.push(view.target.arg, ...view.target.options);
  return args;
}

function rewriteMatch(m: MatchView, protoModule: string | undefined): { module: string; options: Arg[] } | undefined {
  if (m.module === 'state') {
    return { module: 'conntrack', options: m.options.map((o) => (o.flag === '--state' ? { ...o, flag: '--ctstate' } : o)) };
  }
  if (m.module === 'multiport' && protoModule && m.options.length === 1) {
    const o = m.options[0] as Arg;
    const single = o.values.length === 1 && !(o.values[0] as string).includes(',');
    const flag = ['--dports', '--destination-ports'].includes(o.flag) ? '--dport' : ['--sports', '--source-ports'].includes(o.flag) ? '--sport' : undefined;
    if (single && flag) return { module: protoModule, options: [{ ...o, flag }] };
  }
  if (m.module === protoModule && matchesEverything(m)) return undefined;
  return { module: m.module, options: m.options };
}

/** A tcp/udp/sctp match that restricts nothing (no options, or only full port ranges). */
function matchesEverything(m: MatchView): boolean {
  if (m.options.length === 0) return true;
  if (m.module !== 'tcp' && m.module !== 'udp') return false;
  const info = readPortMatch(m.module, m.options);
  if (!info) return false;
  const full = (r: readonly [number, number]): boolean => r[0] === 0 && r[1] === 0xffff;
  return full(info.sport) && full(info.dport) && info.flagMask === 0 && !info.invFlags && info.option === 0 && !info.invOption;
}

/** Whether two rules mean the same in the normal form. */
export function rulesEqual(a: Rule, b: Rule, family: IpFamily): boolean {
  return normalRule(a, family) === normalRule(b, family);
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function sortedRecord<T>(entries: Array<[string, T]>): Record<string, T> {
  const out: Record<string, T> = emptyRecord();
  for (const [k, v] of entries.sort(([a], [b]) => byteCompare(a, b))) out[k] = v;
  return out;
}

function normalChain(chain: Chain, family: IpFamily): NormalChain {
  const rules: string[] = [];
  for (const rule of chain.rules) placeRule(rules, rule, normalRuleLines(rule, family));
  const policy = chain.policy === 'ACCEPT' || chain.policy === 'DROP' ? chain.policy : '-';
  return { policy, rules };
}

/** The normal form of a whole rule set: tables → chains → rule keys, keys in byte order. */
export function normalRuleSet(ruleSet: IptablesRuleSet): NormalRuleSet {
  const tables: Array<[string, NormalTable]> = [];
  for (const table of ruleSet.tables) {
    const builtins = builtinChains(table.name);
    const deleted = new Set(table.deletedChains);
    const chains: Array<[string, NormalChain]> = [];
    for (const chain of table.chains) {
      const isBuiltin = builtins.includes(chain.name);
      if (deleted.has(chain.name) && !isBuiltin) continue;
      const c = normalChain(chain, ruleSet.family);
      if (isBuiltin) {
        if (c.policy === '-') c.policy = 'ACCEPT';
        if (c.policy === 'ACCEPT' && c.rules.length === 0) continue;
      }
      chains.push([chain.name, c]);
    }
    const existing = tables.find(([n]) => n === table.name);
    if (existing) {
      for (const [name, c] of chains) existing[1].chains[name] = c;
      existing[1].chains = sortedRecord(Object.entries(existing[1].chains));
    } else if (chains.length > 0) tables.push([table.name, { chains: sortedRecord(chains) }]);
  }
  return { family: ruleSet.family, tables: sortedRecord(tables) };
}

/** A difference between two normal forms, `expected` (a) against `actual` (b). */
export interface NormalDifference {
  table: string;
  chain?: string;
  kind: 'missing-table' | 'extra-table' | 'missing-chain' | 'extra-chain' | 'policy' | 'rules';
  /** For `rules`: the rules only in a, only in b, and whether the same rules are just in another order. */
  missing?: string[];
  extra?: string[];
  orderOnly?: boolean;
  expected?: string;
  actual?: string;
}

/** The differences between two normal forms (empty when they are equal). */
export function diffNormalRuleSets(a: NormalRuleSet, b: NormalRuleSet): NormalDifference[] {
  const out: NormalDifference[] = [];
  const names = [...new Set([...Object.keys(a.tables), ...Object.keys(b.tables)])].sort(byteCompare);
  for (const t of names) {
    const ta = a.tables[t];
    const tb = b.tables[t];
    if (!ta) {
      out.push({ table: t, kind: 'extra-table' });
      continue;
    }
    if (!tb) {
      out.push({ table: t, kind: 'missing-table' });
      continue;
    }
    const chains = [...new Set([...Object.keys(ta.chains), ...Object.keys(tb.chains)])].sort(byteCompare);
    for (const c of chains) {
      const ca = ta.chains[c];
      const cb = tb.chains[c];
      if (!ca) out.push({ table: t, chain: c, kind: 'extra-chain' });
      else if (!cb) out.push({ table: t, chain: c, kind: 'missing-chain' });
      else {
        if (ca.policy !== cb.policy) out.push({ table: t, chain: c, kind: 'policy', expected: ca.policy, actual: cb.policy });
        if (ca.rules.join('\n') !== cb.rules.join('\n')) {
          const missing = ca.rules.filter((r) => !cb.rules.includes(r));
          const extra = cb.rules.filter((r) => !ca.rules.includes(r));
          const orderOnly = missing.length === 0 && extra.length === 0 && [...ca.rules].sort().join('\n') === [...cb.rules].sort().join('\n');
          out.push({ table: t, chain: c, kind: 'rules', missing, extra, orderOnly });
        }
      }
    }
  }
  return out;
}

/** Whether two rule sets are equal in normal form. */
export function ruleSetsEqual(a: IptablesRuleSet, b: IptablesRuleSet): boolean {
  return a.family === b.family && diffNormalRuleSets(normalRuleSet(a), normalRuleSet(b)).length === 0;
}

/** The normal form as text (`*table`, `:chain policy`, `-A chain rule`), for messages and tests. */
export function printNormalRuleSet(n: NormalRuleSet): string {
  const out: string[] = [];
  for (const [t, table] of Object.entries(n.tables)) {
    out.push(`*${t}`);
    for (const [c, chain] of Object.entries(table.chains)) out.push(`:${c} ${chain.policy}`);
    for (const [c, chain] of Object.entries(table.chains)) for (const r of chain.rules) out.push(`-A ${c}${r ? ` ${r}` : ''}`);
    out.push('COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
