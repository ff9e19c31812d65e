/** Diagnostic codes of the nftables reader (`nft list` listings and `nft -f` input). */
export const NftCode = {
  /** A token the grammar does not take where it stands; a part missing. */
  syntax: 'RC270',
  /** A quote never closed, a control character or a character nft text never holds. */
  badCharacter: 'RC271',
  /** A command `nft -f` text does not hold (`list`, `monitor`, …) or a statement outside any table. */
  badCommand: 'RC272',
  /** A chain, set, map, rule or element for a table, chain, set or map never declared. */
  undeclared: 'RC273',
  /** A table, chain, set or map declared twice with other properties. */
  duplicate: 'RC274',
  /** A number, priority, timeout or handle that is not one. */
  badNumber: 'RC275',
  /** An object rulec does not model (flowtable, counter, quota, ct helper, …): skipped. */
  unsupported: 'RC276',
  /** A block never closed: the text ends before its `}`. */
  unclosed: 'RC277',
  /** An unknown family, chain type or hook. */
  badName: 'RC278',
  /** `flush` / `delete` commands: read as changes to what was declared above. */
  change: 'RC279',
  /** A chain block copied without its table: the table is inferred from the chain (a note). */
  tableInferred: 'RC280',
} as const;
