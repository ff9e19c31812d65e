import type { IpFamily, IpsetRuleSet, IptablesRuleSet, IpvsRuleSet, RuleSet, Table } from '../../ast/types.js';
import { diffNormalRuleSets, normalRuleSet, type NormalDifference, type NormalRuleSet } from '../../ast/normal-form.js';
import { serviceModel, type ServicePortState } from './service-model.js';
import { nftServiceModel } from '../../ast/nft-service-model.js';
import { frontendText, readFrontend } from '../../ast/service-port-state.js';
import { diffIpsets, diffIpvs, type IpsetChange, type VirtualServiceChange } from './ipvs-diff.js';
import { escapeControlsKeepingLines } from '../../display-text.js';

/** A change of one field of a service port: what is only in B (`added`) and only in A (`removed`). */
export interface FieldChange {
  field: 'frontends' | 'endpoints' | 'localEndpoints' | 'policies';
  added: string[];
  removed: string[];
}

export interface ServiceChange {
  family: IpFamily;
  service: string;
  protocol: string;
  changes: FieldChange[];
}

/** A rule-level difference in a chain the service model does not cover (A = expected, B = actual). */
export interface RuleDifference extends NormalDifference {
  family: IpFamily;
}

/** The semantic difference of two rule sets: A (e.g. manifests) against B (e.g. a node's dump). */
export interface DiffResult {
  equal: boolean;
  services: {
    added: (ServicePortState & { family: IpFamily })[];
    removed: (ServicePortState & { family: IpFamily })[];
    changed: ServiceChange[];
  };
  rules: RuleDifference[];
  ipvs: VirtualServiceChange[];
  ipsets: IpsetChange[];
  /** What was not compared (a family only one side has). */
  notes: string[];
  /** One line per difference, e.g. `ns/web:http gains endpoint 10.0.0.7:8080` (non-TCP ports say `(udp)`). */
  summary: string[];
}

/** The iptables rules of one family as one rule set (several dumps of a family are merged). */
function byFamily(sets: readonly RuleSet[]): Map<IpFamily, IptablesRuleSet> {
  const out = new Map<IpFamily, IptablesRuleSet>();
  for (const rs of sets) {
    if (rs.kind !== 'iptables') continue;
    const prev = out.get(rs.family);
    if (!prev) {
      out.set(rs.family, rs);
      continue;
    }
    const tables: Table[] = [...prev.tables];
    for (const t of rs.tables) {
      const i = tables.findIndex((x) => x.name === t.name);
      if (i < 0) tables.push(t);
      else {
        const existing = tables[i] as Table;
        tables[i] = { ...existing, chains: [...existing.chains, ...t.chains.filter((c) => !existing.chains.some((e) => e.name === c.name))] };
      }
    }
    out.set(rs.family, { ...prev, tables });
  }
  return out;
}

/** kube-proxy's nftables tables of each family, as service models (the first table of a family). */
function nftByFamily(sets: readonly RuleSet[]): Map<IpFamily, { services: Map<string, ServicePortState>; kind: string }> {
  const out = new Map<IpFamily, { services: Map<string, ServicePortState>; kind: string }>();
  for (const rs of sets) {
    if (rs.kind !== 'nft' || (rs.family !== 'ip' && rs.family !== 'ip6') || rs.table !== 'kube-proxy') continue;
    const family: IpFamily = rs.family === 'ip6' ? 'ipv6' : 'ipv4';
    if (!out.has(family)) out.set(family, { services: nftServiceModel(rs), kind: 'nftables' });
  }
  return out;
}

/** The service states reduced to what iptables and nftables rules both say. */
function comparable(services: ReadonlyMap<string, ServicePortState>): Map<string, ServicePortState> {
  const out = new Map<string, ServicePortState>();
  for (const [key, s] of services) {
    const frontends = [...new Set(s.frontends.flatMap((f) => comparableFrontend(f) ?? []))].sort();
    out.set(key, { ...s, frontends, policies: [] });
  }
  return out;
}

/** A frontend as both modes can say it: external and load-balancer IPs are one kind; no health checks. */
function comparableFrontend(text: string): string | undefined {
  const f = readFrontend(text);
  if (!f) return text;
  if (f.kind === 'health check node port') return undefined;
  return f.kind === 'external IP' || f.kind === 'load balancer IP' ? frontendText('external or load balancer IP', f.where) : text;
}

const FIELD_WORDS: Record<FieldChange['field'], [string, string, string]> = {
  frontends: ['gains', 'loses', ''],
  endpoints: ['gains endpoint', 'loses endpoint', ''],
  localEndpoints: ['gains local endpoint', 'loses local endpoint', ''],
  policies: ['now has', 'no longer has', ''],
};

function setDiff(a: readonly string[], b: readonly string[]): { added: string[]; removed: string[] } {
  return { added: b.filter((x) => !a.includes(x)), removed: a.filter((x) => !b.includes(x)) };
}

/**
 * What a diff compares of one side, read out of its rule sets: the service models and the rules
 * they leave over (in normal form) per family, kube-proxy's nftables tables as service models, the
 * IPVS and ipset rule sets. It holds no more of the AST than those, so that one side of a diff of
 * two large dumps can be read and let go before the other is read.
 */
export interface DiffSide {
  iptables: Map<IpFamily, { services: Map<string, ServicePortState>; leftover: () => NormalRuleSet }>;
  nft: Map<IpFamily, { services: Map<string, ServicePortState>; kind: string }>;
  ipvs: IpvsRuleSet[];
  ipsets: IpsetRuleSet[];
}

/** Reads one side of a diff (see `DiffSide`). */
export function diffSide(sets: readonly RuleSet[]): DiffSide {
  const iptables: DiffSide['iptables'] = new Map();
  for (const [family, rs] of byFamily(sets)) {
    const model = serviceModel(rs);
    const leftover = model.leftover;
    let normal: NormalRuleSet | undefined;
    iptables.set(family, { services: model.services, leftover: () => (normal ??= normalRuleSet(leftover)) });
  }
  return {
    iptables,
    nft: nftByFamily(sets),
    ipvs: sets.filter((r): r is IpvsRuleSet => r.kind === 'ipvs'),
    ipsets: sets.filter((r): r is IpsetRuleSet => r.kind === 'ipset'),
  };
}

/** Compares A with B: services, ports and endpoints; other chains rule by rule; IPVS and ipsets. */
export function diffRuleSets(a: readonly RuleSet[], b: readonly RuleSet[]): DiffResult {
  return diffSides(diffSide(a), diffSide(b));
}

/** Compares two sides read with `diffSide`. */
export function diffSides(a: DiffSide, b: DiffSide): DiffResult {
  const result: DiffResult = { equal: true, services: { added: [], removed: [], changed: [] }, rules: [], ipvs: [], ipsets: [], notes: [], summary: [] };
  const na = a.nft;
  const nb = b.nft;
  for (const family of ['ipv4', 'ipv6'] as const) {
    const familyName = family === 'ipv4' ? 'IPv4' : 'IPv6';
    const modelA = a.iptables.get(family);
    const modelB = b.iptables.get(family);
    const sa = modelA ? { services: modelA.services, kind: 'iptables' } : na.get(family);
    const sb = modelB ? { services: modelB.services, kind: 'iptables' } : nb.get(family);
    if (!sa && !sb) continue;
    if (!sa || !sb) {
      result.notes.push(`${familyName} ${(sa ?? sb)?.kind} rules are only in ${sa ? 'A' : 'B'}; not compared`);
      continue;
    }
    // An iptables side and an nftables side are compared by what both say: the frontends (external
    // and load balancer IPs alike) and the endpoints.
    const across = sa.kind !== sb.kind;
    if (across) result.notes.push(`${familyName}: ${sa.kind} rules in A, ${sb.kind} rules in B: services are compared by their addresses, ports and endpoints; policies and other rules are not`);
    const ma = { services: across ? comparable(sa.services) : sa.services };
    const mb = { services: across ? comparable(sb.services) : sb.services };
    const tag = family === 'ipv6' ? ' (IPv6)' : '';
    const label = (x: ServicePortState) => `${x.name}${x.protocol === 'tcp' ? '' : ` (${x.protocol})`}${tag}`;
    for (const [key, s] of ma.services) {
      const other = mb.services.get(key);
      if (!other) {
        result.services.removed.push({ ...s, family });
        result.summary.push(`${label(s)} is only in A (removed)`);
        continue;
      }
      const changes: FieldChange[] = [];
      for (const field of ['frontends', 'endpoints', 'localEndpoints', 'policies'] as const) {
        const d = setDiff(s[field], other[field]);
        if (d.added.length || d.removed.length) {
          changes.push({ field, ...d });
          const [gain, lose] = FIELD_WORDS[field];
          for (const x of d.added) result.summary.push(`${label(s)} ${gain} ${x}`);
          for (const x of d.removed) result.summary.push(`${label(s)} ${lose} ${x}`);
        }
      }
      if (changes.length) result.services.changed.push({ family, service: s.name, protocol: s.protocol, changes });
    }
    for (const [key, s] of mb.services) {
      if (ma.services.has(key)) continue;
      result.services.added.push({ ...s, family });
      result.summary.push(`${label(s)} is only in B (added)`);
    }
    if (modelA && modelB) {
      for (const d of diffNormalRuleSets(modelA.leftover(), modelB.leftover())) {
        result.rules.push({ family, ...d });
        result.summary.push(...ruleSummary(d, tag));
      }
    }
  }
  const ipvsA = a.ipvs;
  const ipvsB = b.ipvs;
  if (ipvsA.length && ipvsB.length) {
    result.ipvs = diffIpvs(ipvsA, ipvsB);
    for (const c of result.ipvs) result.summary.push(c.summary);
  } else if (ipvsA.length || ipvsB.length) result.notes.push(`IPVS services are only in ${ipvsA.length ? 'A' : 'B'}; not compared`);
  const setsA = a.ipsets;
  const setsB = b.ipsets;
  if (setsA.length && setsB.length) {
    result.ipsets = diffIpsets(setsA, setsB);
    for (const c of result.ipsets) result.summary.push(c.summary);
  } else if (setsA.length || setsB.length) result.notes.push(`ipsets are only in ${setsA.length ? 'A' : 'B'}; not compared`);
  result.equal = result.summary.length === 0;
  return result;
}

function ruleSummary(d: NormalDifference, tag: string): string[] {
  const where = `${d.table}${d.chain ? ` ${d.chain}` : ''}${tag}`;
  switch (d.kind) {
    case 'missing-table':
      return [`table ${d.table}${tag} is only in A`];
    case 'extra-table':
      return [`table ${d.table}${tag} is only in B`];
    case 'missing-chain':
      return [`chain ${where} is only in A`];
    case 'extra-chain':
      return [`chain ${where} is only in B`];
    case 'policy':
      return [`chain ${where}: policy ${d.expected} in A, ${d.actual} in B`];
    case 'rules': {
      if (d.orderOnly) return [`chain ${where}: the same rules in another order`];
      return [...(d.missing ?? []).map((r) => `chain ${where}: rule only in A: -A ${d.chain} ${r}`), ...(d.extra ?? []).map((r) => `chain ${where}: rule only in B: -A ${d.chain} ${r}`)];
    }
  }
}

/** The difference for a terminal: one line per difference, or that there is none. */
export function formatDiffText(r: DiffResult): string {
  const lines = r.equal ? ['no difference'] : r.summary;
  for (const n of r.notes) lines.push(`note: ${n}`);
  return escapeControlsKeepingLines(`${lines.join('\n')}\n`);
}
