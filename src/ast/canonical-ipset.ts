import type { IpSet, IpsetRuleSet } from './types.js';
import { byteCompare } from './canonical-order.js';

/**
 * The canonical order of ipset rule sets, the one rulec emits and compares in: sets sorted by
 * name, each set's members sorted by their text (both byteCompare), each `create` followed by its
 * `add` lines. `ipset save` itself prints members in kernel hash order, so two dumps of the same
 * sets compare equal only after this sort.
 */


export function compareIpsets(a: IpSet, b: IpSet): number {
  return byteCompare(a.name, b.name);
}

/** A copy of the rule set with sets and members in canonical order. */
export function canonicalIpsets(ruleSet: IpsetRuleSet): IpsetRuleSet {
  const sets = ruleSet.sets
    .map((set) => ({ ...set, members: [...set.members].sort((x, y) => byteCompare(x.value, y.value)) }))
    .sort(compareIpsets);
  return { ...ruleSet, sets };
}

/**
 * Creation options without the ones the kernel reports on its own: `bucketsize N` and
 * `initval 0x...` (ipset >= 7.11; initval is random per set). What is left is what the creator
 * asked for, so a set written by rulec and the same set dumped by `ipset save` compare equal.
 */
export function semanticCreateOptions(options: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const word = options[i] ?? '';
    if (word === 'bucketsize' || word === 'initval') {
      i++;
      continue;
    }
    out.push(word);
  }
  return out;
}

/**
 * A member as `ipset save` prints it: a host-length prefix on a `net` part (`/32`, `/128`) is
 * dropped, as the kernel stores and prints it without one. Other text is kept as written.
 */
export function canonicalIpsetMember(type: string, value: string): string {
  const colon = type.indexOf(':');
  const kinds = type.slice(colon + 1).split(',');
  if (!kinds.includes('net') || type === 'list:set') return value;
  const parts = value.split(',');
  if (parts.length !== kinds.length) return value;
  return parts
    .map((part, i) => {
      if (kinds[i] !== 'net') return part;
      if (part.endsWith('/32') && !part.includes(':')) return part.slice(0, -3);
      if (part.endsWith('/128') && part.includes(':')) return part.slice(0, -4);
      return part;
    })
    .join(',');
}
