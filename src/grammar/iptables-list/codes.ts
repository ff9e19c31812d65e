/**
 * Diagnostic codes of the `iptables -L` listing parser. Errors drop the offending line (or row)
 * and parsing goes on at the next one; warnings and notes keep everything.
 */
export const LIST_CODES = {
  /** warning: match text not understood; kept on the rule as a `--rulec-unparsed` argument. */
  unparsed: 'RC230',
  /** error: a rule row whose columns do not fit the column header. */
  badRow: 'RC231',
  /** error: a rule row before any `Chain` line or column header. */
  orphanRow: 'RC232',
  /** error: a `Chain` line that is not `Chain NAME (policy P …)` or `Chain NAME (N references)`. */
  badChain: 'RC233',
  /**
   * error: a packet or byte counter that is not a number (with an optional K/M/G/T suffix);
   * warning: a counter too large to be kept exactly (above 2^53).
   */
  badCounter: 'RC234',
  /** warning: a line that is not part of a listing (a pasted `---`, a prompt, `...`). */
  stray: 'RC235',
  /** note: the listing does not say which table it shows; the table was inferred. */
  tableInferred: 'RC236',
  /** warning: a `--line-numbers` rule number out of sequence (rows missing or reordered). */
  lineNumber: 'RC237',
  /** error: a control character or an invalid byte (U+FFFD) in a line; the line is skipped. */
  strayByte: 'RC238',
  /** error: a column header line that is not one iptables prints. */
  badHeader: 'RC239',
} as const;
