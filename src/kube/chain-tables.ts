import { kubeChainKind } from './chain-kind.js';

/**
 * Which iptables table kube-proxy (iptables and IPVS modes) and kubelet keep their chains and
 * jumps in, for a reader that must tell the table of a text that does not name it
 * (`iptables -L`, `iptables -S`). Only what holds in one table alone is answered: KUBE-SERVICES
 * and KUBE-NODEPORTS are in nat and filter, the canaries in mangle, nat and filter, and
 * KUBE-FIREWALL is kubelet's filter chain but the IPVS proxier's nat chain before Kubernetes 1.26.
 */
export type KubeTable = 'nat' | 'filter' | 'mangle';

const ONE_TABLE_CHAINS: ReadonlyMap<string, KubeTable> = new Map<string, KubeTable>([
  ['KUBE-MARK-MASQ', 'nat'],
  ['KUBE-MARK-DROP', 'nat'],
  ['KUBE-POSTROUTING', 'nat'],
  ['KUBE-LOAD-BALANCER', 'nat'],
  ['KUBE-FORWARD', 'filter'],
  ['KUBE-PROXY-FIREWALL', 'filter'],
  ['KUBE-EXTERNAL-SERVICES', 'filter'],
  ['KUBE-SOURCE-RANGES-FIREWALL', 'filter'],
  ['KUBE-IPVS-FILTER', 'filter'],
  ['KUBE-IPVS-OUT-FILTER', 'filter'],
  ['KUBE-IPTABLES-HINT', 'mangle'],
]);

/**
 * The one table a chain of this name is in: nat for the per-service chains (KUBE-SVC-, -SVL-,
 * -SEP-, -EXT-, -FW-, -XLB-), KUBE-MARK-MASQ, KUBE-MARK-DROP, KUBE-POSTROUTING and
 * KUBE-LOAD-BALANCER; filter for KUBE-FORWARD, KUBE-PROXY-FIREWALL, KUBE-EXTERNAL-SERVICES and
 * the IPVS filter chains; mangle for KUBE-IPTABLES-HINT. Undefined for any other name.
 */
export function kubeChainTable(name: string): KubeTable | undefined {
  if (!name.startsWith('KUBE-')) return undefined;
  if (kubeChainKind(name) !== undefined) return 'nat';
  return ONE_TABLE_CHAINS.get(name);
}

/** `from → to → table` for the jumps only one table holds. */
const ONE_TABLE_JUMPS: ReadonlyMap<string, ReadonlyMap<string, KubeTable>> = new Map<string, ReadonlyMap<string, KubeTable>>([
  // filter has no PREROUTING; mangle and raw get no jump to KUBE-SERVICES.
  ['PREROUTING', new Map<string, KubeTable>([['KUBE-SERVICES', 'nat']])],
  // The node-port dispatch; filter's KUBE-NODEPORTS (health check ports) is jumped to from INPUT.
  [
    'KUBE-SERVICES',
    new Map<string, KubeTable>([
      ['KUBE-NODEPORTS', 'nat'],
      ['KUBE-NODE-PORT', 'nat'],
    ]),
  ],
  [
    'INPUT',
    new Map<string, KubeTable>([
      ['KUBE-NODEPORTS', 'filter'],
      ['KUBE-NODE-PORT', 'filter'],
      ['KUBE-FIREWALL', 'filter'],
    ]),
  ],
  ['OUTPUT', new Map<string, KubeTable>([['KUBE-FIREWALL', 'filter']])],
  ['FORWARD', new Map<string, KubeTable>([['KUBE-SERVICES', 'filter']])],
]);

/**
 * The one table a jump kube-proxy or kubelet writes from chain `from` to chain `to` is in, e.g.
 * nat for PREROUTING → KUBE-SERVICES, filter for INPUT → KUBE-FIREWALL; undefined otherwise
 * (OUTPUT → KUBE-SERVICES is in nat and in filter).
 */
export function kubeJumpTable(from: string, to: string): KubeTable | undefined {
  return ONE_TABLE_JUMPS.get(from)?.get(to);
}
