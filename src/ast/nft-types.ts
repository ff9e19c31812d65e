/**
 * An nftables rule set as kube-proxy's nftables mode writes it: one table with its chains, sets
 * and maps, the rules of each chain and the elements of each set and map. Rule bodies are kept
 * as the words kube-proxy joins (knftables writes them separated by single spaces).
 */

export type NftFamily = 'ip' | 'ip6';

export interface NftBaseChain {
  type: 'filter' | 'nat';
  hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
  priority: number;
}

export interface NftRule {
  /** The rule's statements, as words. */
  words: string[];
  comment?: string;
}

export interface NftChain {
  name: string;
  base?: NftBaseChain;
  comment?: string;
  rules: NftRule[];
}

export interface NftElement {
  /** The key's parts, joined by ` . `. */
  key: string[];
  comment?: string;
  /** A map element's value (`goto CHAIN`, `drop`). */
  value?: string;
}

export interface NftSet {
  name: string;
  /** A set, or a map (whose type names the value after ` : `). */
  kind: 'set' | 'map';
  type: string;
  flags?: string[];
  /** In seconds. */
  timeout?: number;
  comment?: string;
  elements: NftElement[];
}

export interface NftRuleSet {
  kind: 'nft';
  family: NftFamily;
  table: string;
  tableComment?: string;
  chains: NftChain[];
  sets: NftSet[];
}
