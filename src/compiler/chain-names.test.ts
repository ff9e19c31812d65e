import { describe, expect, it } from 'vitest';
import { endpointChainName, hash16, isServiceChainName, serviceChainName } from './chain-names.js';

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
