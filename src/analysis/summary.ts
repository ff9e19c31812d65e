import type { Arg, Chain, IptablesRuleSet, IpsetRuleSet, IpvsRuleSet, RealServer, Rule, RuleSet, Table, VirtualService } from '../ast/types.js';
import type { Diagnostic, Severity } from '../diagnostics.js';
import { byteCompare } from '../ast/canonical-order.js';
import { readServiceComment, servicePortNameOfComment, servicePortNameTextOfComment } from '../kube/rule-comments.js';
import { formatServicePortName } from '../kube/service-port-name.js';
import { emptyRecord } from '../records.js';
import { escapeControlsKeepingLines } from '../display-text.js';
import { nftServicesOf, summarizeNftTable, type NftTableSummary } from './nft-summary.js';
import type { NftRuleSet } from '../ast/nft-types.js';
import { jsonNumber, jsonString, writeJson } from '../json-stream.js';

/**
 * What a person wants first from a dump: per table the chains with their policy and rule
 * count; the Kubernetes services in it (each KUBE-SVC chain, its comment, the KUBE-SEP chains
 * it sends packets to, with what probability, to which destination); the IPVS virtual services
 * with their real servers; the ipsets with their members; the diagnostics.
 */
export interface DumpSummary {
  /** The formats read, in order, joined by `+` (e.g. `iptables-save+ipvsadm-list`). */
  format: string;
  sections: { format: string; firstLine: number; lastLine: number }[];
  /** `ipv4`, `ipv6`, `dual` (both), or absent when no iptables rules were read. */
  family?: 'ipv4' | 'ipv6' | 'dual';
  /**
   * Every iptables table. When a name comes back in a second rule set (an ip6tables-save dump
   * after an iptables-save one), that table is listed as `name (ipv6)`, or `name (2)` for the
   * same family.
   */
  tables: Record<string, TableSummary>;
  /**
   * Every nftables table (`ip kube-proxy`, `ip nat`), present only when the text held one: its
   * chains with hook and rule count, its sets and maps with element count. A name seen again is
   * listed as `ip kube-proxy (2)`.
   */
  nftables?: Record<string, NftTableSummary>;
  /** The services of iptables nat tables and of kube-proxy's nftables tables (`service-…` chains). */
  services: ServiceSummary[];
  ipvs: IpvsServiceSummary[];
  ipsets: Record<string, { type: string; members: string[] }>;
  /** `lossy` when some listing hides what the rules hold (names for numbers, dropped matches); `lossy` says what. */
  fidelity: 'exact' | 'lossy';
  /** What the lossy listings hide, one reason each, without repeats (empty when exact). */
  lossy: string[];
  diagnostics: { line: number; column: number; severity: Severity; code: string; message: string }[];
}

export interface TableSummary {
  chains: Record<string, { policy: string; rules: number }>;
  /** Present when the text never named the table: what it was inferred from. */
  inferredFrom?: string;
  /** Present when the text holds only part of the table: why. */
  excerpt?: string;
}

export interface ServiceSummary {
  /** The KUBE-SVC-* (or KUBE-SVL-*, KUBE-XLB-*) chain; in nftables, the `service-…` chain. */
  chain: string;
  /** The comment of the rule that jumps to the chain (e.g. `ns/svc:port cluster IP`). */
  comment: string | null;
  /** The service port the comment names, as kube-proxy writes it today (`ns/svc:port`, `ns/svc`). */
  service: string | null;
  family: 'ipv4' | 'ipv6';
  /** Whether the chain keeps clients on one endpoint (`-m recent`, ClientIP affinity). */
  affinity: boolean;
  endpoints: EndpointSummary[];
}

export interface EndpointSummary {
  /** The KUBE-SEP-* chain. */
  chain: string;
  /** The probability written on the rule (1 for the last rule, which has none); in nftables, the endpoint's share of the `numgen` map. */
  probability: number;
  /** The share of new connections that end here: the written probabilities multiplied out. */
  share: number;
  /** `--to-destination` of the chain's DNAT rule, or null when the chain has none. */
  destination: string | null;
}

/**
 * An IPVS virtual service. What the listing it comes from does not show is null (a scheduler, a
 * port, a forwarding method, a weight), never a made-up value.
 */
export interface IpvsServiceSummary {
  protocol: string;
  /** As printed: a host name when the listing was taken without `-n`. */
  address: string;
  /** Null when the listing shows no number for it (a port name the services table lacks, a cut name). */
  port: number | null;
  /** The port as printed when the listing printed a name (`https`), or the piece of it a cut name kept. */
  portName?: string;
  /** Present when the listing cut the address text at 28 characters. */
  truncated?: true;
  fwmark?: number;
  /** Null when the listing does not show it (`--stats`, `--rate`). */
  scheduler: string | null;
  /** The persistence timeout in seconds, or null when the service is not persistent (or, with no scheduler, not shown). */
  persistence: number | null;
  realServers: IpvsRealServerSummary[];
}

export interface IpvsRealServerSummary {
  address: string;
  port: number | null;
  portName?: string;
  truncated?: true;
  /** Null when the listing does not show it. */
  forward: string | null;
  /** Null when the listing does not show it. */
  weight: number | null;
}

export interface SummaryInput {
  ruleSets: readonly RuleSet[];
  diagnostics: readonly Diagnostic[];
  sections: readonly { format: string; firstLine: number; lastLine: number }[];
}

export function summarizeDump(input: SummaryInput): DumpSummary {
  const { summary, tables } = summarizeWithoutTables(input);
  for (const key of tables.keys) summary.tables[key] = summarizeTable(tables.byKey.get(key) as Table);
  return summary;
}

/** The iptables tables of a summary, in the order `summary.tables` lists them. */
interface SummaryTables {
  keys: string[];
  byKey: Map<string, Table>;
}

/** The summary with `tables` left empty, and the tables that go there. */
function summarizeWithoutTables(input: SummaryInput): { summary: DumpSummary; tables: SummaryTables } {
  const iptables = input.ruleSets.filter((r): r is IptablesRuleSet => r.kind === 'iptables');
  const families = new Set(iptables.map((r) => r.family));
  const summary: DumpSummary = {
    format: input.sections.map((s) => s.format).join('+'),
    sections: input.sections.map((s) => ({ format: s.format, firstLine: s.firstLine, lastLine: s.lastLine })),
    tables: {},
    services: [],
    ipvs: [],
    ipsets: {},
    fidelity: 'exact',
    lossy: [],
    diagnostics: input.diagnostics.map((d) => ({ line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message })),
  };
  if (families.size > 0) summary.family = families.size > 1 ? 'dual' : (iptables[0] as IptablesRuleSet).family;

  // The names the tables are listed under, chosen as if each were set on `summary.tables` in turn.
  const slots: Record<string, unknown> = {};
  const byKey = new Map<string, Table>();
  const firstFamilyOf = new Map<string, string>();
  /** Per table name, the next number to try for a repeat (`nat (3)`): no search from 3 each time. */
  const nextNumber = new Map<string, number>();
  for (const rs of iptables) {
    for (const t of rs.tables) {
      let key = t.name;
      if (slots[key] !== undefined) {
        key = firstFamilyOf.get(t.name) !== rs.family ? `${t.name} (${rs.family})` : `${t.name} (2)`;
        for (let n = nextNumber.get(t.name) ?? 3; slots[key] !== undefined; n++) {
          key = `${t.name} (${n})`;
          nextNumber.set(t.name, n + 1);
        }
      } else {
        firstFamilyOf.set(t.name, rs.family);
      }
      slots[key] = t;
      byKey.set(key, t);
    }
    for (const t of rs.tables) if (t.name === 'nat') for (const svc of servicesOf(t, rs.family)) summary.services.push(svc);
  }
  const nft = input.ruleSets.filter((r): r is NftRuleSet => r.kind === 'nft');
  if (nft.length > 0) {
    const tables: Record<string, NftTableSummary> = emptyRecord();
    for (const rs of nft) {
      let key = `${rs.family} ${rs.table}`;
      for (let n = 2; tables[key] !== undefined; n++) key = `${rs.family} ${rs.table} (${n})`;
      tables[key] = summarizeNftTable(rs);
      for (const svc of nftServicesOf(rs)) summary.services.push(svc);
    }
    summary.nftables = tables;
  }
  summary.services.sort((a, b) => byteCompare(a.comment ?? '', b.comment ?? '') || byteCompare(a.chain, b.chain));

  for (const rs of input.ruleSets) {
    if (rs.fidelity === 'lossy') {
      summary.fidelity = 'lossy';
      for (const why of rs.lossyBecause ?? [`a ${rs.origin} listing`]) if (!summary.lossy.includes(why)) summary.lossy.push(why);
    }
    if (rs.kind === 'ipvs') for (const v of ipvsOf(rs)) summary.ipvs.push(v);
    if (rs.kind === 'ipset') Object.assign(summary.ipsets, ipsetsOf(rs));
  }
  return { summary, tables: { keys: Object.keys(slots), byKey } };
}

/**
 * Writes `JSON.stringify(summarizeDump(input), null, 2)`, piece by piece: the chains of each
 * table straight from the parsed tables and the services from their summaries, without the
 * whole text or a record per chain in memory.
 */
export function writeSummaryJson(input: SummaryInput, write: (s: string) => void): void {
  const { summary, tables } = summarizeWithoutTables(input);
  const top = summary as unknown as Record<string, unknown>;
  let first = true;
  for (const key of Object.keys(top)) {
    const value = top[key];
    if (value === undefined) continue;
    write(first ? `{\n  ${jsonString(key)}: ` : `,\n  ${jsonString(key)}: `);
    first = false;
    if (key === 'tables') writeTablesJson(tables, write);
    else if (key === 'services') writeServicesJson(summary.services, write);
    else writeJson(value, write, 1);
  }
  write(first ? '{}' : '\n}');
}

/** Whether a key is an array index, which `JSON.stringify` lists before the other keys. */
function isIndexKey(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(?:0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295;
}

/** `summary.tables` at depth 1. */
function writeTablesJson(tables: SummaryTables, write: (s: string) => void): void {
  if (tables.keys.length === 0) {
    write('{}');
    return;
  }
  tables.keys.forEach((key, i) => {
    write(i === 0 ? `{\n    ${jsonString(key)}: ` : `,\n    ${jsonString(key)}: `);
    const t = tables.byKey.get(key) as Table;
    // A chain named like a number is listed first by JSON.stringify: such a table goes the long way.
    if (t.chains.some((c) => isIndexKey(c.name))) {
      writeJson(summarizeTable(t), write, 2);
      return;
    }
    write('{\n      "chains": ');
    if (t.chains.length === 0) write('{}');
    else {
      // A chain name seen twice keeps its first place and its last values, as in a record.
      const last = new Map<string, Chain>();
      for (const c of t.chains) last.set(c.name, c);
      let firstChain = true;
      for (const c of t.chains) {
        const l = last.get(c.name) as Chain;
        if (l === undefined) continue;
        last.delete(c.name);
        write(`${firstChain ? '{' : ','}\n        ${jsonString(c.name)}: {\n          "policy": ${jsonString(l.policy)},\n          "rules": ${l.rules.length}\n        }`);
        firstChain = false;
      }
      write('\n      }');
    }
    if (t.inferredFrom !== undefined) write(`,\n      "inferredFrom": ${jsonString(t.inferredFrom)}`);
    if (t.excerpt !== undefined) write(`,\n      "excerpt": ${jsonString(t.excerpt)}`);
    write('\n    }');
  });
  write('\n  }');
}

const SERVICE_KEYS = 'chain,comment,service,family,affinity,endpoints';

/** `summary.services` at depth 1. */
function writeServicesJson(services: readonly ServiceSummary[], write: (s: string) => void): void {
  if (services.length === 0) {
    write('[]');
    return;
  }
  services.forEach((s, i) => {
    if (Object.keys(s).join() !== SERVICE_KEYS) {
      write(i === 0 ? '[\n    ' : ',\n    ');
      writeJson(s, write, 2);
      return;
    }
    const comment = s.comment === null ? 'null' : jsonString(s.comment);
    const service = s.service === null ? 'null' : jsonString(s.service);
    write(
      `${i === 0 ? '[' : ','}\n    {\n      "chain": ${jsonString(s.chain)},\n      "comment": ${comment},\n      "service": ${service},\n      "family": ${jsonString(s.family)},\n      "affinity": ${s.affinity ? 'true' : 'false'},\n      "endpoints": `,
    );
    if (s.endpoints.length === 0) write('[]');
    else {
      s.endpoints.forEach((e, j) => {
        const destination = e.destination === null ? 'null' : jsonString(e.destination);
        write(
          `${j === 0 ? '[' : ','}\n        {\n          "chain": ${jsonString(e.chain)},\n          "probability": ${jsonNumber(e.probability)},\n          "share": ${jsonNumber(e.share)},\n          "destination": ${destination}\n        }`,
        );
      });
      write('\n      ]');
    }
    write('\n    }');
  });
  write('\n  ]');
}

function summarizeTable(t: Table): TableSummary {
  const chains: TableSummary['chains'] = emptyRecord();
  for (const c of t.chains) chains[c.name] = { policy: c.policy, rules: c.rules.length };
  const out: TableSummary = { chains };
  if (t.inferredFrom !== undefined) out.inferredFrom = t.inferredFrom;
  if (t.excerpt !== undefined) out.excerpt = t.excerpt;
  return out;
}

function isServiceChain(name: string): boolean {
  return name.startsWith('KUBE-SVC-') || name.startsWith('KUBE-SVL-') || name.startsWith('KUBE-XLB-');
}

/** The first value of the first argument with this flag (or its long spelling). */
function valueOf(args: readonly Arg[], flag: string, long?: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    if (a.flag === flag || a.flag === long) return a.values[0];
  }
  return undefined;
}


/** Whether a flag names the rule's target (`-j`, `-g`). */
function isTargetFlag(f: string): boolean {
  return f === '-j' || f === '-g' || f === '--jump' || f === '--goto';
}

/** The name of the rule's target: the last `-j`/`-g` written, as `ruleTargetName` reads it. */
function targetOf(args: readonly Arg[]): string | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    const a = args[i] as Arg;
    if (isTargetFlag(a.flag)) return a.values[0];
  }
  return undefined;
}

/** The Kubernetes services of a nat table: every service chain and where it sends packets. */
function servicesOf(t: Table, family: 'ipv4' | 'ipv6'): ServiceSummary[] {
  const byName = new Map<string, Chain>();
  for (const c of t.chains) byName.set(c.name, c);
  // The comment of the first rule that jumps to each service chain: KUBE-SERVICES first.
  const jumpComment = new Map<string, string>();
  const services = byName.get('KUBE-SERVICES');
  const noteJumps = (c: Chain): void => {
    const rules = c.rules;
    for (let i = 0; i < rules.length; i++) {
      const args = (rules[i] as Rule).args;
      const target = targetOf(args);
      if (target === undefined || target.length < 9 || target.charCodeAt(0) !== 75 /* K */ || !isServiceChain(target) || target === c.name || jumpComment.has(target)) continue;
      const comment = valueOf(args, '--comment');
      if (comment !== undefined) jumpComment.set(target, comment);
    }
  };
  if (services) noteJumps(services);
  for (const c of t.chains) noteJumps(c);
  const out: ServiceSummary[] = [];
  for (const c of t.chains) {
    if (!isServiceChain(c.name)) continue;
    let comment = jumpComment.get(c.name) ?? null;
    if (comment === null) {
      for (const r of c.rules) {
        const own = valueOf(r.args, '--comment');
        if (own === undefined) continue;
        // An endpoint rule's comment (`ns/name:port -> IP:port`) names the service by its port name.
        comment = readServiceComment(own)?.role === 'endpoint' ? (servicePortNameTextOfComment(own) ?? own) : own;
        break;
      }
    }
    const endpoints: EndpointSummary[] = [];
    let remaining = 1;
    let affinity = false;
    for (const r of c.rules) {
      // One look at each argument: the target, the affinity check, the probability.
      let target: string | undefined;
      let written: string | undefined;
      let check = false;
      for (const a of r.args) {
        const f = a.flag;
        if (f === '-j' || f === '-g' || f === '--jump' || f === '--goto') target = a.values[0];
        else if (f === '--probability') written = a.values[0];
        else if (f === '--rcheck' || f === '--update') check = true;
      }
      if (target === undefined || !target.startsWith('KUBE-SEP-')) continue;
      if (check) {
        affinity = true;
        continue;
      }
      const probability = written === undefined ? 1 : Number(written);
      const share = remaining * (Number.isFinite(probability) ? probability : 0);
      remaining -= share;
      endpoints.push({ chain: target, probability, share: Math.round(share * 1e10) / 1e10, destination: destinationOf(byName.get(target)) });
    }
    const spn = servicePortNameOfComment(comment);
    out.push({ chain: c.name, comment, service: spn ? formatServicePortName(spn) : null, family, affinity, endpoints });
  }
  return out;
}

/** `--to-destination` of the first DNAT rule of an endpoint chain. */
function destinationOf(sep: Chain | undefined): string | null {
  if (sep === undefined) return null;
  for (const r of sep.rules) {
    const d = valueOf(r.args, '--to-destination');
    if (d !== undefined) return d;
  }
  return null;
}

function ipvsOf(rs: IpvsRuleSet): IpvsServiceSummary[] {
  return rs.services.map((s) => {
    const out: IpvsServiceSummary = {
      protocol: s.protocol,
      address: s.address,
      ...portOf(s),
      scheduler: s.scheduler === '' ? null : s.scheduler,
      persistence: s.persistence ? s.persistence.timeout : null,
      realServers: s.realServers.map((r) => ({ address: r.address, ...portOf(r), forward: r.forward ?? null, weight: r.weight ?? null })),
    };
    if (s.fwmark !== undefined) out.fwmark = s.fwmark;
    return out;
  });
}

/**
 * The port of a virtual service or real server: its number, null when the listing showed a name
 * the services table lacks or cut the text (port 0 with a `portName`); the printed name beside.
 */
function portOf(x: VirtualService | RealServer): { port: number | null; portName?: string; truncated?: true } {
  const out: { port: number | null; portName?: string; truncated?: true } = { port: x.portName !== undefined && x.port === 0 ? null : x.port };
  if (x.portName !== undefined) out.portName = x.portName;
  if (x.truncated) out.truncated = true;
  return out;
}

/** `10.96.0.1:443`, `[fd00::1]:53`, `10.96.0.5:my-port` (a name with no number), `node-b.example.inte…` (cut). */
function addressPortText(x: { address: string; port: number | null; portName?: string; truncated?: true }): string {
  const host = x.address.includes(':') ? `[${x.address}]` : x.address;
  const port = x.port !== null ? `:${x.port}` : x.portName ? `:${x.portName}` : '';
  return `${host}${port}${x.truncated ? '…' : ''}`;
}

function ipsetsOf(rs: IpsetRuleSet): DumpSummary['ipsets'] {
  const out: DumpSummary['ipsets'] = emptyRecord();
  for (const s of rs.sets) out[s.name] = { type: s.type, members: s.members.map((m) => m.value) };
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text

/** A table with more chains than this is shown grouped by chain-name prefix. */
const MAX_LISTED_CHAINS = 40;
/** At most this many services and ipsets are listed one by one. */
const MAX_LISTED = 50;

/** The summary as text for a terminal. */
export function renderSummaryText(s: DumpSummary): string {
  const out: string[] = [];
  const where = s.sections.map((x) => `${x.format} (lines ${x.firstLine}-${x.lastLine})`).join(', ');
  out.push(`format: ${s.format || 'none'}${where ? `  [${where}]` : ''}`);
  if (s.family) out.push(`family: ${s.family}`);
  if (s.fidelity === 'lossy') out.push(`fidelity: lossy: ${s.lossy.join('; ')}`);
  for (const [name, t] of Object.entries(s.tables)) {
    const chains = Object.entries(t.chains);
    const rules = chains.reduce((n, [, c]) => n + c.rules, 0);
    out.push('', `table ${name}: ${plural(chains.length, 'chain')}, ${plural(rules, 'rule')}`);
    if (t.inferredFrom !== undefined) out.push(`  (the text does not name the table: ${name} inferred from ${t.inferredFrom})`);
    if (t.excerpt !== undefined) out.push(`  (an excerpt: ${t.excerpt})`);
    if (chains.length <= MAX_LISTED_CHAINS) {
      const w = Math.max(...chains.map(([n]) => n.length), 5);
      for (const [n, c] of chains) out.push(`  ${n.padEnd(w)}  ${c.policy.padEnd(6)}  ${plural(c.rules, 'rule')}`);
    } else {
      for (const [group, g] of groupChains(chains)) out.push(`  ${group.padEnd(24)}  ${plural(g.chains, 'chain')}, ${plural(g.rules, 'rule')}`);
    }
  }
  for (const [name, t] of Object.entries(s.nftables ?? {})) {
    const chains = Object.entries(t.chains);
    const sets = Object.entries(t.sets);
    const rules = chains.reduce((n, [, c]) => n + c.rules, 0);
    out.push('', `nftables table ${name}: ${plural(chains.length, 'chain')}, ${plural(rules, 'rule')}, ${plural(sets.filter(([, x]) => x.kind === 'set').length, 'set')}, ${plural(sets.filter(([, x]) => x.kind === 'map').length, 'map')}`);
    if (t.inferredFrom !== undefined) out.push(`  (the text does not name the table: ${name} inferred from ${t.inferredFrom})`);
    if (t.excerpt !== undefined) out.push(`  (an excerpt: ${t.excerpt})`);
    if (chains.length <= MAX_LISTED_CHAINS) {
      const w = Math.max(...chains.map(([n]) => n.length), 5);
      for (const [n, c] of chains) out.push(`  ${n.padEnd(w)}  ${(c.hook === undefined ? '' : `${c.hook} ${c.priority ?? ''}`).padEnd(24)}  ${plural(c.rules, 'rule')}`.trimEnd());
    } else {
      for (const [group, g] of groupChains(chains.map(([n, c]) => [n, { policy: '', rules: c.rules }]))) out.push(`  ${group.padEnd(24)}  ${plural(g.chains, 'chain')}, ${plural(g.rules, 'rule')}`);
    }
    if (sets.length > 0) {
      const w = Math.max(...sets.map(([n]) => n.length));
      for (const [n, x] of sets.slice(0, MAX_LISTED)) out.push(`  ${x.kind} ${n.padEnd(w)}  ${plural(x.elements, 'element')}`);
      if (sets.length > MAX_LISTED) out.push(`  ... and ${sets.length - MAX_LISTED} more (--json lists all)`);
    }
  }
  if (s.services.length > 0) {
    out.push('', `services: ${s.services.length}`);
    for (const svc of s.services.slice(0, MAX_LISTED)) {
      out.push(`  ${svc.chain}  ${svc.comment ?? svc.service ?? '(no comment)'}${svc.affinity ? '  [client affinity]' : ''}`);
      if (svc.endpoints.length === 0) out.push('    (no endpoints)');
      for (const e of svc.endpoints) {
        out.push(`    -> ${e.chain}  ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.destination ?? '(no DNAT rule)'}`);
      }
    }
    if (s.services.length > MAX_LISTED) out.push(`  ... and ${s.services.length - MAX_LISTED} more (--json lists all)`);
  }
  if (s.ipvs.length > 0) {
    out.push('', `ipvs: ${plural(s.ipvs.length, 'virtual service')}`);
    for (const v of s.ipvs.slice(0, MAX_LISTED)) {
      const addr = v.fwmark !== undefined ? `fwmark ${v.fwmark}` : addressPortText(v);
      const how = v.scheduler === null ? '(scheduler and persistence not shown)' : `${v.scheduler}${v.persistence !== null ? ` persistent ${v.persistence}` : ''}`;
      out.push(`  ${v.protocol.toUpperCase()} ${addr} ${how}`);
      for (const r of v.realServers) {
        const parts = [`-> ${addressPortText(r)}`];
        if (r.forward !== null) parts.push(r.forward);
        if (r.weight !== null) parts.push(`weight ${r.weight}`);
        const unshown = [r.forward === null ? 'forwarding method' : '', r.weight === null ? 'weight' : ''].filter((w) => w !== '');
        if (unshown.length > 0) parts.push(`(${unshown.join(' and ')} not shown)`);
        out.push(`    ${parts.join('  ')}`);
      }
    }
    if (s.ipvs.length > MAX_LISTED) out.push(`  ... and ${s.ipvs.length - MAX_LISTED} more (--json lists all)`);
  }
  const sets = Object.entries(s.ipsets);
  if (sets.length > 0) {
    out.push('', `ipsets: ${sets.length}`);
    const w = Math.max(...sets.map(([n]) => n.length));
    for (const [name, set] of sets.slice(0, MAX_LISTED)) out.push(`  ${name.padEnd(w)}  ${set.type.padEnd(16)}  ${plural(set.members.length, 'member')}`);
    if (sets.length > MAX_LISTED) out.push(`  ... and ${sets.length - MAX_LISTED} more (--json lists all)`);
  }
  const errors = s.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = s.diagnostics.filter((d) => d.severity === 'warning').length;
  const notes = s.diagnostics.length - errors - warnings;
  const counted = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${notes > 0 ? `, ${plural(notes, 'note')}` : ''}`;
  out.push('', `diagnostics: ${s.diagnostics.length === 0 ? 'none' : counted}`);
  for (const d of s.diagnostics.slice(0, MAX_LISTED)) out.push(`  ${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  if (s.diagnostics.length > MAX_LISTED) out.push(`  ... and ${s.diagnostics.length - MAX_LISTED} more`);
  return escapeControlsKeepingLines(`${out.join('\n')}\n`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Chains grouped by name: built-in chains alone, `KUBE-SEP-*`-style families together. */
function groupChains(chains: [string, { policy: string; rules: number }][]): Map<string, { chains: number; rules: number }> {
  const groups = new Map<string, { chains: number; rules: number }>();
  for (const [name, c] of chains) {
    const m = /^(KUBE-[A-Z]+-|cali-[a-z]+-|[A-Za-z]+-)[A-Z0-9]{8,}$/.exec(name) ?? /^(cali-[a-z]+-)/.exec(name);
    const key = m ? `${m[1]}*` : name;
    const g = groups.get(key) ?? { chains: 0, rules: 0 };
    g.chains++;
    g.rules += c.rules;
    groups.set(key, g);
  }
  return groups;
}
