import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpointChainName, hash16, isServiceChainName, serviceChainName, serviceChainNames, sha256Head, sha256HeadInJs } from './chain-names.js';

/** RFC 4648 base32 of the digest, cut to 16 characters: the definition, written the slow way. */
function referenceHash16(input: string): string {
  const bits = [...createHash('sha256').update(input, 'utf8').digest()].map((b) => b.toString(2).padStart(8, '0')).join('');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let i = 0; i < 80; i += 5) out += alphabet[Number.parseInt(bits.slice(i, i + 5), 2)];
  return out;
}

describe('chain names', () => {
  it.each([
    ['ns1/svc1:p80tcp', 'XPGD46QRK7WJZT7O'],
    ['ns1/svc1:p80tcp10.180.0.1:80', 'SXIVWICOYRO3J4NJ'],
    ['ns1/svc1:p80sctp', 'GFCIFIA5VTFSTMSM'],
    ['ns1/svc1:p80tcp[ff06::c1]:80', 'LIGRYQQLSZN4UWQ5'],
    ['default/adbops-service:httptcp', 'TXDRYUK3PIVY2MYX'],
    ['default/nginx-pod08tcp', 'DDZHMK5AO3JF6KIZ'],
    ['default/uim-service:tcp', 'AZHJEWGPJBDBI6EL'],
  ])('hash16(%s) = %s', (input, want) => {
    expect(hash16(input)).toBe(want);
  });

  it('matches the definition for any input: short ASCII, past one hash block, beyond ASCII', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ minLength: 50, maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 30 })), (s) => {
        expect(hash16(s)).toBe(referenceHash16(s));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the first ten digest bytes the same way with and without the one-shot hash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ minLength: 50, maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 30 })), (s) => {
        const want = [...createHash('sha256').update(s, 'utf8').digest().subarray(0, 10)];
        expect([...sha256Head(s)]).toEqual(want);
        expect([...sha256HeadInJs(s).subarray(0, 10)]).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });

  it('names the four chains of a service port from one hash', () => {
    expect(serviceChainNames('ns1/svc1:p80', 'TCP')).toEqual({
      svc: 'KUBE-SVC-XPGD46QRK7WJZT7O',
      svl: 'KUBE-SVL-XPGD46QRK7WJZT7O',
      ext: 'KUBE-EXT-XPGD46QRK7WJZT7O',
      fw: 'KUBE-FW-XPGD46QRK7WJZT7O',
    });
  });

  it('builds prefixed names from the service port name, protocol and endpoint', () => {
    expect(serviceChainName('SVC', 'kube-system/kube-dns:dns', 'UDP')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU');
    expect(serviceChainName('EXT', 'ns1/svc1:p80', 'tcp')).toBe('KUBE-EXT-XPGD46QRK7WJZT7O');
    expect(endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
  });

  it('recognises kube-proxy per-service chains', () => {
    expect(isServiceChainName('KUBE-SEP-SXIVWICOYRO3J4NJ')).toBe(true);
    expect(isServiceChainName('KUBE-XLB-SXIVWICOYRO3J4NJ')).toBe(false);
    expect(isServiceChainName('KUBE-SERVICES')).toBe(false);
  });
});
