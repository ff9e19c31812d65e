import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE_BLOCK_BYTES, sha256Short } from './sha256-short.js';

const hex = (d: Int32Array) => [...d].map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
const reference = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('sha256Short', () => {
  it('gives the FIPS 180-4 test digests', () => {
    const d = new Int32Array(8);
    expect(sha256Short('abc', d)).toBe(true);
    expect(hex(d)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Short('', d)).toBe(true);
    expect(hex(d)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('agrees with the crypto library on every ASCII string of up to 55 characters', () => {
    const d = new Int32Array(8);
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: ONE_BLOCK_BYTES }), (s) => {
        expect(sha256Short(s, d)).toBe(true);
        expect(hex(d)).toBe(reference(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('declines longer strings and strings beyond ASCII, leaving the digest alone', () => {
    const d = new Int32Array(8).fill(7);
    expect(sha256Short('a'.repeat(56), d)).toBe(false);
    expect(sha256Short('ns/é:80tcp', d)).toBe(false);
    expect([...d]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  });

  it('handles the padding at each length around the block boundary', () => {
    const d = new Int32Array(8);
    for (let n = 50; n <= ONE_BLOCK_BYTES; n++) {
      const s = 'x'.repeat(n);
      expect(sha256Short(s, d)).toBe(true);
      expect(hex(d)).toBe(reference(s));
    }
  });
});
