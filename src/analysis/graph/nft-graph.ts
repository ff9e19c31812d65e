import type { NftChain, NftRuleSet } from '../../ast/nft-types.js';
import { readNftRule } from '../../ast/nft-rule.js';
import { readNftChainName } from '../../kube/nft-chain-names.js';
import { finishGraph, type ChainGraph, type GraphEdge, type GraphNode, type GraphOptions } from './graph.js';

/**
 * The graph of kube-proxy's nftables table: base chains (the hooks) → helper and per-service
 * chains → endpoints and verdicts. A verdict map (`vmap @service-ips`) draws one edge per element
 * to the chain it names, labelled with the element's key; a `numgen` split one edge per endpoint
 * chain with its share; jumps to `mark-for-masquerade` are side trips, drawn dashed.
 */
export function buildNftGraph(ruleSets: readonly NftRuleSet[], options: GraphOptions = {}): ChainGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const node = (n: GraphNode): string => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
    return n.id;
  };
  for (const rs of ruleSets) {
    const prefix = `${rs.family} ${rs.table}`;
    const byName = new Map(rs.chains.map((c) => [c.name, c]));
    const chainId = (c: NftChain): string => node({ id: `${prefix}/${c.name}`, label: c.base ? `${c.name} (${c.base.hook})` : c.name, kind: c.base ? 'hook' : 'chain' });
    const wanted = options.service === undefined ? null : serviceChains(rs, options.service);
    const edge = (from: NftChain, toName: string, label: string): void => {
      if (wanted && !(wanted.has(from.name) || wanted.has(toName))) return;
      const to = byName.get(toName);
      if (!to) return;
      edges.push({ from: chainId(from), to: chainId(to), label, style: toName === 'mark-for-masquerade' ? 'dashed' : 'solid' });
    };
    const verdict = (from: NftChain, name: string, label: string): void => {
      if (wanted && !wanted.has(from.name)) return;
      edges.push({ from: chainId(from), to: node({ id: `verdict/${name}`, label: name, kind: 'verdict' }), label, style: 'solid' });
    };
    for (const c of rs.chains) {
      for (const rule of c.rules) {
        const read = readNftRule(rule);
        if (!read.ok) continue;
        const matches = read.exprs.filter((e) => e.kind === 'match').map((e) => (e.kind === 'match' ? `${e.key.join(' . ')} ${e.negated ? '!= ' : ''}${e.value.kind === 'named' ? `@${e.value.name}` : e.value.kind === 'words' ? e.value.words.join(' ') : '{…}'}` : ''));
        const label = matches.filter((m) => !m.startsWith('ct state')).join(', ');
        for (const e of read.exprs) {
          if (e.kind === 'verdict') {
            if ((e.verdict === 'jump' || e.verdict === 'goto') && e.chain !== undefined) edge(c, e.chain, label);
            else if (e.verdict === 'drop' || e.verdict === 'reject' || e.verdict === 'accept') verdict(c, e.verdict.toUpperCase(), label);
          } else if (e.kind === 'numgen') {
            for (const x of e.entries) {
              const target = x.verdict[1];
              if (target !== undefined) edge(c, target, `1/${e.modulus}`);
            }
          } else if (e.kind === 'vmap' && e.map.kind === 'named') {
            const map = rs.sets.find((s) => s.name === (e.map.kind === 'named' ? e.map.name : ''));
            for (const el of map?.elements ?? []) {
              const [verb, target] = (el.value ?? '').split(' ');
              if ((verb === 'goto' || verb === 'jump') && target !== undefined) edge(c, target, el.key.join(' . '));
              else if (verb === 'drop' || verb === 'reject') verdict(c, verb.toUpperCase(), el.key.join(' . '));
            }
          } else if (e.kind === 'dnat') {
            if (wanted && !wanted.has(c.name)) continue;
            edges.push({ from: chainId(c), to: node({ id: `ep/${e.to}`, label: e.to, kind: 'endpoint' }), label: 'DNAT', style: 'solid' });
          } else if (e.kind === 'masquerade') {
            verdict(c, 'MASQUERADE', label);
          }
        }
      }
    }
  }
  return finishGraph(nodes, edges);
}

/** The chains named for one Service (`service-…-ns/name/…`, its endpoints, external, local and firewall chains). */
function serviceChains(rs: NftRuleSet, service: string): Set<string> {
  const out = new Set<string>();
  for (const c of rs.chains) {
    const n = readNftChainName(c.name);
    if (n && `${n.namespace}/${n.name}` === service) out.add(c.name);
  }
  return out;
}
