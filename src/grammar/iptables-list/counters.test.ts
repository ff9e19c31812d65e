import { describe, expect, it } from 'vitest';
import { parseCounter } from './counters.js';

describe('parseCounter', () => {
  it('reads exact counters and K/M/G/T-rounded ones in powers of 1000', () => {
    expect(parseCounter('0')).toEqual({ value: 0, rounded: false });
    expect(parseCounter('99999')).toEqual({ value: 99_999, rounded: false });
    expect(parseCounter('9876543210123')).toEqual({ value: 9_876_543_210_123, rounded: false });
    expect(parseCounter('1859K')).toEqual({ value: 1_859_000, rounded: true });
    expect(parseCounter('112M')).toEqual({ value: 112_000_000, rounded: true });
    expect(parseCounter('9877G')).toEqual({ value: 9_877_000_000_000, rounded: true });
    expect(parseCounter('3T')).toEqual({ value: 3_000_000_000_000, rounded: true });
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'K', '12X', '1.5K', '-1', '1 2', '0x10', '12k', '१२']) expect(parseCounter(bad), bad).toBeUndefined();
  });
});
