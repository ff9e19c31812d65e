/**
 * Diagnostic codes of the ipvsadm grammars (`ipvsadm -S -n` / `-R` input and `ipvsadm -L`
 * listings). Codes are stable: tests and users match on them.
 */
export const IpvsCode = {
  /** A token the grammar does not accept here: an unknown option, a stray word, a missing value. */
  syntax: 'RC240',
  /** An address or `address:port` that is not one. */
  badAddress: 'RC241',
  /** A number out of range: port, weight, timeout, fwmark, threshold, counter. */
  badNumber: 'RC242',
  /** A line that lacks something it needs: no service, no `-r`, no scheduler in a listing. */
  missing: 'RC243',
  /** A real server for a virtual service that does not exist (yet). */
  noSuchService: 'RC244',
  /** The same virtual service or real server defined twice. */
  duplicate: 'RC245',
  /** The same option given twice on one line, or options that conflict. */
  conflict: 'RC246',
  /** A line that is not part of the dump (a shell prompt, `---`, `...`); skipped. */
  strayLine: 'RC247',
  /** A listing block that is cut short or out of order. */
  truncated: 'RC248',
  /** Information lost by the dump itself (names instead of numbers, ignored values). */
  lossy: 'RC249',
} as const;
