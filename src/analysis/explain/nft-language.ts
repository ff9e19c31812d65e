import type { NftChainRole, NftRuleKind, NftTableKind } from './nft-classify.js';

/** Everything explain says about kube-proxy's nftables table, in one language. */
export interface NftLanguage {
  table: (family: string, name: string, chains: number, sets: number, kind: NftTableKind) => string;
  chain: (role: NftChainRole) => string;
  rule: (kind: NftRuleKind) => string;
  set: (name: string, kind: 'set' | 'map', comment: string | undefined, elements: number) => string;
  element: (set: string, key: string, verdict: string, role: NftChainRole | undefined) => string;
}
