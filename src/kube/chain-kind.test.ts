import { describe, expect, it } from 'vitest';
import { isKubeChain, kubeChainKind } from './chain-kind.js';

describe('kubeChainKind', () => {
  it.each([
    ['KUBE-SVC-TCOU7JCQXEZGVUNU', 'SVC'],
    ['KUBE-SEP-ABCDEFGHIJKLMNOP', 'SEP'],
    ['KUBE-EXT-X', 'EXT'],
    ['KUBE-FW-X', 'FW'],
    ['KUBE-SVL-X', 'SVL'],
    ['KUBE-XLB-X', 'XLB'],
    ['KUBE-SERVICES', undefined],
    ['KUBE-SVCX-A', undefined],
    ['KUBE-SEP', undefined],
    ['KUBE-MARK-MASQ', undefined],
    ['kube-svc-x', undefined],
  ])('%s is %s', (name, kind) => {
    expect(kubeChainKind(name)).toBe(kind);
  });

  it('tests a name against some kinds, or any', () => {
    expect(isKubeChain('KUBE-SEP-X')).toBe(true);
    expect(isKubeChain('KUBE-SEP-X', 'SVC', 'SVL')).toBe(false);
    expect(isKubeChain('KUBE-SVL-X', 'SVC', 'SVL')).toBe(true);
    expect(isKubeChain('KUBE-NODEPORTS')).toBe(false);
  });
});
