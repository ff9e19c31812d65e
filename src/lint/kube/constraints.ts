import type { IpFamily } from '../../ast/types.js';
import { canonicalMatchOption, canonicalTargetOption, type RuleView } from '../../ast/rule-view.js';
import { parsePortRange, parseProtocol, type Net } from '../../ast/xtables/values.js';
import { netContains, netOf, netsDisjoint } from './rule-facts.js';

/**
 * A rule's matches as a conjunction of constraints, so two rules of a chain can be compared:
 * rule A matches every packet rule B matches when each constraint of A is implied by one of B.
 * Addresses (CIDR containment), protocols, interfaces (`eth+` wildcards) and tcp/udp/sctp port
 * ranges are understood; any other option is kept as its exact text and only implied by the
 * same text. Comments are not constraints.
 */

export type Constraint =
  | { kind: 'net'; field: 'source' | 'destination'; net: Net; negated: boolean }
  | { kind: 'proto'; num: number; negated: boolean }
  | { kind: 'iface'; field: 'in' | 'out'; name: string; negated: boolean }
  | { kind: 'port'; field: 'sport' | 'dport'; range: [number, number]; negated: boolean }
  | { kind: 'exact'; key: string };

export interface RuleConstraints {
  list: Constraint[];
  /** The rule's match depends on chance or on state (statistic, limit, recent…). */
  chancy: boolean;
  /** The non-negated single-host destination, for indexing. */
  hostDestination?: string;
  /** Whether there is any non-negated destination constraint. */
  hasDestination: boolean;
}

/** Matches whose result is not a function of the packet alone. */
const CHANCY = new Set(['statistic', 'limit', 'hashlimit', 'quota', 'quota2', 'nth', 'recent', 'connlimit', 'connbytes', 'random']);

const PORT_MODULES = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite']);

export function constraintsOf(view: RuleView, family: IpFamily): RuleConstraints {
  const list: Constraint[] = [];
  let chancy = false;
  const exact = (key: string) => list.push({ kind: 'exact', key });
  if (view.protocol) {
    const num = parseProtocol(view.protocol.value);
    if (num === undefined) exact(`-p ${view.protocol.negated ? '!' : ''}${view.protocol.value}`);
    else if (num !== 0 || view.protocol.negated) list.push({ kind: 'proto', num, negated: view.protocol.negated });
  }
  for (const field of ['source', 'destination'] as const) {
    const v = view[field];
    if (!v) continue;
    const net = netOf(v.value, family);
    if (!net) exact(`${field} ${v.negated ? '!' : ''}${v.value}`);
    else if (net.mask !== 0n || v.negated) list.push({ kind: 'net', field, net, negated: v.negated });
  }
  if (view.inInterface) list.push({ kind: 'iface', field: 'in', name: view.inInterface.value, negated: view.inInterface.negated });
  if (view.outInterface) list.push({ kind: 'iface', field: 'out', name: view.outInterface.value, negated: view.outInterface.negated });
  if (view.fragment) exact(`-f ${view.fragment.negated ? '!' : ''}`);
  for (const m of view.matches) {
    if (m.module === 'comment') continue;
    if (CHANCY.has(m.module)) chancy = true;
    for (const o of m.options) {
      const flag = canonicalMatchOption(m.module, o.flag) ?? o.flag;
      if (PORT_MODULES.has(m.module) && (flag === '--dport' || flag === '--sport')) {
        const range = parsePortRange(o.values[0] ?? '', m.module);
        if (range) {
          list.push({ kind: 'port', field: flag === '--dport' ? 'dport' : 'sport', range, negated: o.negated });
          continue;
        }
      }
      exact(`${m.module} ${o.negated ? '!' : ''}${flag} ${o.values.join(' ')}`);
    }
  }
  for (const o of view.stray) exact(`stray ${o.negated ? '!' : ''}${o.flag} ${o.values.join(' ')}`);

  let hostDestination: string | undefined;
  let hasDestination = false;
  for (const c of list) {
    if (c.kind !== 'net' || c.field !== 'destination' || c.negated) continue;
    hasDestination = true;
    const all = c.net.family === 'ipv4' ? 0xffffffffn : (1n << 128n) - 1n;
    if (c.net.mask === all) hostDestination = `${c.net.family}:${c.net.addr}`;
  }
  const out: RuleConstraints = { list, chancy, hasDestination };
  if (hostDestination !== undefined) out.hostDestination = hostDestination;
  return out;
}

/** Whether every packet that satisfies all of `b` satisfies all of `a`. */
export function covers(a: RuleConstraints, b: RuleConstraints): boolean {
  return a.list.every((ca) => b.list.some((cb) => implies(cb, ca)));
}

/** Whether constraint `b` (on a packet) guarantees constraint `a`. */
function implies(b: Constraint, a: Constraint): boolean {
  switch (a.kind) {
    case 'exact':
      return b.kind === 'exact' && b.key === a.key;
    case 'proto':
      if (b.kind !== 'proto') return false;
      if (!a.negated) return !b.negated && b.num === a.num;
      return b.negated ? b.num === a.num : b.num !== a.num;
    case 'net':
      if (b.kind !== 'net' || b.field !== a.field) return false;
      if (!a.negated) return !b.negated && netContains(a.net, b.net);
      return b.negated ? netContains(b.net, a.net) : netsDisjoint(a.net, b.net);
    case 'iface':
      if (b.kind !== 'iface' || b.field !== a.field) return false;
      if (!a.negated) return !b.negated && ifaceCovers(a.name, b.name);
      return b.negated ? ifaceCovers(b.name, a.name) : !ifaceMayMatch(a.name, b.name);
    case 'port':
      if (b.kind !== 'port' || b.field !== a.field) return false;
      if (!a.negated) return !b.negated && a.range[0] <= b.range[0] && b.range[1] <= a.range[1];
      return b.negated ? b.range[0] <= a.range[0] && a.range[1] <= b.range[1] : b.range[1] < a.range[0] || b.range[0] > a.range[1];
  }
}

/** Whether interface pattern `outer` (`eth+` = any name starting `eth`) matches every name `inner` matches. */
function ifaceCovers(outer: string, inner: string): boolean {
  if (outer.endsWith('+')) {
    const p = outer.slice(0, -1);
    return inner.endsWith('+') ? inner.slice(0, -1).startsWith(p) : inner.startsWith(p);
  }
  return outer === inner;
}

/** Whether patterns `a` and a concrete-or-pattern `b` can match the same interface. */
function ifaceMayMatch(a: string, b: string): boolean {
  const pa = a.endsWith('+') ? a.slice(0, -1) : null;
  const pb = b.endsWith('+') ? b.slice(0, -1) : null;
  if (pa !== null && pb !== null) return pa.startsWith(pb) || pb.startsWith(pa);
  if (pa !== null) return b.startsWith(pa);
  if (pb !== null) return a.startsWith(pb);
  return a === b;
}

/**
 * A key equal for two rules that match the same packets the same way and do the same (the
 * comment aside): built-ins, matches and target with their options in canonical spelling.
 */
export function ruleKey(view: RuleView, family: IpFamily): string {
  const parts: string[] = [];
  const c = constraintsOf(view, family);
  for (const x of c.list) {
    switch (x.kind) {
      case 'exact':
        parts.push(x.key);
        break;
      case 'proto':
        parts.push(`p${x.negated ? '!' : ''}${x.num}`);
        break;
      case 'net':
        parts.push(`${x.field}${x.negated ? '!' : ''}${x.net.addr}/${x.net.mask}`);
        break;
      case 'iface':
        parts.push(`${x.field}${x.negated ? '!' : ''}${x.name}`);
        break;
      case 'port':
        parts.push(`${x.field}${x.negated ? '!' : ''}${x.range[0]}:${x.range[1]}`);
        break;
    }
  }
  parts.sort();
  const t = view.target;
  if (t) {
    const opts = t.options.map((o) => `${o.negated ? '!' : ''}${canonicalTargetOption(t.name, o.flag) ?? o.flag} ${o.values.join(' ')}`);
    parts.push(`=> ${t.kind} ${t.name} ${opts.join(' ')}`);
  } else parts.push('=> none');
  return parts.join('\n');
}
