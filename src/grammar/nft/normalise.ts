import { nftInterfaceName, nftInterfacePrefix } from '../../kube/nft-interface-name.js';

/**
 * The spelling `nft list` prints for statements kube-proxy writes in another form, turned back
 * into kube-proxy's form (found by loading kube-proxy's rules with `nft -f` and listing them):
 *
 * | listing | kube-proxy |
 * |---|---|
 * | `meta mark set meta mark \| 0x00004000` | `mark set mark or 0x00004000` |
 * | `meta mark set meta mark ^ 0x00004000` | `mark set mark xor 0x00004000` |
 * | `meta mark & 0x00004000 == 0x00000000` | `mark and 0x00004000 == 0` |
 * | `ip saddr != 203.0.113.0/25 drop` (a set of one element) | `ip saddr != { 203.0.113.0/25 } drop` |
 * | `vmap { 0 : goto a, 1 : goto b }` | `vmap { 0 : goto a , 1 : goto b }` |
 * | `iifname != "eth0"`, `iifname "veth*"` (always quoted) | `iifname != eth0`, `iifname veth*` (bare where kube-proxy writes them bare) |
 *
 * Words are kept as kube-proxy's model groups them: each element of an anonymous verdict map
 * (`0 : goto a`) is one word, commas are words of their own.
 *
 * The listing prints the mark with eight hex digits, as real kube-proxy writes it; the order of
 * an anonymous set's elements is the kernel's (sorted), not necessarily the written one: the
 * normal form (`src/ast/nft-normal-form.ts`) compares those. Everything else is kept as written.
 */
export function normaliseRuleWords(words: string[]): string[] {
  let out = words;
  if (out.includes('mark')) out = normaliseMark(out);
  out = braceSingleDrop(out);
  if (out.includes('vmap')) out = groupVmapElements(out);
  if (out.includes('iifname') || out.includes('oifname')) out = bareInterfaceNames(out);
  return out;
}

const BITWISE: Readonly<Record<string, string>> = { '|': 'or', '^': 'xor', '&': 'and' };

function normaliseMark(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === 'meta' && words[i + 1] === 'mark') continue;
    const prev = out[out.length - 1];
    const op = BITWISE[w];
    if (op !== undefined && prev === 'mark') {
      out.push(op);
      continue;
    }
    // `mark and M == 0x00000000`: kube-proxy compares with `0`.
    if (/^0x0+$/.test(w) && prev === '==' && out[out.length - 4] === 'mark' && out[out.length - 3] === 'and') {
      out.push('0');
      continue;
    }
    out.push(w);
  }
  return out;
}

const ADDRESS = /^[0-9a-fA-F.:]+(?:\/\d+)?$/;

/** `ip saddr [!=] ADDR drop …` at the start of a rule: kube-proxy writes the address as a set. */
function braceSingleDrop(words: string[]): string[] {
  if ((words[0] !== 'ip' && words[0] !== 'ip6') || (words[1] !== 'saddr' && words[1] !== 'daddr')) return words;
  const at = words[2] === '!=' ? 3 : 2;
  const value = words[at];
  if (value === undefined || !ADDRESS.test(value) || !/[.:]/.test(value) || words[at + 1] !== 'drop') return words;
  return [...words.slice(0, at), '{', value, '}', ...words.slice(at + 1)];
}

/** `vmap { 0 : goto a , 1 : goto b }`: each element one word, as the model keeps it. */
function groupVmapElements(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    out.push(w);
    if (w !== 'vmap' || words[i + 1] !== '{') continue;
    const close = words.indexOf('}', i + 2);
    if (close < 0) continue;
    out.push('{');
    let item: string[] = [];
    for (const x of words.slice(i + 2, close)) {
      if (x === ',') {
        if (item.length > 0) out.push(item.join(' '));
        out.push(',');
        item = [];
      } else item.push(x);
    }
    if (item.length > 0) out.push(item.join(' '));
    out.push('}');
    i = close;
  }
  return out;
}

/** `iifname [!=] "eth0"`: the name bare where kube-proxy writes it bare (`src/kube/nft-interface-name.ts`). */
function bareInterfaceNames(words: string[]): string[] {
  const out = [...words];
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== 'iifname' && out[i] !== 'oifname') continue;
    const at = out[i + 1] === '!=' ? i + 2 : i + 1;
    const w = out[at];
    if (w === undefined || !/^"[^"\\]*"$/.test(w)) continue;
    const name = w.slice(1, -1);
    const bare = name.endsWith('*') ? nftInterfacePrefix(name.slice(0, -1)) : nftInterfaceName(name);
    if (bare === name) out[at] = name;
  }
  return out;
}
