import { describe, expect, it } from 'vitest';
import { evenSplitOf } from './probability.js';

describe('evenSplitOf', () => {
  it.each([
    ['0.3333333333', 3, 'written'],
    ['0.33333', 3, 'written-old'],
    ['0.33333333349', 3, 'saved'],
    ['0.33332999982', 3, 'saved-old'],
    ['0.50000000000', 2, 'saved'],
    ['0.5000000000', 2, 'written'],
    ['0.1428571429', 7, 'written'],
    ['0.0004882812', 2048, 'written'],
  ] as const)('%s is 1/%i (%s)', (text, n, form) => {
    expect(evenSplitOf(text)).toMatchObject({ n, form });
  });

  it('reads no even split into other texts, nor into five decimals that several n share', () => {
    for (const text of ['0.4', '0.30000', '0.33', '1', 'abc', '0', '0.00000', '0.00100']) expect(evenSplitOf(text), text).toBeUndefined();
  });
});
