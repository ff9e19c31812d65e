/** Diagnostic codes of the ipset grammars (`ipset save` / `ipset restore` input and `ipset list`). */
export const IpsetCode = {
  /** Unknown command or option, missing value, unbalanced quote, unexpected token. */
  syntax: 'RC260',
  /** A member that does not fit its set: wrong shape for the type, bad address, wrong family. */
  badMember: 'RC261',
  /** A number out of range or not a number. */
  badNumber: 'RC262',
  /** An `add`/`del`/... for a set that was never created. */
  noSuchSet: 'RC263',
  /** A set created twice, or a member added twice. */
  duplicate: 'RC264',
  /** A set type ipset does not have. */
  badType: 'RC265',
  /** A line that is not part of the dump (a shell prompt, `---`, `...`); skipped. */
  strayLine: 'RC266',
  /** An `ipset list` block cut short or inconsistent with itself. */
  truncated: 'RC267',
  /** Information the dump does not carry (`ipset list -t` prints no members). */
  lossy: 'RC268',
  /** A set name ipset does not accept (empty or longer than 31 characters). */
  badName: 'RC269',
} as const;
