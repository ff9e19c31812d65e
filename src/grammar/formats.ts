import type { DumpFormat, ParseResult } from './format.js';
import { iptablesListFormat } from './iptables-list/index.js';
import { iptablesRulesFormat, iptablesSaveFormat, parseIptablesRules, parseIptablesSave } from './iptables-save/index.js';
import { parseListRulesCommand } from './iptables-save/list-rules-command.js';
import type { DeferredReading } from './iptables-save/deferred-rules.js';
import { ipsetListFormat, ipsetSaveFormat } from './ipset/index.js';
import { ipvsadmListFormat, ipvsadmSaveFormat } from './ipvsadm/index.js';
import { nftContinues, nftFormat, parseNft } from './nft/index.js';

/** Settings a caller may pass on to the parsers (`rulec parse --table`). */
export interface OutputStart {
  line: number;
  table?: string;
}

export interface FormatOptions {
  /** The table an `iptables -S` listing is of, when the text does not say. */
  table?: string;
  /**
   * Lines where a pasted prompt or command stood (blank in the text): one output ends there; the
   * table the command names (`iptables-save -t nat | grep X`), when it names one.
   */
  outputStarts?: readonly OutputStart[];
  /** Lines where the author cut the text (`...`, blank in the text): what stood there is unknown. */
  cuts?: readonly number[];
  /**
   * Read the rule lines of iptables-save tables only when their chain's rules are used (see
   * `DeferredRules`), for a command that reads a few chains of a large dump; the diagnostics of
   * lines read late go here.
   */
  deferRules?: DeferredReading;
}

export interface RegisteredFormat {
  format: DumpFormat;
  /**
   * Whether a line this format starts a section with is only a weak sign: it looks like a line
   * inside another dump too (`-A CHAIN …` is in every iptables-save table). A weak start opens
   * a section only where the open section cannot hold the line.
   */
  isWeakStart(line: string): boolean;
  /**
   * Whether a line, inside an open section of this format, is part of it whatever else it looks
   * like (an indented `ip daddr …` rule of an nft listing is no `ip` command).
   */
  continuesSection?(line: string): boolean;
  /**
   * Whether a start of this format after a pasted prompt is another listing (a second snapshot:
   * `ipvsadm -Ln` run twice), not more of the one open.
   */
  restartsAfterPrompt?: boolean;
  /**
   * Whether `#` text after a line's words is the format's own (nft's `# handle 5`, and the
   * iptables extensions it prints as `# match-set …`), not a mark the paste's author added.
   */
  ownsHashText?: boolean;
  /** Parses with the caller's settings; formats without settings use `format.parse`. */
  parseWith?(text: string, file: string, firstLine: number, options: FormatOptions): ParseResult;
}

const never = (): boolean => false;
const always = (): boolean => true;

/**
 * Every dump format rulec reads, in the order `detect.ts` asks them whether a line starts one
 * of their sections: the first to say yes wins, so formats whose start lines are unmistakable
 * come first and those whose start lines look like ordinary lines come last.
 *
 * To add a format: write its folder under `src/grammar/`, export a `DumpFormat` from its
 * `index.ts`, and add an entry here.
 */
export const FORMATS: readonly RegisteredFormat[] = [
  {
    format: iptablesSaveFormat,
    isWeakStart: never,
    parseWith: (text, file, firstLine, options) =>
      parseIptablesSave(text, file, {
        firstLine,
        ...(options.cuts === undefined ? {} : { cuts: options.cuts }),
        ...(options.deferRules === undefined ? {} : { deferRules: options.deferRules }),
      }),
  },
  { format: ipvsadmListFormat, isWeakStart: never, restartsAfterPrompt: true },
  { format: iptablesListFormat, isWeakStart: never },
  { format: ipsetListFormat, isWeakStart: never, restartsAfterPrompt: true },
  { format: ipsetSaveFormat, isWeakStart: never, restartsAfterPrompt: true },
  {
    format: nftFormat,
    isWeakStart: never,
    continuesSection: nftContinues,
    restartsAfterPrompt: true,
    ownsHashText: true,
    parseWith: (text, file, firstLine, options) => parseNft(text, file, firstLine, options.cuts === undefined ? {} : { cuts: options.cuts }),
  },
  { format: ipvsadmSaveFormat, isWeakStart: always },
  {
    format: iptablesRulesFormat,
    // A pasted `iptables -S` command is a clear start; a `-P`/`-N`/`-A` line is not.
    isWeakStart: (line) => parseListRulesCommand(line) === undefined,
    parseWith: (text, file, firstLine, options) =>
      parseIptablesRules(text, file, {
        firstLine,
        ...(options.table === undefined ? {} : { table: options.table }),
        ...(options.outputStarts === undefined ? {} : { outputStarts: options.outputStarts }),
        ...(options.cuts === undefined ? {} : { cuts: options.cuts }),
      }),
  },
];

export function findFormat(id: string): RegisteredFormat | undefined {
  return FORMATS.find((f) => f.format.id === id);
}

export function formatIds(): string[] {
  return FORMATS.map((f) => f.format.id);
}
