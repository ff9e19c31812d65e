import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortIndexRange } from './sort-by-name.js';

function sortByName<T>(items: readonly T[], nameOf: (t: T) => string): T[] {
  const order = Int32Array.from(items.keys());
  sortIndexRange(items.map(nameOf), order, 0, items.length);
  return Array.from(order, (i) => items[i] as T);
}

/** The order sortByName promises: code unit order, ties in the order given. */
function reference<T>(items: readonly T[], nameOf: (t: T) => string): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => {
      const x = nameOf(a.item);
      const y = nameOf(b.item);
      return x < y ? -1 : x > y ? 1 : a.i - b.i;
    })
    .map((e) => e.item);
}

const name = fc.oneof(
  // Chain names: a shared prefix, then hash characters.
  fc.tuple(fc.constantFrom('KUBE-SEP-', 'KUBE-SVC-', 'KUBE-', ''), fc.string({ unit: fc.constantFrom(...'ABCXYZ2345'), maxLength: 6 })).map(([p, h]) => p + h),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);

describe('sortIndexRange', () => {
  it('sorts in code unit order, stably, whatever the names', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 300 }), (names) => {
        const items = names.map((n, i) => ({ n, i }));
        expect(sortByName(items, (x) => x.n)).toEqual(reference(items, (x) => x.n));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts a large set of chain names that differ only after a long prefix', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `KUBE-SEP-${((i * 7919) % 5000).toString(32).toUpperCase().padStart(4, 'A')}`);
    const items = [...names, ...names].map((n, i) => ({ n, i }));
    expect(sortByName(items, (x) => x.n)).toEqual(reference(items, (x) => x.n));
  });

  it('puts a name before the longer names it begins', () => {
    expect(sortByName(['KUBE-SEP-AB', 'KUBE-SEP-A', 'KUBE-SEP-', 'KUBE-SEP-A'], (x) => x)).toEqual(['KUBE-SEP-', 'KUBE-SEP-A', 'KUBE-SEP-A', 'KUBE-SEP-AB']);
  });
});
