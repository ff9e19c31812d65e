import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash16 } from '../../kube/chain-names.js';
import { ChainNumbers } from './chain-numbers.js';

/** Numbers `names` in order (the first of two equal names keeps its number). */
function numbered(names: readonly string[]): ChainNumbers {
  const numbers = new ChainNumbers(names.length);
  names.forEach((name, n) => numbers.add(name, n));
  return numbers;
}

describe('ChainNumbers', () => {
  it('numbers per-service chain names and any other name alike', () => {
    const names = ['KUBE-SERVICES', 'KUBE-SVC-XPGD46QRK7WJZT7O', 'KUBE-SEP-SXIVWICOYRO3J4NJ', 'KUBE-FW-XPGD46QRK7WJZT7O', 'KUBE-SEP-custom', 'cali-INPUT'];
    const numbers = numbered(names);
    names.forEach((name, n) => expect(numbers.get(name)).toBe(n));
    expect(numbers.get('KUBE-SVL-XPGD46QRK7WJZT7O')).toBeUndefined();
    expect(numbers.get('KUBE-SEP-SXIVWICOYRO3J4NI')).toBeUndefined();
    expect(numbers.has('KUBE-SEP-SXIVWICOYRO3J4NJ')).toBe(true);
    expect(numbers.has('DNAT')).toBe(false);
  });
  it('keeps the first number of a name given twice', () => {
    const numbers = new ChainNumbers(4);
    expect(numbers.add('KUBE-SEP-SXIVWICOYRO3J4NJ', 0)).toBe(true);
    expect(numbers.add('KUBE-SEP-SXIVWICOYRO3J4NJ', 1)).toBe(false);
    expect(numbers.add('KUBE-MARK-MASQ', 2)).toBe(true);
    expect(numbers.add('KUBE-MARK-MASQ', 3)).toBe(false);
    expect(numbers.get('KUBE-SEP-SXIVWICOYRO3J4NJ')).toBe(0);
    expect(numbers.get('KUBE-MARK-MASQ')).toBe(2);
  });
  it('agrees with a Map on any names', () => {
    const hashPart = fc.stringMatching(/^[A-Z2-7]{16}$/);
    const name = fc.oneof(
      fc.tuple(fc.constantFrom('SVC', 'SEP', 'EXT', 'SVL', 'FW', 'XLB', 'SVX', 'S'), hashPart).map(([k, h]) => `KUBE-${k}-${h}`),
      fc.tuple(fc.constantFrom('SVC', 'SEP'), fc.string({ maxLength: 17 })).map(([k, h]) => `KUBE-${k}-${h}`),
      fc.string({ maxLength: 26 }),
    );
    fc.assert(
      fc.property(fc.array(name, { maxLength: 40 }), fc.array(name, { maxLength: 10 }), (names, probes) => {
        const map = new Map<string, number>();
        names.forEach((n, i) => {
          if (!map.has(n)) map.set(n, i);
        });
        const numbers = numbered(names);
        for (const n of [...names, ...probes]) expect(numbers.get(n)).toBe(map.get(n));
      }),
    );
  });
  it('tells the kind of a per-service chain name', () => {
    const numbers = numbered(['KUBE-SVC-XPGD46QRK7WJZT7O', 'KUBE-SEP-SXIVWICOYRO3J4NJ', 'KUBE-FW-XPGD46QRK7WJZT7O', 'KUBE-SEP-custom', 'KUBE-SERVICES']);
    expect([0, 1, 2, 3, 4].map((n) => numbers.kindCode(n))).toEqual([1, 2, 5, 0, 0]);
  });
  it('checks a name against its hash input as hash16 does', () => {
    const numbers = numbered(['KUBE-SVC-XPGD46QRK7WJZT7O', 'KUBE-SEP-SXIVWICOYRO3J4NJ', 'KUBE-SEP-custom']);
    expect(numbers.hashPartMatches(0, 'ns1/svc1:p80tcp')).toBe(true);
    expect(numbers.hashPartMatches(1, 'ns1/svc1:p80tcp10.180.0.1:80')).toBe(true);
    expect(numbers.hashPartMatches(1, 'ns1/svc1:p80tcp10.180.0.2:80')).toBe(false);
    expect(numbers.hashPartMatches(2, 'ns1/svc1:p80tcp10.180.0.1:80')).toBe(false);
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom('SVC', 'SEP', 'EXT', 'SVL', 'FW', 'XLB'), (a, b, kind) => {
        const n = numbered([`KUBE-${kind}-${hash16(a)}`]);
        expect(n.hashPartMatches(0, a)).toBe(true);
        expect(n.hashPartMatches(0, b)).toBe(hash16(b) === hash16(a));
      }),
    );
  });
});
