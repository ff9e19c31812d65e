import type { NftChain, NftRuleSet } from '../ast/nft-types.js';
import { emptyRecord } from '../records.js';

/**
 * What a summary shows of an nftables table: its chains with their hook and rule count, its sets
 * and maps with their element count; and the Kubernetes services in a kube-proxy table, in the
 * same shape as those of an iptables nat table.
 */
export interface NftTableSummary {
  chains: Record<string, { rules: number; hook?: string; priority?: number }>;
  sets: Record<string, { kind: 'set' | 'map'; type: string; elements: number }>;
  /** Present when the text holds only part of the table: why. */
  excerpt?: string;
}

export interface NftServiceEndpoint {
  /** The `endpoint-…` chain. */
  chain: string;
  /** The share of the `numgen random mod N` map that goes there (keys / N). */
  probability: number;
  /** The same: with a map, no rule before it takes a part away. */
  share: number;
  /** `dnat to` of the endpoint chain, or null when it has none. */
  destination: string | null;
}

export interface NftServiceSummary {
  /** The `service-…` chain. */
  chain: string;
  /** kube-proxy's nftables rules carry no service comments. */
  comment: null;
  /** The service port the chain name holds (`service-HASH-ns/name/tcp/port` → `ns/name:port`). */
  service: string | null;
  family: 'ipv4' | 'ipv6';
  /** Whether the chain keeps clients on one endpoint (`ip saddr @affinity-…`). */
  affinity: boolean;
  endpoints: NftServiceEndpoint[];
}

export function summarizeNftTable(rs: NftRuleSet): NftTableSummary {
  const chains: NftTableSummary['chains'] = emptyRecord();
  for (const c of rs.chains) chains[c.name] = { rules: c.rules.length, ...(c.base ? { hook: `${c.base.type} ${c.base.hook}`, priority: c.base.priority } : {}) };
  const sets: NftTableSummary['sets'] = emptyRecord();
  for (const s of rs.sets) sets[s.name] = { kind: s.kind, type: s.type, elements: s.elements.length };
  return rs.excerpt === undefined ? { chains, sets } : { chains, sets, excerpt: rs.excerpt };
}

/** The services of a kube-proxy nftables table: every `service-…` chain and where its `numgen` map sends packets. */
export function nftServicesOf(rs: NftRuleSet): NftServiceSummary[] {
  if (rs.family !== 'ip' && rs.family !== 'ip6') return [];
  const family = rs.family === 'ip' ? 'ipv4' : 'ipv6';
  const byName = new Map<string, NftChain>();
  for (const c of rs.chains) byName.set(c.name, c);
  const out: NftServiceSummary[] = [];
  for (const c of rs.chains) {
    const m = /^service-[A-Z0-9]+-([^/]+)\/([^/]+)\/[^/]+\/(.*)$/.exec(c.name);
    if (!m) continue;
    const [, ns, name, port] = m as unknown as [string, string, string, string];
    let affinity = false;
    const endpoints: NftServiceEndpoint[] = [];
    for (const r of c.rules) {
      if (r.words.some((w) => w.startsWith('@affinity-'))) affinity = true;
      const at = r.words.indexOf('numgen');
      if (at < 0 || r.words[at + 1] !== 'random' || r.words[at + 2] !== 'mod') continue;
      const n = Number(r.words[at + 3]);
      if (!Number.isInteger(n) || n <= 0) continue;
      const keys = new Map<string, number>();
      for (const w of r.words) {
        const e = /^\d+ : (?:goto|jump) (\S+)$/.exec(w);
        if (e) keys.set(e[1] as string, (keys.get(e[1] as string) ?? 0) + 1);
      }
      for (const [chain, count] of keys) {
        const share = Math.round((count / n) * 1e10) / 1e10;
        endpoints.push({ chain, probability: share, share, destination: destinationOf(byName.get(chain)) });
      }
    }
    out.push({ chain: c.name, comment: null, service: port === '' ? `${ns}/${name}` : `${ns}/${name}:${port}`, family, affinity, endpoints });
  }
  return out;
}

/** `dnat to X` (also `dnat ip to X`) of the first rule of an endpoint chain that has one. */
function destinationOf(chain: NftChain | undefined): string | null {
  for (const r of chain?.rules ?? []) {
    const at = r.words.indexOf('dnat');
    if (at < 0) continue;
    const to = r.words.indexOf('to', at);
    if (to > 0 && r.words[to + 1] !== undefined) return r.words[to + 1] as string;
  }
  return null;
}
