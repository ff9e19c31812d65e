import type { NftChain, NftElement, NftRule, NftRuleSet, NftSet } from '../../ast/nft-types.js';
import { readNftRule, type NftExpr } from '../../ast/nft-rule.js';
import { KUBE_PROXY_NFT, nftServicePortName, readNftChainName, type NftChainName } from '../../kube/nft-chain-names.js';

/**
 * What each chain and rule of kube-proxy's nftables table is, read from its name and its words:
 * the kinds `explain` has a sentence for in nftables mode.
 */
export type NftChainRole =
  | { role: 'base'; name: string; hook: string; type: string; priority: number }
  | { role: 'helper'; name: string }
  | { role: 'service' | 'external' | 'local' | 'firewall'; spn: string }
  | { role: 'endpoint'; spn: string; endpoint: string }
  | { role: 'other'; name: string }
  /** A chain kube-proxy (iptables or IPVS mode) or kubelet writes with iptables, in a table iptables-nft manages. */
  | { role: 'iptables'; name: string };

/**
 * Whose a table is: kube-proxy's nftables table; one iptables-nft manages (rules written with
 * iptables by kube-proxy's iptables and IPVS modes, kubelet, CNI plugins: `ip nat`, `ip filter`,
 * or any table with KUBE- chains); or another program's (flannel, Cilium, …).
 */
export type NftTableKind = 'kube-proxy' | 'iptables-nft' | 'other';

const IPTABLES_TABLES: ReadonlySet<string> = new Set(['nat', 'filter', 'mangle', 'raw', 'security']);

export function tableKind(rs: NftRuleSet): NftTableKind {
  if (rs.table === KUBE_PROXY_NFT.table) return 'kube-proxy';
  if (IPTABLES_TABLES.has(rs.table) || rs.chains.some((c) => c.name.startsWith('KUBE-'))) return 'iptables-nft';
  return 'other';
}

/** `ns/name:port (proto)` of a per-service chain. */
function spnOf(n: NftChainName): string {
  return `${nftServicePortName(n)} (${n.protocol})`;
}

export function chainRole(chain: NftChain): NftChainRole {
  if (chain.base) return { role: 'base', name: chain.name, hook: chain.base.hook, type: chain.base.type, priority: chain.base.priority };
  const n = readNftChainName(chain.name);
  if (n?.kind === 'endpoint') return { role: 'endpoint', spn: spnOf(n), endpoint: n.endpoint ?? '' };
  if (n) return { role: n.kind, spn: spnOf(n) };
  if (HELPERS.has(chain.name)) return { role: 'helper', name: chain.name };
  if (chain.name.startsWith('KUBE-')) return { role: 'iptables', name: chain.name };
  return { role: 'other', name: chain.name };
}

const HELPERS: ReadonlySet<string> = new Set([
  'services',
  'masquerading',
  'mark-for-masquerade',
  'service-endpoints-check',
  'nodeport-endpoints-check',
  'cluster-ips-check',
  'firewall-check',
  'reject-chain',
]);

/** The kinds of rule kube-proxy writes in nftables mode, with what the sentence needs. */
export type NftRuleKind =
  | { kind: 'to-chain'; how: 'jump' | 'goto'; chain: string; newOnly: boolean; role: NftChainRole | undefined }
  | { kind: 'lookup'; map: string; by: 'address' | 'nodeport' }
  | { kind: 'masquerade-mark'; ip: string | null; outside: string | null; from: 'any' | 'endpoint' | 'node' }
  | { kind: 'set-mark'; value: string }
  | { kind: 'unmarked-return'; value: string }
  | { kind: 'clear-mark'; value: string }
  | { kind: 'masquerade' }
  | { kind: 'masquerade-marked'; value: string }
  | { kind: 'hairpin-masquerade'; set: string }
  | { kind: 'reject-wrong-port'; set: string }
  | { kind: 'drop-unallocated'; cidrs: string[] }
  | { kind: 'reject' }
  | { kind: 'split'; endpoints: string[] }
  | { kind: 'dnat'; to: string }
  | { kind: 'affinity-update'; set: string }
  | { kind: 'affinity-hit'; set: string; chain: string }
  | { kind: 'pods-to-service'; cidr: string; chain: string }
  | { kind: 'node-to-service'; chain: string }
  | { kind: 'source-ranges'; ranges: string[] }
  | { kind: 'other'; words: string };

export function ruleKind(rs: NftRuleSet, rule: NftRule): NftRuleKind {
  const other: NftRuleKind = { kind: 'other', words: rule.words.join(' ') };
  const read = readNftRule(rule);
  if (!read.ok) return other;
  const x = read.exprs;
  const [a, b, c] = x;
  const chainOf = (name: string) => chainsOf(rs).get(name);
  const isNew = (e: NftExpr | undefined) => e?.kind === 'match' && e.key[0] === 'ct state' && e.value.kind === 'words' && e.value.words[0] === 'new';
  const verdictTo = (e: NftExpr | undefined) => (e?.kind === 'verdict' && (e.verdict === 'jump' || e.verdict === 'goto') && e.chain !== undefined ? e : undefined);
  const words = (e: NftExpr | undefined): string[] => (e?.kind === 'match' ? (e.value.kind === 'words' ? e.value.words : e.value.kind === 'set' ? e.value.items.map((i) => i.join(' . ')) : [`@${e.value.name}`]) : []);
  const isIp = (e: NftExpr | undefined, which: 'saddr' | 'daddr') => e?.kind === 'match' && e.key.length === 1 && (e.key[0] === `ip ${which}` || e.key[0] === `ip6 ${which}`);

  // A jump to mark-for-masquerade, in every form kube-proxy writes it.
  const last = x[x.length - 1];
  const to = verdictTo(last);
  if (to?.chain === 'mark-for-masquerade') {
    if (x.length === 1) return { kind: 'masquerade-mark', ip: null, outside: null, from: 'any' };
    if (x.length === 2 && isIp(a, 'saddr') && a?.kind === 'match' && !a.negated) return { kind: 'masquerade-mark', ip: words(a)[0] ?? null, outside: null, from: 'endpoint' };
    if (x.length === 2 && a?.kind === 'match' && a.key[0] === 'fib saddr type') return { kind: 'masquerade-mark', ip: null, outside: null, from: 'node' };
    if (isIp(a, 'daddr')) {
      const outside = x.length === 3 && isIp(b, 'saddr') && b?.kind === 'match' && b.negated ? (words(b)[0] ?? null) : null;
      return { kind: 'masquerade-mark', ip: words(a)[0] ?? null, outside, from: 'any' };
    }
  }
  if (x.length === 1 && to) return { kind: 'to-chain', how: to.verdict as 'jump' | 'goto', chain: to.chain as string, newOnly: false, role: roleOf(chainOf(to.chain as string)) };
  if (x.length === 2 && isNew(a) && to) return { kind: 'to-chain', how: to.verdict as 'jump' | 'goto', chain: to.chain as string, newOnly: true, role: roleOf(chainOf(to.chain as string)) };
  if (last?.kind === 'vmap' && last.map.kind === 'named') {
    const byNodePort = x.length === 2 && isIp(a, 'daddr');
    return { kind: 'lookup', map: last.map.name, by: byNodePort ? 'nodeport' : 'address' };
  }
  if (x.length === 1 && a?.kind === 'mark-set') return a.op === 'xor' ? { kind: 'clear-mark', value: hex(a.value) } : { kind: 'set-mark', value: hex(a.value) };
  if (x.length === 2 && a?.kind === 'mark-mask' && b?.kind === 'verdict' && b.verdict === 'return') return { kind: 'unmarked-return', value: hex(a.mask) };
  if (x.length === 1 && a?.kind === 'masquerade') return { kind: 'masquerade' };
  if (x.length === 1 && a?.kind === 'verdict' && a.verdict === 'reject') return { kind: 'reject' };
  if (x.length === 2 && isIp(a, 'daddr') && a?.kind === 'match' && a.value.kind === 'named' && b?.kind === 'verdict' && b.verdict === 'reject') return { kind: 'reject-wrong-port', set: a.value.name };
  if (x.length === 2 && isIp(a, 'daddr') && a?.kind === 'match' && a.value.kind === 'set' && b?.kind === 'verdict' && b.verdict === 'drop') return { kind: 'drop-unallocated', cidrs: words(a) };
  if (x.length === 2 && isIp(a, 'saddr') && a?.kind === 'match' && a.negated && b?.kind === 'verdict' && b.verdict === 'drop') return { kind: 'source-ranges', ranges: words(a) };
  // Newer kube-proxy: the mark set in place, the marked packets masqueraded in one rule, the
  // split straight to endpoint addresses, hairpin connections from a set.
  if (last?.kind === 'mark-set' && last.op === 'or' && x.length >= 2 && x.slice(0, -1).every((e) => e.kind === 'match')) {
    const dst = x.find((e) => isIp(e, 'daddr'));
    const src = x.find((e) => isIp(e, 'saddr'));
    return { kind: 'masquerade-mark', ip: dst ? (words(dst)[0] ?? null) : null, outside: src?.kind === 'match' && src.negated ? (words(src)[0] ?? null) : null, from: 'any' };
  }
  if (x.length === 3 && a?.kind === 'mark-mask' && a.negated && b?.kind === 'mark-set' && b.op === 'xor' && c?.kind === 'masquerade') return { kind: 'masquerade-marked', value: hex(a.mask) };
  if (last?.kind === 'masquerade' && x.length === 3 && a?.kind === 'match' && a.key[0] === 'ct status' && b?.kind === 'match' && b.value.kind === 'named') return { kind: 'hairpin-masquerade', set: b.value.name };
  if (x.length === 2 && a?.kind === 'match' && a.key[0] === 'meta l4proto' && b?.kind === 'dnat-split') return { kind: 'split', endpoints: b.targets.map((t) => t.to) };
  if (x.length === 1 && a?.kind === 'numgen') return { kind: 'split', endpoints: a.entries.map((e) => e.verdict[e.verdict.length - 1] ?? '') };
  if (x.length === 2 && a?.kind === 'match' && a.key[0] === 'meta l4proto' && b?.kind === 'dnat') return { kind: 'dnat', to: b.to };
  if (x.length === 1 && a?.kind === 'update') return { kind: 'affinity-update', set: a.set };
  if (x.length === 2 && isIp(a, 'saddr') && a?.kind === 'match' && a.value.kind === 'named' && to) return { kind: 'affinity-hit', set: a.value.name, chain: to.chain as string };
  if (x.length === 2 && isIp(a, 'saddr') && a?.kind === 'match' && !a.negated && to) return { kind: 'pods-to-service', cidr: words(a)[0] ?? '', chain: to.chain as string };
  if (x.length === 2 && a?.kind === 'match' && a.key[0] === 'fib saddr type' && to) return { kind: 'node-to-service', chain: to.chain as string };
  return other;
}

/** The table's chains by name, built once per table. */
const chainIndex = new WeakMap<NftRuleSet, Map<string, NftChain>>();

function chainsOf(rs: NftRuleSet): Map<string, NftChain> {
  let m = chainIndex.get(rs);
  if (!m) {
    m = new Map(rs.chains.map((c) => [c.name, c]));
    chainIndex.set(rs, m);
  }
  return m;
}

function roleOf(chain: NftChain | undefined): NftChainRole | undefined {
  return chain === undefined ? undefined : chainRole(chain);
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** What a map element sends packets to, for the sentence about it. */
export function elementTarget(rs: NftRuleSet, set: NftSet, element: NftElement): { key: string; verdict: string; role: NftChainRole | undefined } {
  const verdict = element.value ?? '';
  const target = /^(?:goto|jump) (\S+)$/.exec(verdict)?.[1];
  return { key: element.key.join(' . '), verdict, role: target === undefined ? undefined : roleOf(chainsOf(rs).get(target)) };
}
