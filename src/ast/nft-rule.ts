import type { NftRule } from './nft-types.js';

/**
 * An nftables rule as the trace reads it: its expressions in order, each a match on the packet
 * or a statement. nftables runs them left to right; a match that fails ends the rule, a verdict
 * ends the chain. Read from the words of the rule as kube-proxy writes them (and as `nft list`
 * prints them, which uses the same words).
 */
export type NftSelector =
  | 'ip saddr'
  | 'ip daddr'
  | 'ip6 saddr'
  | 'ip6 daddr'
  | 'meta l4proto'
  | 'th dport'
  | 'th sport'
  | 'tcp dport'
  | 'udp dport'
  | 'sctp dport'
  | 'ct state'
  | 'ct status'
  | 'mark'
  | 'fib saddr type'
  | 'fib daddr type'
  | 'iifname'
  | 'oifname';

/** What a key is compared with: literal words, an anonymous set `{ a, b }`, or a named set `@name`. */
export type NftValue = { kind: 'words'; words: string[] } | { kind: 'set'; items: string[][] } | { kind: 'named'; name: string };

/** A map's value, or an inline vmap: `0 : goto CHAIN`. */
export interface NftMapEntry {
  key: string[];
  verdict: string[];
}

export type NftExpr =
  | { kind: 'match'; key: NftSelector[]; negated: boolean; value: NftValue }
  | { kind: 'mark-mask'; mask: number; negated: boolean; value: number }
  | { kind: 'vmap'; key: NftSelector[]; map: { kind: 'named'; name: string } | { kind: 'inline'; entries: NftMapEntry[] } }
  | { kind: 'numgen'; modulus: number; entries: NftMapEntry[] }
  | { kind: 'verdict'; verdict: 'accept' | 'drop' | 'reject' | 'return' | 'jump' | 'goto'; chain?: string }
  | { kind: 'mark-set'; op: 'or' | 'xor' | 'and' | 'set'; value: number }
  | { kind: 'dnat'; to: string }
  /** `dnat to numgen random mod N map { 0 : IP . PORT , … }`: a random split straight to endpoints (newer kube-proxy). */
  | { kind: 'dnat-split'; modulus: number; targets: { key: number; to: string }[] }
  | { kind: 'masquerade' }
  | { kind: 'update'; set: string }
  | { kind: 'counter' }
  /**
   * An iptables extension nft printed as `#` text because it has no words of its own for it
   * (`# match-set KUBE-CLUSTER-IP dst,dst`, `# TPROXY redirect …`): what it does is unknown here.
   */
  | { kind: 'xt'; text: string };

export type ReadRule = { ok: true; exprs: NftExpr[] } | { ok: false; word: string; at: number };

const cache = new WeakMap<NftRule, ReadRule>();

/** The rule's expressions, read once per rule. */
export function readNftRule(rule: NftRule): ReadRule {
  let r = cache.get(rule);
  if (r === undefined) {
    // The model keeps some phrases as one word (`0 : goto CHAIN`): read word by word.
    r = readWords(rule.words.join(' ').split(/\s+/).filter((w) => w !== ''));
    cache.set(rule, r);
  }
  return r;
}

const PAIRS: Readonly<Record<string, readonly string[]>> = {
  ip: ['saddr', 'daddr'],
  ip6: ['saddr', 'daddr'],
  th: ['dport', 'sport'],
  tcp: ['dport'],
  udp: ['dport'],
  sctp: ['dport'],
  ct: ['state', 'status'],
};

const OPERATORS = new Set(['==', '!=', 'eq', 'ne']);

/** Words nft prints after an iptables extension's `#` text, where the rule's own words go on. */
const XT_ENDS: ReadonlySet<string> = new Set(['counter', 'accept', 'drop', 'return', 'reject', 'jump', 'goto', 'masquerade', 'meta', 'ct', 'dnat', 'snat', 'log', 'limit', 'notrack']);

export function readWords(words: readonly string[]): ReadRule {
  const exprs: NftExpr[] = [];
  let i = 0;
  const fail = (): ReadRule => ({ ok: false, word: words[i] ?? '(end)', at: i });

  /** A selector at `i`, or undefined. */
  const selector = (): NftSelector | undefined => {
    const w = words[i] ?? '';
    const next = words[i + 1] ?? '';
    if ((PAIRS[w] ?? []).includes(next)) {
      i += 2;
      return `${w} ${next}` as NftSelector;
    }
    if (w === 'meta' && (next === 'l4proto' || next === 'mark' || next === 'iifname' || next === 'oifname')) {
      i += 2;
      return next === 'l4proto' ? 'meta l4proto' : next === 'mark' ? 'mark' : next;
    }
    if (w === 'fib' && (next === 'saddr' || next === 'daddr') && words[i + 2] === 'type') {
      i += 3;
      return `fib ${next} type`;
    }
    if (w === 'mark' || w === 'iifname' || w === 'oifname') {
      i += 1;
      return w;
    }
    return undefined;
  };

  /** `{ a , b . c }`, `@name` or one word. */
  const value = (): NftValue | undefined => {
    const w = words[i];
    if (w === undefined) return undefined;
    if (w.startsWith('@')) {
      i++;
      return { kind: 'named', name: w.slice(1) };
    }
    if (w === '{') {
      const items: string[][] = [[]];
      for (i++; i < words.length && words[i] !== '}'; i++) {
        const x = words[i] as string;
        if (x === ',') items.push([]);
        else if (x !== '.') (items[items.length - 1] as string[]).push(x.replace(/,$/, ''));
      }
      if (words[i] !== '}') return undefined;
      i++;
      return { kind: 'set', items: items.filter((it) => it.length > 0) };
    }
    i++;
    return { kind: 'words', words: [w] };
  };

  /** `{ 0 : goto X , 1 : goto Y }`. */
  const inlineMap = (): NftMapEntry[] | undefined => {
    if (words[i] !== '{') return undefined;
    const entries: NftMapEntry[] = [];
    let key: string[] = [];
    let verdict: string[] | null = null;
    for (i++; i < words.length && words[i] !== '}'; i++) {
      const x = words[i] as string;
      if (x === ',') {
        if (verdict) entries.push({ key, verdict });
        key = [];
        verdict = null;
      } else if (x === ':') verdict = [];
      else if (verdict) verdict.push(x.replace(/,$/, ''));
      else if (x !== '.') key.push(x);
    }
    if (words[i] !== '}') return undefined;
    if (verdict) entries.push({ key, verdict });
    i++;
    return entries;
  };

  while (i < words.length) {
    const w = words[i] as string;
    if (w === '#') {
      const from = ++i;
      while (i < words.length && !XT_ENDS.has(words[i] as string)) i++;
      exprs.push({ kind: 'xt', text: words.slice(from, i).join(' ') });
      continue;
    }
    switch (w) {
      case 'accept':
      case 'drop':
      case 'return':
        exprs.push({ kind: 'verdict', verdict: w });
        i++;
        continue;
      case 'reject':
        exprs.push({ kind: 'verdict', verdict: 'reject' });
        // `reject with icmp type …`: how it rejects does not change where the packet goes.
        i++;
        if (words[i] === 'with') i = words.length;
        continue;
      case 'jump':
      case 'goto': {
        const chain = words[i + 1];
        if (chain === undefined) return fail();
        exprs.push({ kind: 'verdict', verdict: w, chain });
        i += 2;
        continue;
      }
      case 'counter':
        exprs.push({ kind: 'counter' });
        i++;
        if (words[i] === 'packets') i += 4;
        continue;
      case 'masquerade':
        exprs.push({ kind: 'masquerade' });
        i++;
        while (i < words.length && /^(?:fully-random|random|persistent|,)$/.test(words[i] as string)) i++;
        continue;
      case 'dnat': {
        i++;
        const v6 = words[i] === 'ip6';
        if (words[i] === 'ip' || words[i] === 'ip6') i++;
        if (words[i] !== 'to' || words[i + 1] === undefined) return fail();
        if (words[i + 1] === 'numgen') {
          i += 2;
          if (words[i] !== 'random' || words[i + 1] !== 'mod') return fail();
          const modulus = Number(words[i + 2]);
          i += 3;
          if (!Number.isInteger(modulus) || modulus < 1 || words[i] !== 'map') return fail();
          i++;
          const entries = inlineMap();
          if (!entries) return fail();
          const targets: { key: number; to: string }[] = [];
          for (const e of entries) {
            const [ip, dot, port] = e.verdict;
            if (ip === undefined) return fail();
            const host = v6 || ip.includes(':') ? `[${ip}]` : ip;
            targets.push({ key: Number(e.key[0]), to: dot === '.' && port !== undefined ? `${host}:${port}` : host });
          }
          exprs.push({ kind: 'dnat-split', modulus, targets });
          continue;
        }
        exprs.push({ kind: 'dnat', to: words[i + 1] as string });
        i += 2;
        continue;
      }
      case 'update':
      case 'add': {
        const set = words[i + 1] ?? '';
        if (!set.startsWith('@')) return fail();
        i += 2;
        if (words[i] !== '{') return fail();
        while (i < words.length && words[i] !== '}') i++;
        i++;
        exprs.push({ kind: 'update', set: set.slice(1) });
        continue;
      }
      case 'numgen': {
        if (words[i + 1] !== 'random' || words[i + 2] !== 'mod') return fail();
        const modulus = Number(words[i + 3]);
        if (!Number.isInteger(modulus) || modulus < 1) return fail();
        i += 4;
        if (words[i] !== 'vmap') return fail();
        i++;
        const entries = inlineMap();
        if (!entries) return fail();
        exprs.push({ kind: 'numgen', modulus, entries });
        continue;
      }
      default:
        break;
    }
    // `mark set mark or 0x4000`, `meta mark set …`.
    if ((w === 'mark' && words[i + 1] === 'set') || (w === 'meta' && words[i + 1] === 'mark' && words[i + 2] === 'set')) {
      i += w === 'mark' ? 2 : 3;
      const set = markSet();
      if (!set) return fail();
      exprs.push(set);
      continue;
    }
    // `mark and 0x4000 == 0`, `mark and 0x4000 != 0`.
    if ((w === 'mark' && words[i + 1] === 'and') || (w === 'meta' && words[i + 1] === 'mark' && words[i + 2] === 'and')) {
      i += w === 'mark' ? 2 : 3;
      const mask = number(words[i]);
      const op = words[i + 1] ?? '';
      const v = number(words[i + 2]);
      if (mask === undefined || v === undefined || !OPERATORS.has(op)) return fail();
      exprs.push({ kind: 'mark-mask', mask, negated: op === '!=' || op === 'ne', value: v });
      i += 3;
      continue;
    }
    const first = selector();
    if (first === undefined) return fail();
    const key = [first];
    while (words[i] === '.') {
      i++;
      const s = selector();
      if (s === undefined) return fail();
      key.push(s);
    }
    if (words[i] === 'vmap') {
      i++;
      const named = words[i];
      if (named?.startsWith('@')) {
        i++;
        exprs.push({ kind: 'vmap', key, map: { kind: 'named', name: named.slice(1) } });
        continue;
      }
      const entries = inlineMap();
      if (!entries) return fail();
      exprs.push({ kind: 'vmap', key, map: { kind: 'inline', entries } });
      continue;
    }
    let negated = false;
    if (OPERATORS.has(words[i] ?? '')) {
      negated = words[i] === '!=' || words[i] === 'ne';
      i++;
    }
    const v = value();
    if (!v) return fail();
    exprs.push({ kind: 'match', key, negated, value: v });
  }
  return { ok: true, exprs };

  function markSet(): NftExpr | undefined {
    // `mark or 0x4000` (of the mark itself) or a plain value.
    if (words[i] === 'mark' || (words[i] === 'meta' && words[i + 1] === 'mark')) {
      i += words[i] === 'mark' ? 1 : 2;
      const op = words[i];
      const v = number(words[i + 1]);
      if ((op !== 'or' && op !== 'xor' && op !== 'and' && op !== '|' && op !== '^' && op !== '&') || v === undefined) return undefined;
      i += 2;
      const named = op === '|' ? 'or' : op === '^' ? 'xor' : op === '&' ? 'and' : op;
      return { kind: 'mark-set', op: named, value: v };
    }
    const v = number(words[i]);
    if (v === undefined) return undefined;
    i++;
    return { kind: 'mark-set', op: 'set', value: v };
  }
}

function number(text: string | undefined): number | undefined {
  if (text === undefined || !/^(?:0x[0-9a-f]+|\d+)$/i.test(text)) return undefined;
  return Number(text);
}
