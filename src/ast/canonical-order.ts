import type { Chain, IptablesRuleSet, Rule, Table } from './types.js';
import { ruleComment } from './rule-view.js';
import { sortIndexRange } from './sort-by-name.js';
import { own } from '../records.js';

/**
 * The canonical order of an iptables rule set: the order kube-proxy's own tests sort dumps into
 * before comparing them, completed so that nothing is left to chance.
 *
 * - tables by name;
 * - chains: KUBE-NODEPORTS, KUBE-SERVICES, the other KUBE-* chains, then all other chains, each
 *   group in byte order;
 * - rules keep their order, except in the chains that collect the rules of many services
 *   (filter KUBE-NODEPORTS, KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-PROXY-FIREWALL; nat
 *   KUBE-NODEPORTS, KUBE-SERVICES): there, rules with a comment are stably sorted by service
 *   name (`ns/name`), service port name and protocol; rules without a comment keep their
 *   place, and nat KUBE-SERVICES' "must be the last rule" jump goes last;
 * - `-X` lines in chain order.
 */
export function canonicalizeIptables(ruleSet: IptablesRuleSet): IptablesRuleSet {
  const tables = [...ruleSet.tables].sort((a, b) => byteCompare(a.name, b.name)).map(canonicalTable);
  return { ...ruleSet, tables };
}

const MULTI_SERVICE_CHAINS: Record<string, readonly string[]> = {
  filter: ['KUBE-NODEPORTS', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-PROXY-FIREWALL'],
  nat: ['KUBE-NODEPORTS', 'KUBE-SERVICES'],
};

/** Whether the canonical order sorts the rules of `chain` by service. */
export function sortsRulesByService(table: string, chain: string): boolean {
  return own(MULTI_SERVICE_CHAINS, table)?.includes(chain) ?? false;
}

function canonicalTable(table: Table): Table {
  const sorted = orderChains(table.chains, (c) => c.name);
  // Those chains are few and have fixed names: look each one up instead of testing every chain.
  for (const name of own(MULTI_SERVICE_CHAINS, table.name) ?? []) {
    const at = sorted.findIndex((c) => c.name === name);
    if (at >= 0) {
      const chain = sorted[at] as Chain;
      sorted[at] = { ...chain, rules: orderServiceRules(table.name, chain.rules, ruleComment, ruleProtocol) };
    }
  }
  const deletedChains = [...table.deletedChains].sort(compareChainNames);
  return { ...table, chains: sorted, deletedChains };
}

/**
 * Chains (or anything named like one) in canonical order; of two with one name, the first one
 * written. No map by name is built: with a hundred thousand chains, its inserts and lookups
 * cost as much as the sort.
 */
export function orderChains<T>(chains: readonly T[], nameOf: (chain: T) => string): T[] {
  const names = chains.map(nameOf);
  const out: T[] = [];
  let previous: string | undefined;
  for (const i of chainOrderOf(names)) {
    const name = names[i] as string;
    if (name === previous) continue;
    previous = name;
    out.push(chains[i] as T);
  }
  return out;
}

/** The indexes of `names` in canonical chain order (stable: equal names in the order given). */
export function chainOrderOf(names: readonly string[]): Int32Array {
  const n = names.length;
  const ranks = new Uint8Array(n);
  const starts = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const r = chainRank(names[i] as string);
    ranks[i] = r;
    (starts[r + 1] as number)++;
  }
  for (let r = 1; r < 5; r++) starts[r] = (starts[r] as number) + (starts[r - 1] as number);
  const next = starts.slice(0, 4);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[(next[ranks[i] as number] as number)++] = i;
  for (let r = 0; r < 4; r++) sortIndexRange(names, order, starts[r] as number, starts[r + 1] as number);
  return order;
}

function chainRank(name: string): number {
  if (name === 'KUBE-NODEPORTS') return 0;
  if (name === 'KUBE-SERVICES') return 1;
  if (name.startsWith('KUBE-')) return 2;
  return 3;
}

export function compareChainNames(a: string, b: string): number {
  return chainRank(a) - chainRank(b) || byteCompare(a, b);
}

export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const LAST_RULE_MARK = 'must be the last rule';

/**
 * The rules of a chain that collects many services' rules, in canonical order: those with a
 * comment stably sorted by service, service port name and protocol in the slots such rules
 * hold; rules without a comment keep their place; in nat, the "must be the last rule" rules go
 * last. `commentOf` gives a rule's first comment, `protocolOf` its `-p` value.
 */
export function orderServiceRules<R>(table: string, rules: readonly R[], commentOf: (r: R) => string | undefined, protocolOf: (r: R) => string | undefined): R[] {
  const isLast = (r: R) => table === 'nat' && (commentOf(r) ?? '').includes(LAST_RULE_MARK);
  const keyed = rules.map((r, i) => ({ r, i, key: serviceSortKey(commentOf(r), protocolOf(r)) }));
  const slots = keyed.filter((k) => k.key !== null && !isLast(k.r));
  const ordered = [...slots].sort((a, b) => compareKeys(a.key ?? [], b.key ?? []) || a.i - b.i);
  const out: R[] = [];
  let next = 0;
  const lasts: R[] = [];
  for (const k of keyed) {
    if (isLast(k.r)) lasts.push(k.r);
    else if (k.key === null) out.push(k.r);
    else out.push((ordered[next++] ?? k).r);
  }
  return [...out, ...lasts];
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = byteCompare(a[i] ?? '', b[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** [service name, service port name, protocol] from a rule's comment, or null without one. */
function serviceSortKey(comment: string | undefined, protocol: string | undefined): string[] | null {
  if (comment === undefined) return null;
  const space = comment.indexOf(' ');
  const portName = space < 0 ? comment : comment.slice(0, space);
  const colon = portName.indexOf(':');
  const service = colon < 0 ? portName : portName.slice(0, colon);
  return [service, portName, protocol ?? ''];
}

function ruleProtocol(r: Rule): string | undefined {
  return r.args.find((a) => a.flag === '-p' || a.flag === '--protocol')?.values[0];
}
