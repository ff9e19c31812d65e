import type { NftBaseChain, NftChain, NftElement, NftRuleSet, NftSet } from './nft-types.js';
import { byteCompare } from './canonical-order.js';
import { formatIpv6Groups, parseIp } from '../kube/ip.js';

/**
 * Prints nftables rule sets as `nft list table` (nft 1.0.6) prints them once the kernel holds the
 * text `printNft` writes: one `table FAMILY NAME { … }` block per rule set, in the order given (the
 * order `nft list ruleset` shows tables is the order they were created in).
 *
 * What the kernel and nft do to the text, learned from nft itself:
 * - objects come back in the order they were created, so sets (sorted), then maps (sorted), then
 *   chains (sorted), one blank line between them, the table's comment first;
 * - a base chain shows `type T hook H priority P; policy accept;` with the priority named when it
 *   lies within 10 of a standard one that fits the hook (`dstnat - 10`, `srcnat`, `filter`);
 * - a set shows `size 65535` when a rule updates it from the packet path, its flags (`timeout`
 *   left out when the set has a default timeout), its timeout as `1d2h3m4s`, its comment, and its
 *   elements sorted as nft sorts them: by value, and a concatenation by its bytes read as one
 *   little-endian number (so by port before address); keys of types other than addresses,
 *   protocols and ports keep the order they were written in;
 * - element lists wrap as nft wraps them: two IPv4 addresses a line, five ports or protocols,
 *   one element a line for maps, concatenations, sets with timeouts and IPv6 addresses,
 *   continuation lines indented by three tabs and five spaces;
 * - in rules, `mark` is `meta mark`, `or`/`and`/`xor` are `|`/`&`/`^`, mark values have eight hex
 *   digits, interface names are quoted, a `/32` (`/128`) prefix is the address, a one-element set
 *   is its element, and a set holding a prefix becomes intervals: sorted, overlapping and adjacent
 *   ones merged, each printed as an address, a prefix or `low-high`; a set of plain values is
 *   sorted with duplicates dropped; an anonymous verdict map is sorted by key.
 */
export function printNftListed(ruleSets: readonly NftRuleSet[]): string {
  return ruleSets.map(printTable).join('');
}

function printTable(rs: NftRuleSet): string {
  const lines: string[] = [`table ${rs.family} ${rs.table} {`];
  if (rs.tableComment !== undefined) lines.push(`\tcomment "${rs.tableComment}"`);
  const chains = [...rs.chains].sort((a, b) => byteCompare(a.name, b.name));
  const sets = rs.sets.filter((s) => s.kind === 'set').sort((a, b) => byteCompare(a.name, b.name));
  const maps = rs.sets.filter((s) => s.kind === 'map').sort((a, b) => byteCompare(a.name, b.name));
  const updated = updatedSets(rs.chains);
  const blocks = [...[...sets, ...maps].map((s) => setBlock(s, updated.has(s.name))), ...chains.map(chainBlock)];
  if (blocks.length > 0) lines.push(blocks.join('\n\n'));
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The sets a rule adds to or updates from the packet path (the kernel gives them a size). */
function updatedSets(chains: readonly NftChain[]): Set<string> {
  const out = new Set<string>();
  for (const c of chains) {
    for (const r of c.rules) {
      r.words.forEach((w, i) => {
        const prev = r.words[i - 1];
        if ((prev === 'update' || prev === 'add') && w.startsWith('@')) out.add(w.slice(1));
      });
    }
  }
  return out;
}

// ---- chains ----

function chainBlock(c: NftChain): string {
  const lines = [`\tchain ${c.name} {`];
  if (c.comment !== undefined) lines.push(`\t\tcomment "${c.comment}"`);
  if (c.base) lines.push(`\t\ttype ${c.base.type} hook ${c.base.hook} priority ${priorityText(c.base)}; policy accept;`);
  for (const r of c.rules) lines.push(`\t\t${listedRule(r.words)}${r.comment === undefined ? '' : ` comment "${r.comment}"`}`);
  lines.push('\t}');
  return lines.join('\n');
}

/** nft's standard priorities, in the order nft tries them. */
const STANDARD_PRIORITIES: readonly { name: string; value: number; hooks?: readonly NftBaseChain['hook'][] }[] = [
  { name: 'raw', value: -300 },
  { name: 'mangle', value: -150 },
  { name: 'dstnat', value: -100, hooks: ['prerouting'] },
  { name: 'filter', value: 0 },
  { name: 'security', value: 50 },
  { name: 'srcnat', value: 100, hooks: ['postrouting'] },
];

/** A base chain's priority as nft names it: `dstnat`, `filter + 10`, or the number. */
export function priorityText(base: NftBaseChain): string {
  for (const p of STANDARD_PRIORITIES) {
    const offset = base.priority - p.value;
    if (Math.abs(offset) > 10 || (p.hooks && !p.hooks.includes(base.hook))) continue;
    return offset === 0 ? p.name : `${p.name} ${offset > 0 ? '+' : '-'} ${Math.abs(offset)}`;
  }
  return String(base.priority);
}

// ---- rules ----

const MARK_OPERATORS: Record<string, string> = { or: '|', and: '&', xor: '^' };

/** A rule's words as nft lists the rule. */
export function listedRule(words: readonly string[]): string {
  const out: string[] = [];
  let markContext = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const prev = words[i - 1];
    if (w === '{') {
      const close = words.indexOf('}', i);
      if (close < 0) {
        out.push(...words.slice(i));
        break;
      }
      const inner = words.slice(i + 1, close);
      if (prev === 'vmap') out.push(anonymousMap(inner));
      else if (prev !== undefined && prev.startsWith('@')) out.push(`{ ${inner.join(' ')} }`);
      else out.push(anonymousSet(inner));
      i = close;
      continue;
    }
    if (w === 'mark') {
      if (prev !== 'meta' && prev !== 'ct') out.push('meta');
      out.push('mark');
      markContext = true;
      continue;
    }
    if (markContext && MARK_OPERATORS[w] !== undefined) {
      out.push(MARK_OPERATORS[w] as string);
      continue;
    }
    if (markContext && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(w)) {
      out.push(`0x${Number(BigInt(w)).toString(16).padStart(8, '0')}`);
      continue;
    }
    if (!['set', 'meta', 'ct', '|', '&', '^', '==', '!='].includes(w)) markContext = false;
    if ((prev === 'iifname' || prev === 'oifname' || ((prev === '!=' || prev === '==') && (words[i - 2] === 'iifname' || words[i - 2] === 'oifname'))) && w !== '!=' && w !== '==') {
      out.push(`"${unquote(w)}"`);
      continue;
    }
    if (prev === 'to' && words[i - 2] === 'dnat') {
      out.push(listedHostPort(w));
      continue;
    }
    out.push(listedValue(w));
  }
  return out.join(' ');
}

function unquote(w: string): string {
  return w.length >= 2 && w.startsWith('"') && w.endsWith('"') ? w.slice(1, -1) : w;
}

/** `{ 0 : goto a , 1 : goto b }` as nft lists it: sorted by key, `, ` between elements. */
function anonymousMap(inner: readonly string[]): string {
  const items = splitItems(inner).map((toks) => {
    const colon = toks.indexOf(':');
    const key = colon < 0 ? toks : toks.slice(0, colon);
    const value = colon < 0 ? [] : toks.slice(colon + 1);
    return { key: key.map(listedValue).join(' '), text: [...key.map(listedValue), ...(colon < 0 ? [] : [':', ...value])].join(' ') };
  });
  const sorted = items.every((it) => /^[0-9]+$/.test(it.key)) ? [...items].sort((a, b) => Number(a.key) - Number(b.key)) : items;
  return `{ ${sorted.map((it) => it.text).join(', ')} }`;
}

/** The items of a set or map literal: words split at `,` (alone or inside a word). */
function splitItems(inner: readonly string[]): string[][] {
  const items: string[][] = [[]];
  for (const w of inner) {
    const parts = w.split(',');
    parts.forEach((p, j) => {
      if (j > 0) items.push([]);
      if (p !== '') (items[items.length - 1] as string[]).push(p);
    });
  }
  return items.filter((it) => it.length > 0);
}

interface Interval {
  low: bigint;
  high: bigint;
  bits: number;
}

/** An address or CIDR as an interval of addresses; undefined for anything else. */
function toInterval(text: string): Interval | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const bits = ip.bytes.length * 8;
  const prefix = slash < 0 ? bits : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const value = ip.bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  return { low: value & ~hostMask, high: (value & ~hostMask) | hostMask, bits };
}

function addressText(value: bigint, bits: number): string {
  const bytes: number[] = [];
  for (let i = bits / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  if (bits === 32) return bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  return formatIpv6Groups(groups, true);
}

/** An interval as nft prints it: an address, a prefix, or `low-high`. */
function intervalText(iv: Interval): string {
  if (iv.low === iv.high) return addressText(iv.low, iv.bits);
  const size = iv.high - iv.low + 1n;
  if ((size & (size - 1n)) === 0n && (iv.low & (size - 1n)) === 0n) {
    let hostBits = 0;
    while (1n << BigInt(hostBits) < size) hostBits++;
    return `${addressText(iv.low, iv.bits)}/${iv.bits - hostBits}`;
  }
  return `${addressText(iv.low, iv.bits)}-${addressText(iv.high, iv.bits)}`;
}

/** An anonymous set in a rule as nft lists it back. */
function anonymousSet(inner: readonly string[]): string {
  const items = splitItems(inner).map((toks) => toks.join(' '));
  if (items.length === 1) return listedValue(items[0] as string);
  const intervals = items.map(toInterval);
  if (intervals.some((iv) => iv === undefined) || new Set(intervals.map((iv) => iv?.bits)).size > 1) return `{ ${items.map(listedValue).join(', ')} }`;
  const ivs = (intervals as Interval[]).sort((a, b) => (a.low < b.low ? -1 : a.low > b.low ? 1 : 0));
  // Plain values make a hash set: sorted, each once. A prefix makes an interval set, whose
  // overlapping and adjacent intervals the kernel keeps as one.
  if (!items.some((it) => it.includes('/'))) {
    const seen = [...new Set(ivs.map((iv) => iv.low))];
    return `{ ${seen.map((v) => addressText(v, (ivs[0] as Interval).bits)).join(', ')} }`;
  }
  const merged: Interval[] = [];
  for (const iv of ivs) {
    const last = merged[merged.length - 1];
    if (last && iv.low <= last.high + 1n) {
      if (iv.high > last.high) last.high = iv.high;
    } else merged.push({ ...iv });
  }
  return `{ ${merged.map(intervalText).join(', ')} }`;
}

/** An address or CIDR as nft prints it (a full-length prefix is the address); other words as they are. */
function listedValue(w: string): string {
  if (!/^[0-9a-fA-F:.]+(\/[0-9]+)?$/.test(w) || !/[.:]/.test(w)) return w;
  const iv = toInterval(w);
  if (!iv) return w;
  const slash = w.indexOf('/');
  return slash < 0 ? addressText(iv.low, iv.bits) : intervalText(iv);
}

/** A DNAT target `IP:port` or `[IPv6]:port` with the address as nft prints it. */
function listedHostPort(w: string): string {
  const v6 = /^\[(.+)\]:([0-9]+)$/.exec(w);
  if (v6) return `[${listedValue(v6[1] as string)}]:${v6[2]}`;
  const v4 = /^([0-9.]+):([0-9]+)$/.exec(w);
  if (v4) return `${listedValue(v4[1] as string)}:${v4[2]}`;
  return listedValue(w);
}

// ---- sets and maps ----

function setBlock(s: NftSet, updated: boolean): string {
  const lines = [`\t${s.kind} ${s.name} {`, `\t\ttype ${s.type}`];
  const flags = new Set(s.flags ?? []);
  if (updated) lines.push('\t\tsize 65535');
  const shown = new Set(flags);
  if (s.timeout !== undefined && s.timeout > 0) shown.delete('timeout');
  if (['constant', 'dynamic', 'interval', 'timeout'].some((f) => shown.has(f))) {
    lines.push(`\t\tflags ${['constant', 'dynamic', 'interval', 'timeout'].filter((f) => flags.has(f)).join(',')}`);
  }
  if (s.timeout !== undefined && s.timeout > 0) lines.push(`\t\ttimeout ${durationText(s.timeout)}`);
  if (s.comment !== undefined) lines.push(`\t\tcomment "${s.comment}"`);
  if (s.elements.length > 0) lines.push(`\t\telements = ${elementsText(s)}`);
  lines.push('\t}');
  return lines.join('\n');
}

/** Seconds as nft prints a duration: `3h`, `1d1h1m1s`. */
export function durationText(seconds: number): string {
  const parts: [number, string][] = [
    [Math.floor(seconds / 86400), 'd'],
    [Math.floor((seconds % 86400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join('');
}

/** The key's component types: `ipv4_addr . inet_proto . inet_service : verdict` → the three. */
function keyTypes(s: NftSet): string[] {
  const key = s.kind === 'map' ? (s.type.split(' : ')[0] ?? '') : s.type;
  return key.split(' . ').map((t) => t.trim());
}

const PROTOCOLS: Record<string, number> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, ipv6: 41, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, icmpv6: 58, sctp: 132, udplite: 136 };

/** The bytes of one key part as the kernel stores it; undefined when rulec does not know the type. */
function partBytes(type: string, text: string): number[] | undefined {
  if (type === 'ipv4_addr' || type === 'ipv6_addr') {
    const iv = toInterval(text);
    if (!iv) return undefined;
    const out: number[] = [];
    for (let i = iv.bits / 8 - 1; i >= 0; i--) out.push(Number((iv.low >> BigInt(i * 8)) & 0xffn));
    return out;
  }
  if (type === 'inet_proto') {
    const n = /^[0-9]+$/.test(text) ? Number(text) : PROTOCOLS[text];
    return n === undefined ? undefined : [n];
  }
  if (type === 'inet_service') return /^[0-9]+$/.test(text) ? [(Number(text) >> 8) & 0xff, Number(text) & 0xff] : undefined;
  return undefined;
}

/** The order nft lists elements in: by value; a concatenation by its bytes as a little-endian number. */
function sortKey(types: readonly string[], e: NftElement): number[] | undefined {
  if (e.key.length !== types.length) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < types.length; i++) {
    const b = partBytes(types[i] as string, e.key[i] as string);
    if (!b) return undefined;
    bytes.push(...b);
  }
  return types.length > 1 ? bytes.reverse() : bytes;
}

function compareBytes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Element-count wrapping for plain sets, by key type (nft's calculate_delim). */
const PER_LINE: Record<string, number> = { ipv4_addr: 2, inet_proto: 5, inet_service: 5, mark: 5, integer: 5 };

function elementsText(s: NftSet): string {
  const types = keyTypes(s);
  const keyed = s.elements.map((e) => ({ e, key: sortKey(types, e) }));
  const sorted = keyed.every((k) => k.key !== undefined)
    ? [...keyed].sort((a, b) => compareBytes(a.key as number[], b.key as number[]))
    : keyed;
  const texts = sorted.map(({ e }) => {
    let text = e.key.map(listedValue).join(' . ');
    if (e.comment !== undefined) text += ` comment "${e.comment}"`;
    if (e.value !== undefined) text += ` : ${e.value}`;
    return text;
  });
  const forceNewline = s.kind === 'map' || types.length > 1 || (s.timeout !== undefined && s.timeout > 0) || (s.flags ?? []).includes('timeout');
  const perLine = forceNewline ? 1 : (PER_LINE[types[0] ?? ''] ?? 1);
  let out = '{ ';
  texts.forEach((t, i) => {
    if (i > 0) out += i % perLine === 0 ? ',\n\t\t\t     ' : ', ';
    out += t;
  });
  return `${out} }`;
}
