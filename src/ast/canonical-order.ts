import type { Chain, IptablesRuleSet, Rule, Table } from './types.js';
import { ruleComment } from './rule-view.js';

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

function canonicalTable(table: Table): Table {
  const sorted = sortChains(table.chains);
  // Those chains are few and have fixed names: look each one up instead of testing every chain.
  for (const name of MULTI_SERVICE_CHAINS[table.name] ?? []) {
    const at = sorted.findIndex((c) => c.name === name);
    if (at >= 0) sorted[at] = sortServiceRules(table.name, sorted[at] as Chain);
  }
  const deletedChains = [...table.deletedChains].sort(compareChainNames);
  return { ...table, chains: sorted, deletedChains };
}

/**
 * Chains in canonical order; of two chains with one name, the first one written. Per-service
 * chain names are hashes, so a large cluster has a hundred thousand of them in random order:
 * each rank group is sorted by name (UTF-16 code unit order, which is byte order for chain
 * names) with a stable sort, which leaves chains of one name next to each other in the order
 * written. No map by name is built: with that many chains, its inserts and lookups cost as
 * much as the sort.
 */
function sortChains(chains: readonly Chain[]): Chain[] {
  const groups: Chain[][] = [[], [], [], []];
  for (const c of chains) groups[chainRank(c.name)]?.push(c);
  const out: Chain[] = [];
  for (const g of groups) {
    g.sort(byChainName);
    let previous: string | undefined;
    for (const c of g) {
      if (c.name === previous) continue;
      previous = c.name;
      out.push(c);
    }
  }
  return out;
}

function byChainName(a: Chain, b: Chain): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
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

function sortServiceRules(table: string, chain: Chain): Chain {
  const keyed = chain.rules.map((r, i) => ({ r, i, key: serviceSortKey(r) }));
  const slots = keyed.filter((k) => k.key !== null && !(table === 'nat' && isLastRule(k.r)));
  const ordered = [...slots].sort((a, b) => compareKeys(a.key ?? [], b.key ?? []) || a.i - b.i);
  const rules: Rule[] = [];
  let next = 0;
  const lasts: Rule[] = [];
  for (const k of keyed) {
    if (table === 'nat' && isLastRule(k.r)) lasts.push(k.r);
    else if (k.key === null) rules.push(k.r);
    else rules.push((ordered[next++] ?? k).r);
  }
  return { ...chain, rules: [...rules, ...lasts] };
}

function isLastRule(r: Rule): boolean {
  return (ruleComment(r) ?? '').includes(LAST_RULE_MARK);
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = byteCompare(a[i] ?? '', b[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** [service name, service port name, protocol] from the rule's comment, or null without one. */
function serviceSortKey(r: Rule): string[] | null {
  const comment = ruleComment(r);
  if (comment === undefined) return null;
  const space = comment.indexOf(' ');
  const portName = space < 0 ? comment : comment.slice(0, space);
  const colon = portName.indexOf(':');
  const service = colon < 0 ? portName : portName.slice(0, colon);
  const proto = r.args.find((a) => a.flag === '-p' || a.flag === '--protocol')?.values[0] ?? '';
  return [service, portName, proto];
}

