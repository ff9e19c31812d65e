/**
 * Sorts order[lo, hi), indexes into `names`, by name, stably (equal names keep their order):
 * UTF-16 code unit order as `a < b` compares, byte order for the ASCII names of chains.
 *
 * A large cluster has a hundred thousand per-service chains whose names differ only after a
 * long common prefix (`KUBE-SEP-`), in hash characters. A comparison sort calls its comparator
 * two million times for them; this most-significant-digit radix sort looks at each character
 * a few times.
 */
export function sortIndexRange(names: readonly string[], order: Int32Array, lo: number, hi: number): void {
  if (hi - lo > 1) new RadixSort(names, order).sort(lo, hi, 0);
}

/** Below this many items a range is sorted by insertion. */
const SMALL = 24;
/** Bucket 0 holds the names that end at the current depth; bucket c + 1 the character c. */
const BUCKETS = 257;

class RadixSort {
  private readonly scratch: Int32Array;
  private readonly counts = new Int32Array(BUCKETS + 1);

  constructor(
    private readonly names: readonly string[],
    private readonly order: Int32Array,
  ) {
    this.scratch = new Int32Array(order.length);
  }

  /** Sorts order[lo, hi), whose names are known to agree on their first `depth` characters. */
  sort(lo: number, hi: number, depth: number): void {
    const { names, order } = this;
    for (;;) {
      if (hi - lo < SMALL) {
        this.insertionSort(lo, hi, depth);
        return;
      }
      // Count each range's characters at `depth`; a character beyond Latin-1 sends the range to
      // the comparison sort (chain names are ASCII; any other name is still sorted right).
      const counts = new Int32Array(BUCKETS);
      let single = -1;
      let distinct = 0;
      for (let i = lo; i < hi; i++) {
        const name = names[order[i] as number] as string;
        const b = depth < name.length ? name.charCodeAt(depth) + 1 : 0;
        if (b >= BUCKETS) {
          this.comparisonSort(lo, hi);
          return;
        }
        if ((counts[b] as number)++ === 0) {
          distinct++;
          single = b;
        }
      }
      if (distinct === 1) {
        // One bucket: every name has the same character here (or all end, and are equal).
        if (single === 0) return;
        depth++;
        continue;
      }
      this.distribute(lo, hi, depth, counts);
      let start = lo + (counts[0] as number);
      for (let b = 1; b < BUCKETS; b++) {
        const size = counts[b] as number;
        if (size > 1) this.sort(start, start + size, depth + 1);
        start += size;
      }
      return;
    }
  }

  /** Moves order[lo, hi) into bucket order, keeping the order within each bucket. */
  private distribute(lo: number, hi: number, depth: number, counts: Int32Array): void {
    const { names, order, scratch } = this;
    const next = this.counts;
    let at = lo;
    for (let b = 0; b < BUCKETS; b++) {
      next[b] = at;
      at += counts[b] as number;
    }
    for (let i = lo; i < hi; i++) {
      const item = order[i] as number;
      const name = names[item] as string;
      const b = depth < name.length ? name.charCodeAt(depth) + 1 : 0;
      scratch[(next[b] as number)++] = item;
    }
    order.set(scratch.subarray(lo, hi), lo);
  }

  private insertionSort(lo: number, hi: number, depth: number): void {
    const { names, order } = this;
    for (let i = lo + 1; i < hi; i++) {
      const item = order[i] as number;
      const name = names[item] as string;
      let j = i - 1;
      while (j >= lo && compareFrom(names[order[j] as number] as string, name, depth) > 0) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = item;
    }
  }

  private comparisonSort(lo: number, hi: number): void {
    const { names } = this;
    const part = Array.from(this.order.subarray(lo, hi));
    part.sort((a, b) => {
      const x = names[a] as string;
      const y = names[b] as string;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    this.order.set(part, lo);
  }
}

/** Compares two names that agree on their first `depth` characters. */
function compareFrom(a: string, b: string, depth: number): number {
  const n = Math.min(a.length, b.length);
  for (let i = depth; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
