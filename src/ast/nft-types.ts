import type { Counters, Fidelity, SourcePos } from './types.js';

/**
 * An nftables rule set: one table with its chains, sets and maps, the rules of each chain and the
 * elements of each set and map — the table kube-proxy's nftables mode writes, or any table an
 * `nft list` listing shows (iptables-nft's `ip nat`, …). Rule bodies are kept as the words
 * kube-proxy joins (knftables writes them separated by single spaces).
 *
 * A rule set read from text keeps where each part stood (`pos`) and what a listing adds: the
 * handles of `nft -a`, counters, a set's `size`, a base chain's `policy`.
 */

export type NftFamily = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';

export interface NftBaseChain {
  type: 'filter' | 'nat' | 'route';
  hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress' | 'egress';
  priority: number;
  /** `device NAME` of a netdev chain. */
  device?: string;
  /** `policy accept;` as a listing shows it for every base chain (kube-proxy writes none). */
  policy?: 'accept' | 'drop';
}

export interface NftRule {
  /** The rule's statements, as words. */
  words: string[];
  comment?: string;
  /** `# handle N` of `nft -a list`. */
  handle?: number;
  /** `counter packets N bytes M`: the words keep `counter`, the numbers are here. */
  counters?: Counters;
  pos?: SourcePos;
}

export interface NftChain {
  name: string;
  base?: NftBaseChain;
  comment?: string;
  rules: NftRule[];
  handle?: number;
  pos?: SourcePos;
}

export interface NftElement {
  /** The key's parts, joined by ` . `. */
  key: string[];
  comment?: string;
  /** A map element's value (`goto CHAIN`, `drop`). */
  value?: string;
  /** Other words a listing prints after the key (`timeout 3h expires 2h59m`, `counter packets 1 bytes 60`), as written. */
  options?: string[];
  pos?: SourcePos;
}

export interface NftSet {
  name: string;
  /** A set, or a map (whose type names the value after ` : `). */
  kind: 'set' | 'map';
  type: string;
  flags?: string[];
  /** In seconds. */
  timeout?: number;
  /** `size N`: a listing shows 65535 for a dynamic set that was given none. */
  size?: number;
  comment?: string;
  elements: NftElement[];
  handle?: number;
  pos?: SourcePos;
}

export interface NftRuleSet {
  kind: 'nft';
  family: NftFamily;
  table: string;
  tableComment?: string;
  chains: NftChain[];
  sets: NftSet[];
  /** `compiled`, or the format the rule set was read from (`nft`). */
  origin: string;
  fidelity: Fidelity;
  /** When `fidelity` is `lossy`: what the text hides, one reason each. */
  lossyBecause?: string[];
  /** Set when the text holds only part of the table (the author cut it, `...`): why. */
  excerpt?: string;
  /** `# handle N` of the table in `nft -a list`. */
  handle?: number;
  /** Set when the text does not name the table (a chain block copied alone): what the table was inferred from. */
  inferredFrom?: string;
  pos?: SourcePos;
}
