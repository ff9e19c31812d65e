/**
 * kube-proxy's per-service chains by name: `KUBE-SVC-…` (a service port's cluster-wide
 * endpoints), `KUBE-SVL-…` (its node-local endpoints), `KUBE-EXT-…` (external traffic),
 * `KUBE-FW-…` (load-balancer source ranges), `KUBE-SEP-…` (one endpoint) and the older
 * `KUBE-XLB-…` (external traffic before Kubernetes 1.24).
 */

export type KubeChainKind = 'SVC' | 'SVL' | 'EXT' | 'FW' | 'SEP' | 'XLB';

/** Every kind, in a fixed order (lint numbers kinds by their place here). */
export const KUBE_CHAIN_KINDS: readonly KubeChainKind[] = ['SVC', 'SEP', 'EXT', 'SVL', 'FW', 'XLB'];

/** The kind of a per-service chain name, or undefined for any other name. */
export function kubeChainKind(name: string): KubeChainKind | undefined {
  if (!name.startsWith('KUBE-')) return undefined;
  for (const k of KUBE_CHAIN_KINDS) if (name.startsWith(k, 5) && name.charCodeAt(5 + k.length) === 45 /* - */) return k;
  return undefined;
}

/** Whether `name` is a per-service chain of one of `kinds` (any kind when none is given). */
export function isKubeChain(name: string, ...kinds: KubeChainKind[]): boolean {
  const kind = kubeChainKind(name);
  return kind !== undefined && (kinds.length === 0 || kinds.includes(kind));
}
