import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import type { FormatInput } from './problems.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export type Formatter = (input: FormatInput) => string;

/** The output formats of `rulec lint --format`. */
export const FORMATTERS: Readonly<Record<string, Formatter>> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
};

export const FORMAT_NAMES = Object.keys(FORMATTERS);

export type { FormatInput, NoteEntry, Problem } from './problems.js';
export { entriesOf, problemsOf, tally } from './problems.js';
export { useColor } from './stylish.js';
