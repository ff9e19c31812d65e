import type { IptablesRuleSet } from '../../ast/types.js';
import type { Diagnostic } from '../../diagnostics.js';
import { IptablesAssembler, type DumpDialect } from './assemble.js';
import { grammarParseLineSafely } from './ast-builder.js';
import { DeferredRules, type DeferredReading } from './deferred-rules.js';
import { fastParseLine, forgetRecentValues } from './fast-line.js';
import type { ParsedLine } from './line.js';
import { parseListRulesCommand, type ListRulesCommand } from './list-rules-command.js';
import { ErrorLineLimit, longLineDiagnostic, MAX_LINE_LENGTH } from '../limits.js';
export { MAX_LINE_LENGTH };

/** Lines longer than this are not read: no iptables dump line comes near it. */

export interface IptablesParseOptions {
  /** The 1-based line number of the text's first line in its file. */
  firstLine?: number;
  /** `iptables -S` only: the table the listing is of (otherwise inferred). */
  table?: string;
  /** Read every line with the chevrotain grammar, bypassing the fast reader. */
  grammarOnly?: boolean;
  /**
   * `iptables -S` only: lines (blank in the text) where a pasted prompt or command stood, so
   * where one command's output ends and the next one's begins.
   */
  outputStarts?: readonly { line: number; table?: string }[];
  /** Lines (blank in the text) where the author cut the dump (`...`): the table is an excerpt. */
  cuts?: readonly number[];
  /**
   * iptables-save only: read each chain's `-A` lines when its rules are first used (see
   * `DeferredRules`); the diagnostics of those lines go to this reading.
   */
  deferRules?: DeferredReading;
}

export interface IptablesParseResult {
  ruleSets: IptablesRuleSet[];
  diagnostics: Diagnostic[];
}

/** Reads iptables-save / ip6tables-save output (and iptables-restore input). Never throws. */
export function parseIptablesSave(text: string, file: string, options: IptablesParseOptions = {}): IptablesParseResult {
  return parseWith(text, file, 'save', 'iptables-save', options);
}

/** Reads `iptables [-t T] -S [CHAIN]` output (`-P`, `-N`, `-A` lines). Never throws. */
export function parseIptablesRules(text: string, file: string, options: IptablesParseOptions = {}): IptablesParseResult {
  return parseWith(text, file, 'rules', 'iptables-rules', options);
}

function parseWith(text: string, file: string, dialect: DumpDialect, origin: string, options: IptablesParseOptions): IptablesParseResult {
  forgetRecentValues();
  try {
    return readLines(text, file, dialect, origin, options);
  } finally {
    forgetRecentValues();
  }
}

function readLines(text: string, file: string, dialect: DumpDialect, origin: string, options: IptablesParseOptions): IptablesParseResult {
  const asm = new IptablesAssembler(file, options.table === undefined ? { dialect, origin } : { dialect, origin, table: options.table });
  const grammarOnly = options.grammarOnly === true;
  const deferring = options.deferRules !== undefined && dialect === 'save' && !grammarOnly;
  if (deferring) asm.deferRulesTo(new DeferredRules(text, file, options.deferRules as DeferredReading));
  let line = (options.firstLine ?? 1) - 1;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const len = text.length;
  const limit = new ErrorLineLimit(asm.diagnostics, file);
  let stopped = false;
  const starts = dialect === 'rules' && options.outputStarts !== undefined ? new Map(options.outputStarts.map((s) => [s.line, s.table])) : undefined;
  const cuts = options.cuts !== undefined ? new Set(options.cuts) : undefined;
  // A command pasted before the text (`iptables-save -t nat | grep X`) names its table.
  const first = options.outputStarts?.[0];
  if (dialect === 'rules' && first !== undefined && first.line < line + 1) asm.outputStart(first.line, first.table);
  while (pos < len) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = len;
    line++;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    const length = end - pos;
    let parsed: ParsedLine | undefined;
    let command: ListRulesCommand | undefined;
    if (starts !== undefined && starts.has(line)) asm.outputStart(line, starts.get(line));
    if (cuts !== undefined && cuts.has(line)) asm.cut(line);
    if (length > MAX_LINE_LENGTH) {
      parsed = { kind: 'error', diagnostics: [longLineDiagnostic(file, line, length)] };
    } else if (dialect === 'rules' && mayBeCommand(text.charCodeAt(pos)) && (command = parseListRulesCommand(text.slice(pos, end))) !== undefined) {
      asm.listingCommand(command, line);
      parsed = { kind: 'blank' };
    } else if (deferring && text.charCodeAt(pos) === 45 && text.charCodeAt(pos + 1) === 65 && text.charCodeAt(pos + 2) === 32 && asm.deferRule(text, pos, end, line)) {
      pos = nl + 1;
      continue;
    } else {
      if (!grammarOnly) parsed = fastParseLine(text, pos, end, file, line);
      if (parsed === undefined) parsed = grammarParseLineSafely(text.slice(pos, end), file, line);
    }
    asm.accept(parsed, line, length);
    pos = nl + 1;
    if (!limit.goOn(line)) {
      stopped = true;
      break;
    }
  }
  asm.finish(stopped);
  return { ruleSets: asm.ruleSets, diagnostics: asm.diagnostics };
}

/**
 * A pasted `iptables -S` command starts with a prompt or the binary, never with `-`, `#`, `:`
 * or `*`; `[` starts a prompt (`[root@node ~]#`) or counters (`[0:0] -A`), told apart later.
 */
function mayBeCommand(c: number): boolean {
  return c !== 45 && c !== 35 && c !== 58 && c !== 42;
}
