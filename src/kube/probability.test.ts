import { describe, expect, it } from 'vitest';
import { probabilityText } from './probability.js';

describe('probabilityText', () => {
  it.each([
    [1, 10, '1.0000000000'],
    [3, 10, '0.3333333333'],
    [7, 10, '0.1428571429'],
    [2048, 10, '0.0004882812'],
    [1, 5, '1.00000'],
    [2, 5, '0.50000'],
    [3, 5, '0.33333'],
    [6, 5, '0.16667'],
    [64, 5, '0.01562'],
    [200001, 5, '0.00000'],
  ] as const)('1/%i with %i decimals is %s', (n, decimals, want) => {
    expect(probabilityText(n, decimals)).toBe(want);
  });

  it('is (1/n).toFixed(d) but for the two exact halves', () => {
    expect(probabilityText(320, 5)).toBe('0.00313');
    for (let n = 1; n < 5000; n++) {
      if (n === 64 || n === 2048) continue;
      expect(probabilityText(n, 10)).toBe((1 / n).toFixed(10));
      expect(probabilityText(n, 5)).toBe((1 / n).toFixed(5));
    }
  });
});
