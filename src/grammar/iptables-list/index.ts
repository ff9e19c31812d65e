import type { DumpFormat } from '../format.js';
import { isHeaderLike, parseChainLine, parseCommandLine } from './lines.js';
import { LIST_FORMAT_ID, parseIptablesList } from './parse.js';
import { skipBlanks } from './scan.js';

export { LIST_CODES } from './codes.js';
export { LIST_FORMAT_ID, UNPARSED_FLAG, parseIptablesList } from './parse.js';

/**
 * `iptables [-t T] -L [chain] [-n] [-v] [-x] [--line-numbers]` output, and ip6tables'. Rows are
 * turned back into iptables-save arguments as far as the listing allows; match text that is not
 * understood stays on its rule as a `--rulec-unparsed "TEXT"` argument (with an RC230 warning),
 * and such rule sets, like listings without `-v` (no interfaces) or with names rulec cannot turn
 * back into numbers (no `-n`), are `fidelity: 'lossy'`, with `lossyBecause` saying why.
 * See README.md in this folder.
 */
export const iptablesListFormat: DumpFormat = {
  id: LIST_FORMAT_ID,
  description: 'iptables -L / ip6tables -L listings (-n, -v, -x, --line-numbers)',
  startsSection(line: string): boolean {
    const lead = skipBlanks(line, 0);
    if (line.startsWith('Chain ', lead)) return !('error' in parseChainLine(line.slice(lead)));
    if (isHeaderLike(line)) return false;
    return parseCommandLine(line) !== undefined;
  },
  parse: parseIptablesList,
};
