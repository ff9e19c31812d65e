import type { NftChain, NftElement, NftRuleSet, NftSet } from './nft-types.js';
import { byteCompare } from './canonical-order.js';

/**
 * Prints an nftables rule set as `nft -f` input, in the layout of knftables' `Fake.Dump()`: the
 * table; the chains, then the sets, then the maps, each sorted by name; the rules chain by chain
 * (chains sorted, rules in order); then the elements set by set and map by map (sorted by name),
 * each set's element lines sorted bytewise. Every object is declared before it is used, so the
 * text loads as it is. This is the only place that writes nftables text.
 */
export function printNft(ruleSet: NftRuleSet): string {
  const prefix = `${ruleSet.family} ${ruleSet.table}`;
  const lines: string[] = [];
  const tableComment = ruleSet.tableComment === undefined ? '' : ` { comment ${goQuote(ruleSet.tableComment)} ; }`;
  lines.push(`add table ${prefix}${tableComment}`);
  const chains = [...ruleSet.chains].sort((a, b) => byteCompare(a.name, b.name));
  const sets = ruleSet.sets.filter((s) => s.kind === 'set').sort((a, b) => byteCompare(a.name, b.name));
  const maps = ruleSet.sets.filter((s) => s.kind === 'map').sort((a, b) => byteCompare(a.name, b.name));
  for (const c of chains) lines.push(`add chain ${prefix} ${c.name}${chainProperties(c)}`);
  for (const s of [...sets, ...maps]) lines.push(`add ${s.kind} ${prefix} ${s.name} ${setProperties(s)}`);
  for (const c of chains) {
    for (const r of c.rules) {
      lines.push(`add rule ${prefix} ${c.name} ${r.words.join(' ')}${r.comment === undefined ? '' : ` comment ${goQuote(r.comment)}`}`);
    }
  }
  for (const s of [...sets, ...maps]) {
    const elements = s.elements.map((e) => `add element ${prefix} ${s.name} { ${elementText(e)} }`);
    lines.push(...elements.sort(byteCompare));
  }
  return `${lines.join('\n')}\n`;
}

function chainProperties(c: NftChain): string {
  const parts: string[] = [];
  if (c.base) {
    const device = c.base.device === undefined ? '' : ` device ${goQuote(c.base.device)}`;
    parts.push(`type ${c.base.type} hook ${c.base.hook}${device} priority ${c.base.priority} ;`);
    // `accept` is every base chain's policy unless one is given (and what a listing shows then).
    if (c.base.policy !== undefined && c.base.policy !== 'accept') parts.push(`policy ${c.base.policy} ;`);
  }
  if (c.comment !== undefined) parts.push(`comment ${goQuote(c.comment)} ;`);
  return parts.length === 0 ? '' : ` { ${parts.join(' ')} }`;
}

function setProperties(s: NftSet): string {
  const parts = [`type ${s.type} ;`];
  if (s.flags && s.flags.length > 0) parts.push(`flags ${s.flags.join(',')} ;`);
  if (s.timeout !== undefined) parts.push(`timeout ${s.timeout}s ;`);
  // A listing shows `size 65535` for a dynamic set that was given none.
  if (s.size !== undefined && s.size !== 65535) parts.push(`size ${s.size} ;`);
  if (s.comment !== undefined) parts.push(`comment ${goQuote(s.comment)} ;`);
  return `{ ${parts.join(' ')} }`;
}

/** An element as `add element … { TEXT }` writes it. */
export function elementText(e: NftElement): string {
  let text = e.key.join(' . ');
  if (e.comment !== undefined) text += ` comment ${goQuote(e.comment)}`;
  if (e.value !== undefined) text += ` : ${e.value}`;
  return text;
}

/**
 * A string in double quotes as Go's `%q` writes it for the printable ASCII that reaches here
 * (names and comments are validated first): `"` and `\` escaped, anything else below space or
 * above `~` as an escape.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 10) out += '\\n';
    else if (c === 9) out += '\\t';
    else if (c === 13) out += '\\r';
    else if (c < 32 || c === 127) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
