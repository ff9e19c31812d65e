import type { NftChain, NftRuleSet } from '../../ast/nft-types.js';
import { readNftRule } from '../../ast/nft-rule.js';
import type { SourcePos } from '../../ast/types.js';
import { nodeAt } from '../positions.js';
import type { Span } from '../types.js';
import { readNftChainName, type NftChainKind } from '../../kube/nft-chain-names.js';

/** A reference to a chain: a `jump`/`goto` of a rule, of a `numgen` or inline map, or of a map element. */
export interface NftReference {
  to: string;
  how: 'jump' | 'goto';
  /** The chain whose rule refers (undefined for a map element). */
  fromChain?: string;
  /** The map whose element refers. */
  fromMap?: string;
  /** The rule or element, for its position. */
  node: object;
}

/** Every reference to a chain in the table, in the order the table holds them. */
export function nftReferences(rs: NftRuleSet): NftReference[] {
  const out: NftReference[] = [];
  for (const c of rs.chains) {
    for (const rule of c.rules) {
      const read = readNftRule(rule);
      if (!read.ok) continue;
      for (const e of read.exprs) {
        if (e.kind === 'verdict' && (e.verdict === 'jump' || e.verdict === 'goto') && e.chain !== undefined) out.push({ to: e.chain, how: e.verdict, fromChain: c.name, node: rule });
        const entries = e.kind === 'numgen' ? e.entries : e.kind === 'vmap' && e.map.kind === 'inline' ? e.map.entries : [];
        for (const x of entries) {
          const [verb, target] = x.verdict;
          if ((verb === 'jump' || verb === 'goto') && target !== undefined) out.push({ to: target, how: verb, fromChain: c.name, node: rule });
        }
      }
    }
  }
  for (const s of rs.sets) {
    if (s.kind !== 'map') continue;
    for (const el of s.elements) {
      const [verb, target] = (el.value ?? '').split(' ');
      if ((verb === 'jump' || verb === 'goto') && target !== undefined) out.push({ to: target, how: verb, fromMap: s.name, node: el });
    }
  }
  return out;
}

/** Where a node of the table is: its position when it was read from a listing, else the file's start. */
export function nftAt(node: object, file: string): Span {
  return nodeAt(node as { pos?: SourcePos }, file);
}

/** The kind of kube-proxy's per-service chain a name is, if it is one. */
export function serviceChainKind(name: string): NftChainKind | undefined {
  return readNftChainName(name)?.kind;
}

export function isBaseChain(c: NftChain): boolean {
  return c.base !== undefined;
}
