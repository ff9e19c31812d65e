import type { NftChain, NftRuleSet } from '../ast/nft-types.js';
import { emptyRecord } from '../records.js';
import { nftServicePortName, readNftChainName } from '../kube/nft-chain-names.js';
import { readNftRule } from '../ast/nft-rule.js';

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
  /** Present when the text does not name the table: what it was inferred from. */
  inferredFrom?: string;
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
  return { chains, sets, ...(rs.excerpt === undefined ? {} : { excerpt: rs.excerpt }), ...(rs.inferredFrom === undefined ? {} : { inferredFrom: rs.inferredFrom }) };
}

/** The services of a kube-proxy nftables table: every `service-…` chain and where its `numgen` map sends packets. */
export function nftServicesOf(rs: NftRuleSet): NftServiceSummary[] {
  if (rs.family !== 'ip' && rs.family !== 'ip6') return [];
  const family = rs.family === 'ip' ? 'ipv4' : 'ipv6';
  const byName = new Map<string, NftChain>();
  for (const c of rs.chains) byName.set(c.name, c);
  const out: NftServiceSummary[] = [];
  for (const c of rs.chains) {
    const n = readNftChainName(c.name);
    if (n?.kind !== 'service') continue;
    let affinity = false;
    const endpoints: NftServiceEndpoint[] = [];
    for (const r of c.rules) {
      const read = readNftRule(r);
      if (!read.ok) continue;
      for (const e of read.exprs) {
        if (e.kind === 'match' && e.value.kind === 'named' && e.value.name.startsWith('affinity-')) affinity = true;
        if (e.kind === 'update' && e.set.startsWith('affinity-')) affinity = true;
        // A split among endpoint chains, or (newer kube-proxy) straight among endpoint addresses.
        const shares = new Map<string, { count: number; destination: string | null }>();
        if (e.kind === 'numgen') {
          for (const x of e.entries) {
            const chain = x.verdict[1];
            if (chain === undefined) continue;
            const had = shares.get(chain);
            shares.set(chain, { count: (had?.count ?? 0) + 1, destination: destinationOf(byName.get(chain)) });
          }
        } else if (e.kind === 'dnat-split') {
          for (const t of e.targets) shares.set(t.to, { count: (shares.get(t.to)?.count ?? 0) + 1, destination: t.to });
        } else continue;
        const n = e.modulus;
        for (const [chain, { count, destination }] of shares) {
          const share = Math.round((count / n) * 1e10) / 1e10;
          endpoints.push({ chain: e.kind === 'numgen' ? chain : c.name, probability: share, share, destination });
        }
      }
    }
    out.push({ chain: c.name, comment: null, service: nftServicePortName(n), family, affinity, endpoints });
  }
  return out;
}

/** `dnat to X` of the first rule of an endpoint chain that has one. */
function destinationOf(chain: NftChain | undefined): string | null {
  for (const r of chain?.rules ?? []) {
    const read = readNftRule(r);
    if (!read.ok) continue;
    for (const e of read.exprs) if (e.kind === 'dnat') return e.to;
  }
  return null;
}
