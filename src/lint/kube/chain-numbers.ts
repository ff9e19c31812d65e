import { KUBE_CHAIN_KINDS, kubeChainKind } from '../../kube/chain-kind.js';
import { sha256Head } from '../../kube/chain-names.js';

/**
 * The numbers of a table's chains by name. kube-proxy's per-service chains make up nearly all of
 * a large dump's 100,000 chains, and their names (`KUBE-SEP-` and 16 base32 characters) end in
 * 80 bits of a SHA-256, which serve as their own hash: such a name is decoded once and looked up
 * in typed arrays, with no string hashed or compared (jumps to these chains are most of a dump's
 * rules). What a name decodes to is kept, so checking the name against what the chain serves
 * (`hashPartMatches`) reads no name again. Other names are kept in a Map.
 */

/** The kinds of `KUBE-<kind>-<hash>` names, by code (1-based; 0 for any other name). */
export const KINDS = KUBE_CHAIN_KINDS;
export type KindCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const BASE32 = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) BASE32['ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.charCodeAt(i)] = i;

/**
 * A name decoded by `decode`: 30 bits of the first six hash characters, 30 of the next six, and
 * 20 of the last four with the kind code above them. Two such names are equal exactly when the
 * three words are.
 */
const key = new Int32Array(3);

/** The kind code of `KUBE-<kind>-` and 16 more characters (the whole of `name`), or 0. */
function kindCode(name: string): number {
  const kind = kubeChainKind(name);
  return kind !== undefined && name.length === 'KUBE-'.length + kind.length + 17 ? KINDS.indexOf(kind) + 1 : 0;
}

/** The value of `count` base32 characters of `name` from `at`, or -1 if one is not base32. */
function base32(name: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = name.charCodeAt(i);
    const d = c < 128 ? (BASE32[c] as number) : -1;
    if (d < 0) return -1;
    v = (v << 5) | d;
  }
  return v;
}

/** Decodes a `KUBE-<kind>-<hash>` name into `key`; false for any other name. */
function decode(name: string): boolean {
  if (name.length !== 24 && name.length !== 25) return false;
  const kind = kindCode(name);
  if (kind === 0) return false;
  const at = name.length - 16;
  const a = base32(name, at, 6);
  const b = a < 0 ? -1 : base32(name, at + 6, 6);
  const c = b < 0 ? -1 : base32(name, at + 12, 4);
  if (c < 0) return false;
  key[0] = a;
  key[1] = b;
  key[2] = c | (kind << 20);
  return true;
}


/** Slots of the open-addressing table: chain number + 1 (0 in a free slot), then its key. */
const SLOT = 4;

export class ChainNumbers {
  private readonly others = new Map<string, number>();
  /** The table: each name's slot holds its number and its key, so a probe reads one cache line. */
  private readonly slots: Int32Array;
  /** Per chain number: its decoded name (all zero for a name that is not `KUBE-<kind>-<hash>`). */
  private readonly keys: Int32Array;

  /** For up to `capacity` chains, numbered from 0. */
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size * SLOT);
    this.keys = new Int32Array(capacity * 3);
  }

  /** Gives chain `name` number `n` unless the name has one already; whether it did. */
  add(name: string, n: number): boolean {
    if (!decode(name)) {
      if (this.others.has(name)) return false;
      this.others.set(name, n);
      return true;
    }
    const slot = this.find();
    if ((this.slots[slot] as number) !== 0) return false;
    this.slots[slot] = n + 1;
    this.slots.set(key, slot + 1);
    this.keys.set(key, n * 3);
    return true;
  }

  get(name: string): number | undefined {
    if (!decode(name)) return this.others.get(name);
    const n = (this.slots[this.find()] as number) - 1;
    return n < 0 ? undefined : n;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The kind code of chain `n` when its name is `KUBE-<kind>-` and 16 base32 characters, else 0. */
  kindCode(n: number): KindCode {
    return (((this.keys[n * 3 + 2] as number) >>> 20) & 7) as KindCode;
  }

  /**
   * Whether chain `n`'s name is `KUBE-<kind>-` and the 16 base32 characters kube-proxy writes for
   * `input` (the first 80 bits of its SHA-256). Nothing is hashed for any other name.
   */
  hashPartMatches(n: number, input: string): boolean {
    if (this.kindCode(n) === 0) return false;
    const d = sha256Head(input);
    // The key holds bits 0-29, 30-59 and 60-79 of the 80: the digest's first ten bytes.
    const { keys } = this;
    const b0 = d[0] as number, b1 = d[1] as number, b2 = d[2] as number, b3 = d[3] as number, b4 = d[4] as number;
    const b5 = d[5] as number, b6 = d[6] as number, b7 = d[7] as number, b8 = d[8] as number, b9 = d[9] as number;
    const a = (b0 << 22) | (b1 << 14) | (b2 << 6) | (b3 >>> 2);
    const b = ((b3 & 3) << 28) | (b4 << 20) | (b5 << 12) | (b6 << 4) | (b7 >>> 4);
    const c = ((b7 & 15) << 16) | (b8 << 8) | b9;
    return keys[n * 3] === a && keys[n * 3 + 1] === b && ((keys[n * 3 + 2] as number) & 0xfffff) === c;
  }

  /** The slot of the decoded `key` (its index in `slots`): the one holding it, or the free one where it goes. */
  private find(): number {
    const { slots } = this;
    const mask = slots.length / SLOT - 1;
    const a = key[0] as number;
    const b = key[1] as number;
    const c = key[2] as number;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const slot = i * SLOT;
      if (slots[slot] === 0 || (slots[slot + 1] === a && slots[slot + 2] === b && slots[slot + 3] === c)) return slot;
    }
  }
}
