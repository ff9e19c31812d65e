import type { RuleSet } from '../../ast/types.js';
import type { Diagnostic } from '../../diagnostics.js';
import { parseDump } from '../../grammar/detect.js';

/** Reads the text of a dump file into rule sets, with diagnostics for what it cannot read. */
export type DumpParser = (text: string, file: string) => { ruleSets: RuleSet[]; diagnostics: Diagnostic[] };

/** rulec's format detection: every dump format it reads, several per file if pasted together. */
export const defaultDumpParser: DumpParser = (text, file) => {
  const { ruleSets, diagnostics } = parseDump(text, file);
  return { ruleSets, diagnostics };
};

/** A parser for one named format (`--input-format`). */
export function dumpParserFor(format: string): DumpParser {
  return (text, file) => {
    const { ruleSets, diagnostics } = parseDump(text, file, { format });
    return { ruleSets, diagnostics };
  };
}
