import type { IpSet, IpsetMember, IpsetRuleSet } from './types.js';
import { ByteWriter, type TextSink } from './byte-writer.js';

/**
 * Printers for ipset rule sets: `ipset save` text (which `ipset restore` reads) and the
 * `ipset list` block layout. Sets and members are printed in the order the rule set holds them;
 * sort with `canonicalIpsets` first for rulec's canonical order.
 */

const PLAIN = /^[^\s"\\]+$/;

/**
 * Option words as ipset writes them: a member's comment always in double quotes, other words
 * bare unless they must be quoted. (On a `create` line, `comment` is a flag without a value.)
 */
function optionWords(words: readonly string[], member: boolean): string {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (member && w === 'comment' && i + 1 < words.length) {
      out.push(w, quote(words[i + 1] ?? ''));
      i++;
      continue;
    }
    out.push(PLAIN.test(w) ? w : quote(w));
  }
  return out.join(' ');
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function withOptions(head: string, options: readonly string[], member: boolean): string {
  return options.length > 0 ? `${head} ${optionWords(options, member)}` : head;
}

/** `create NAME TYPE OPTIONS` without newline. */
export function ipsetCreateLine(set: IpSet): string {
  return withOptions(`create ${set.name} ${set.type}`, set.options, false);
}

/** `add NAME MEMBER OPTIONS` without newline. */
export function ipsetAddLine(set: IpSet, member: IpsetMember): string {
  return withOptions(`add ${set.name} ${member.value}`, member.options, true);
}

export function printIpsetSave(ruleSet: IpsetRuleSet): string {
  const out = new ByteWriter();
  writeIpsetSave(out, ruleSet);
  return out.toString();
}

/** Writes the `ipset save` text of a rule set to `out`. */
export function writeIpsetSave(out: TextSink, ruleSet: IpsetRuleSet): void {
  for (const set of ruleSet.sets) {
    out.write(ipsetCreateLine(set));
    out.write('\n');
    for (const m of set.members) {
      out.write(ipsetAddLine(set, m));
      out.write('\n');
    }
  }
}

/**
 * `ipset list` blocks, separated by blank lines. Fields only a listing knows (Revision, Size in
 * memory, References) are printed when the set carries them; `Number of entries` defaults to
 * the member count; sets read from `ipset list -t` print without `Members:`.
 */
export function printIpsetList(ruleSet: IpsetRuleSet): string {
  return ruleSet.sets.map(listBlock).join('\n');
}

function listBlock(set: IpSet): string {
  const l = set.listing;
  const lines = [`Name: ${set.name}`, `Type: ${set.type}`];
  if (l?.revision !== undefined) lines.push(`Revision: ${l.revision}`);
  lines.push(set.options.length > 0 ? `Header: ${optionWords(set.options, false)}` : 'Header:');
  if (l?.sizeInMemory !== undefined) lines.push(`Size in memory: ${l.sizeInMemory}`);
  if (l?.references !== undefined) lines.push(`References: ${l.references}`);
  if (!l || l.entries !== undefined) lines.push(`Number of entries: ${l?.entries ?? set.members.length}`);
  if (!l || l.membersListed) {
    lines.push('Members:');
    for (const m of set.members) lines.push(withOptions(m.value, m.options, true));
  }
  return `${lines.join('\n')}\n`;
}
