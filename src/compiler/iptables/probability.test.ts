import { describe, expect, it } from 'vitest';
import { probability } from './service-port.js';

describe('probability', () => {
  it.each([
    [1, '1.0000000000'],
    [2, '0.5000000000'],
    [3, '0.3333333333'],
    [10, '0.1000000000'],
    [100, '0.0100000000'],
    [1000, '0.0010000000'],
    [10000, '0.0001000000'],
    [100000, '0.0000100000'],
    [100001, '0.0000099999'],
    // An exact half rounds to even, as Go's %0.10f does.
    [2048, '0.0004882812'],
  ])('1/%i prints as %s', (n, want) => {
    expect(probability(n)).toBe(want);
  });
});
