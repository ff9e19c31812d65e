import type { NftRuleSet } from '../../src/ast/nft-types.js';
import { byteCompare } from '../../src/ast/canonical-order.js';

/**
 * A rule set with its parts in printNft's order (chains by name, sets then maps by name,
 * elements by their text) and without positions: two rule sets that print the same text and
 * hold the same words compare equal, whatever order they were built or read in.
 */
export function inPrintedOrder(rs: NftRuleSet): NftRuleSet {
  const strip = <T extends object>(o: T): T => {
    const { pos: _pos, ...rest } = o as T & { pos?: unknown };
    return rest as T;
  };
  const elementText = (e: { key: string[]; value?: string; comment?: string }) => `${e.key.join(' . ')}|${e.comment ?? ''}|${e.value ?? ''}`;
  const out = strip(rs);
  out.chains = [...rs.chains].sort((a, b) => byteCompare(a.name, b.name)).map((c) => ({ ...strip(c), rules: c.rules.map(strip) }));
  out.sets = [...rs.sets]
    .sort((a, b) => byteCompare(a.kind, b.kind) * -1 || byteCompare(a.name, b.name))
    .map((s) => ({ ...strip(s), elements: s.elements.map(strip).sort((a, b) => byteCompare(elementText(a), elementText(b))) }));
  return out;
}
