import type { NftChain, NftElement, NftRuleSet, NftSet } from './nft-types.js';
import { byteCompare } from './canonical-order.js';

/**
 * A normal form for comparing nftables rule sets, so that what kube-proxy writes and what
 * `nft list` prints back after loading it compare equal: chains and sets sorted by name, the
 * elements of each set sorted, where things stood (`pos`), handles and counters left out, and
 * what a listing adds on its own left out too (`policy accept` of a base chain, `size 65535` of
 * a dynamic set). In rule words, hex numbers are written without leading zeros (`0x4000` for
 * `0x00004000`) and the elements of an anonymous set (`{ a , b }`) sorted, since the kernel
 * keeps them in its own order.
 */
export function nftNormalForm(rs: NftRuleSet): NftRuleSet {
  const out: NftRuleSet = {
    kind: 'nft',
    family: rs.family,
    table: rs.table,
    chains: [...rs.chains].sort((a, b) => byteCompare(a.name, b.name)).map(normalChain),
    sets: [...rs.sets].sort((a, b) => byteCompare(a.name, b.name)).map(normalSet),
    origin: rs.origin,
    fidelity: rs.fidelity,
  };
  if (rs.tableComment !== undefined) out.tableComment = rs.tableComment;
  return out;
}

function normalChain(c: NftChain): NftChain {
  const out: NftChain = { name: c.name, rules: c.rules.map((r) => ({ words: normalWords(r.words), ...(r.comment === undefined ? {} : { comment: r.comment }) })) };
  if (c.base) {
    const { policy, ...base } = c.base;
    out.base = policy === undefined || policy === 'accept' ? base : { ...base, policy };
  }
  if (c.comment !== undefined) out.comment = c.comment;
  return out;
}

function normalSet(s: NftSet): NftSet {
  const out: NftSet = { name: s.name, kind: s.kind, type: s.type, elements: s.elements.map(normalElement).sort((a, b) => byteCompare(elementKey(a), elementKey(b))) };
  if (s.flags && s.flags.length > 0) out.flags = s.flags;
  if (s.timeout !== undefined) out.timeout = s.timeout;
  if (s.size !== undefined && s.size !== 65535) out.size = s.size;
  if (s.comment !== undefined) out.comment = s.comment;
  return out;
}

function normalElement(e: NftElement): NftElement {
  const out: NftElement = { key: e.key };
  if (e.comment !== undefined) out.comment = e.comment;
  if (e.value !== undefined) out.value = e.value;
  return out;
}

function elementKey(e: NftElement): string {
  return `${e.key.join(' . ')} : ${e.value ?? ''}`;
}

/** Rule words with hex numbers shortened and anonymous sets sorted. */
export function normalWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '{') {
      const close = words.indexOf('}', i);
      if (close > i) {
        const items: string[][] = [[]];
        for (const x of words.slice(i + 1, close)) {
          // `a,b` written as one word is two elements, as `a , b` is.
          const parts = x === ',' ? [','] : x.split(',').flatMap((p, k) => (k === 0 ? [p] : [',', p])).filter((p) => p !== '');
          for (const p of parts) {
            if (p === ',') items.push([]);
            else (items[items.length - 1] as string[]).push(hex(p));
          }
        }
        const sorted = items.map((it) => it.join(' ')).sort(byteCompare);
        out.push('{', sorted.join(' , '), '}');
        i = close;
        continue;
      }
    }
    out.push(hex(w));
  }
  return out;
}

function hex(w: string): string {
  return /^0x[0-9a-fA-F]+$/.test(w) ? `0x${BigInt(w).toString(16)}` : w;
}
