/** Codes of the diagnostics the linter itself gives (input and configuration problems). */
export const LINT_CODES = {
  /** A rule threw on an input; the other rules still ran. */
  ruleFailed: 'RC700',
  /** The configuration file cannot be read or is invalid. */
  config: 'RC701',
  /** A rule id that does not exist (configuration, `--rule`, suppression). */
  unknownRule: 'RC702',
  /** An input could not be read. */
  input: 'RC703',
} as const;
