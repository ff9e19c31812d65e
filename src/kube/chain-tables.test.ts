import { describe, expect, it } from 'vitest';
import { kubeChainTable, kubeJumpTable } from './chain-tables.js';

describe('kubeChainTable', () => {
  it.each([
    ['KUBE-SVC-TCOU7JCQXEZGVUNU', 'nat'],
    ['KUBE-SEP-ABCDEFGHIJKLMNOP', 'nat'],
    ['KUBE-EXT-X', 'nat'],
    ['KUBE-FW-X', 'nat'],
    ['KUBE-SVL-X', 'nat'],
    ['KUBE-XLB-X', 'nat'],
    ['KUBE-MARK-MASQ', 'nat'],
    ['KUBE-MARK-DROP', 'nat'],
    ['KUBE-POSTROUTING', 'nat'],
    ['KUBE-LOAD-BALANCER', 'nat'],
    ['KUBE-FORWARD', 'filter'],
    ['KUBE-PROXY-FIREWALL', 'filter'],
    ['KUBE-EXTERNAL-SERVICES', 'filter'],
    ['KUBE-IPVS-FILTER', 'filter'],
    ['KUBE-IPTABLES-HINT', 'mangle'],
    ['KUBE-SERVICES', undefined],
    ['KUBE-NODEPORTS', undefined],
    ['KUBE-NODE-PORT', undefined],
    ['KUBE-FIREWALL', undefined],
    ['KUBE-KUBELET-CANARY', undefined],
    ['KUBE-PROXY-CANARY', undefined],
    ['DOCKER', undefined],
  ])('%s is in %s', (name, table) => {
    expect(kubeChainTable(name)).toBe(table);
  });
});

describe('kubeJumpTable', () => {
  it.each([
    ['PREROUTING', 'KUBE-SERVICES', 'nat'],
    ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'nat'],
    ['KUBE-SERVICES', 'KUBE-NODE-PORT', 'nat'],
    ['INPUT', 'KUBE-NODEPORTS', 'filter'],
    ['INPUT', 'KUBE-FIREWALL', 'filter'],
    ['OUTPUT', 'KUBE-FIREWALL', 'filter'],
    ['FORWARD', 'KUBE-SERVICES', 'filter'],
    ['OUTPUT', 'KUBE-SERVICES', undefined],
    ['KUBE-SERVICES', 'KUBE-SVC-X', undefined],
    ['POSTROUTING', 'KUBE-FIREWALL', undefined],
  ])('%s -> %s is in %s', (from, to, table) => {
    expect(kubeJumpTable(from, to)).toBe(table);
  });
});
