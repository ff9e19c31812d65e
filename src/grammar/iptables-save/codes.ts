import { LONG_LINE_CODE, TOO_MANY_ERRORS_CODE } from '../limits.js';

/**
 * Diagnostic codes of the iptables grammars (`iptables-save` / `ip6tables-save` /
 * `iptables-restore` input, and `iptables -S`). Codes are stable: tests and users match on them.
 * The table in `src/grammar/README.md` lists them with an example each.
 */
export const IptCode = {
  /** A token the grammar does not accept where it stands. */
  syntax: 'RC200',
  /** A table section that ends without `COMMIT` (a truncated dump). */
  noCommit: 'RC201',
  /** A line that starts with something no iptables dump line starts with. */
  unknownLine: 'RC202',
  /** A control character or an invalid byte inside a line. */
  strayByte: 'RC203',
  /** A quoted value whose closing quote is missing. */
  unterminatedQuote: 'RC204',
  /** A line longer than any dump line can be; it is skipped unread. */
  lineTooLong: LONG_LINE_CODE,
  /** An option that no loaded match or target can take, or that iptables does not know. */
  unknownOption: 'RC206',
  /** A line out of place: a rule or chain outside a table, `COMMIT` without a table. */
  outsideTable: 'RC207',
  /** A missing or malformed operand: `-A` without a chain, `-I X abc`, `-j` without a target. */
  badOperand: 'RC208',
  /** The same chain declared twice in one table. */
  duplicateChain: 'RC209',
  /** A rule for a chain that was never declared in its table. */
  undeclaredChain: 'RC210',
  /** A command iptables knows but a dump never holds (`-D`, `-R`, `-Z`, `-E`, …). */
  unsupportedCommand: 'RC211',
  /** A `# rulec-ignore-next-line` comment that is not followed by a rule. */
  danglingIgnore: 'RC212',
  /** A `!` that negates nothing. */
  strayNegation: 'RC213',
  /** A table header without a name, or with a name iptables has no table for. */
  badTable: 'RC214',
  /** Counters that are not `[packets:bytes]` / `-c packets bytes` with decimal numbers. */
  badCounters: 'RC215',
  /** note: `iptables -S` text does not name its table; the table was inferred. */
  tableInferred: 'RC216',
  /** note: rule lines that repeat lines of an earlier output of the same table (overlapping excerpts), read once. */
  repeatedLine: 'RC218',
  /** A dump with 1,000 lines that cannot be read: reading stops. */
  tooManyErrors: TOO_MANY_ERRORS_CODE,
} as const;

export type IptCodeValue = (typeof IptCode)[keyof typeof IptCode];
