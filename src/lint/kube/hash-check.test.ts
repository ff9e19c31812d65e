import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash16 } from '../../compiler/chain-names.js';
import { base32ToHex, hashMatches } from './hash-check.js';

describe('chain hash check', () => {
  it('agrees with hash16 on kube-proxy inputs', () => {
    expect(hashMatches(base32ToHex('XPGD46QRK7WJZT7O') ?? '', 'ns1/svc1:p80tcp')).toBe(true);
    expect(hashMatches(base32ToHex('SXIVWICOYRO3J4NJ') ?? '', 'ns1/svc1:p80tcp10.180.0.1:80')).toBe(true);
    expect(hashMatches(base32ToHex('SXIVWICOYRO3J4NJ') ?? '', 'ns1/svc1:p80tcp10.180.0.2:80')).toBe(false);
  });
  it('accepts exactly the name hash16 builds, for any input', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const name = hash16(a);
        expect(hashMatches(base32ToHex(name) ?? '', a)).toBe(true);
        expect(hashMatches(base32ToHex(name) ?? '', b)).toBe(hash16(b) === name);
      }),
    );
  });
  it('rejects what is not 16 base32 characters', () => {
    expect(base32ToHex('XPGD46QRK7WJZT7')).toBeUndefined();
    expect(base32ToHex('XPGD46QRK7WJZT70')).toBeUndefined();
    expect(base32ToHex('xpgd46qrk7wjzt7o')).toBeUndefined();
  });
});
