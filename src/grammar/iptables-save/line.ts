import type { Arg, Counters, SourcePos } from '../../ast/types.js';
import { ZERO_COUNTERS } from '../../ast/zero-counters.js';
import type { Diagnostic } from '../../diagnostics.js';
import { IptCode, type IptCodeValue } from './codes.js';
import { clip } from '../../display-text.js';
import { INTERFACE_NAME_RULE, isIptablesInterface } from '../../kube/interface-name.js';
import { own } from '../../records.js';

/**
 * One line of an iptables dump, as both line readers (the fast path in `fast-line.ts` and the
 * chevrotain grammar in `parser.ts`) return it. The assembler in `assemble.ts` puts lines
 * together into tables and chains; nothing here knows which table or chain is open.
 */
export type ParsedLine =
  | BlankLine
  | CommentLine
  | TableLine
  | ChainLine
  | CommitLine
  | CommandLine
  | ErrorLine;

export interface BlankLine {
  kind: 'blank';
}

export interface CommentLine {
  kind: 'comment';
  /** The text after `#`, as written. */
  text: string;
  pos: SourcePos;
}

export interface TableLine {
  kind: 'table';
  name: string;
  pos: SourcePos;
  /** Warnings about the line (an unknown table name); the line is still used. */
  diagnostics?: Diagnostic[];
}

export interface ChainLine {
  kind: 'chain';
  name: string;
  policy: string;
  counters: Counters;
  pos: SourcePos;
}

export interface CommitLine {
  kind: 'commit';
  pos: SourcePos;
}

/** The commands a dump can hold, by their short spelling without the dash. */
export type DumpCommand = 'A' | 'I' | 'N' | 'X' | 'F' | 'P';

export interface CommandLine {
  kind: 'command';
  command: DumpCommand;
  chain: string;
  /** The column of the chain name (the line is `pos.line`). */
  chainColumn: number;
  pos: SourcePos;
  /** `-I CHAIN N`: N (1 when not written). */
  insertAt?: number;
  /** `-P CHAIN POLICY`. */
  policy?: string;
  /** `[pkts:bytes]` before the command, or `-c pkts bytes` among the arguments. */
  counters?: Counters;
  args: Arg[];
}

/** A line that could not be read; its diagnostics say why. The assembler skips it. */
export interface ErrorLine {
  kind: 'error';
  diagnostics: Diagnostic[];
}

/** Where one word of a line starts, and its text with quotes removed. */
export interface LineWord {
  text: string;
  column: number;
}

/** What both readers hand to `finishCommand`: the command line split into its parts. */
export interface CommandParts {
  counters?: LineWord;
  command: LineWord;
  operands: LineWord[];
  args: Arg[];
  /** For each argument, the column of each value (the grammar reader knows them). */
  valueColumns?: number[][];
}

export function makePos(file: string, line: number, column: number): SourcePos {
  return { file, line, column };
}

export function errorLine(file: string, line: number, column: number, code: IptCodeValue, message: string): ErrorLine {
  return { kind: 'error', diagnostics: [{ file, line, column, severity: 'error', code, message }] };
}

const COMMANDS: Record<string, DumpCommand> = {
  '-A': 'A',
  '--append': 'A',
  '-I': 'I',
  '--insert': 'I',
  '-N': 'N',
  '--new-chain': 'N',
  '-X': 'X',
  '--delete-chain': 'X',
  '-F': 'F',
  '--flush': 'F',
  '-P': 'P',
  '--policy': 'P',
};

/** The command a word names, if it is one a dump can hold. */
export function dumpCommand(word: string): DumpCommand | undefined {
  return Object.prototype.hasOwnProperty.call(COMMANDS, word) ? COMMANDS[word] : undefined;
}

/**
 * The number of values an option iptables itself reads takes (before any match or target
 * module is loaded), or undefined for any other option.
 */
export function topLevelArity(flag: string): number | undefined {
  switch (flag) {
    case '-s':
    case '-d':
    case '-p':
    case '-i':
    case '-o':
    case '-j':
    case '-g':
    case '-m':
    case '--source':
    case '--src':
    case '--destination':
    case '--dst':
    case '--protocol':
    case '--in-interface':
    case '--out-interface':
    case '--jump':
    case '--goto':
    case '--match':
      return 1;
    case '-f':
    case '--fragment':
    case '-4':
    case '--ipv4':
    case '-6':
    case '--ipv6':
      return 0;
    case '-c':
    case '--set-counters':
      return 2;
    default:
      return undefined;
  }
}

const OPERAND_NAMES: Record<string, string> = {
  '-s': 'an address',
  '--source': 'an address',
  '--src': 'an address',
  '-d': 'an address',
  '--destination': 'an address',
  '--dst': 'an address',
  '-p': 'a protocol',
  '--protocol': 'a protocol',
  '-i': 'an interface name',
  '--in-interface': 'an interface name',
  '-o': 'an interface name',
  '--out-interface': 'an interface name',
  '-j': 'a target',
  '--jump': 'a target',
  '-g': 'a chain name',
  '--goto': 'a chain name',
  '-m': 'a match module name',
  '--match': 'a match module name',
};

function isInterfaceOption(flag: string): boolean {
  return flag === '-i' || flag === '-o' || flag === '--in-interface' || flag === '--out-interface';
}

/** Whether an option loads a module whose own options may follow (`-m`, `-p`, `-j`). */
function loadsModule(flag: string): boolean {
  return flag === '-m' || flag === '--match' || flag === '-p' || flag === '--protocol' || flag === '-j' || flag === '--jump';
}

export interface ArgProblem {
  code: IptCodeValue;
  message: string;
  argIndex: number;
  /** The value the problem is about, when it is one value rather than the option. */
  valueIndex?: number;
}

/**
 * Checks the arguments of a rule the way iptables would before loading any module: every
 * short option is one iptables knows, a long option only follows a `-m`, `-p` or `-j` that
 * could have brought it, and iptables' own options have the number of values they take.
 * Options of match and target modules are not checked: any module is accepted.
 */
export function checkArgs(args: readonly Arg[]): ArgProblem | undefined {
  let loaded = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const flag = a.flag;
    const arity = topLevelArity(flag);
    if (arity === undefined) {
      if (flag.charCodeAt(1) !== 45 /* - */) {
        return { code: IptCode.unknownOption, message: `unknown option '${flag}'`, argIndex: i };
      }
      if (!loaded) {
        return {
          code: IptCode.unknownOption,
          message: `unknown option '${flag}': no match (-m), protocol (-p) or target (-j) before it could take it`,
          argIndex: i,
        };
      }
      continue;
    }
    if (a.values.length < arity) {
      const what = own(OPERAND_NAMES, flag) ?? `${arity} values`;
      return { code: IptCode.badOperand, message: `'${flag}' needs ${what}`, argIndex: i };
    }
    if (a.values.length > arity) {
      const extra = a.values[arity] as string;
      const takes = arity === 0 ? 'takes no value' : arity === 1 ? 'takes one value' : `takes ${arity} values`;
      return { code: IptCode.badOperand, message: `unexpected '${clip(extra, 40)}': '${flag}' ${takes}`, argIndex: i, valueIndex: arity };
    }
    if (isInterfaceOption(flag) && !isIptablesInterface(a.values[0] as string)) {
      return {
        code: IptCode.badOperand,
        message: `'${clip(a.values[0] as string, 40)}' after '${flag}' is not an interface name (${INTERFACE_NAME_RULE}; a trailing '+' matches a prefix)`,
        argIndex: i,
        valueIndex: 0,
      };
    }
    if (arity === 2) {
      for (let v = 0; v < 2; v++) {
        if (!isDecimal(a.values[v] as string)) {
          return { code: IptCode.badCounters, message: `counter '${clip(a.values[v] as string, 40)}' is not a decimal number`, argIndex: i, valueIndex: v };
        }
      }
    }
    if (loadsModule(flag)) loaded = true;
  }
  return undefined;
}

export function isDecimal(s: string): boolean {
  if (s.length === 0 || s.length > 20) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `[12:3400]` → counters; undefined when the text is not that shape. */
export function parseCounters(text: string): Counters | undefined {
  if (text.charCodeAt(0) !== 91 /* [ */ || text.charCodeAt(text.length - 1) !== 93 /* ] */) return undefined;
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const p = text.slice(1, colon);
  const b = text.slice(colon + 1, text.length - 1);
  if (!isDecimal(p) || !isDecimal(b)) return undefined;
  return p === '0' && b === '0' ? ZERO_COUNTERS : { packets: Number(p), bytes: Number(b) };
}

/**
 * Turns the parts of a command line into a `CommandLine`, or an `ErrorLine` naming the first
 * problem. Both readers call it, so they agree on what a valid line is.
 */
export function finishCommand(parts: CommandParts, file: string, line: number): CommandLine | ErrorLine {
  const cmdWord = parts.command;
  const command = dumpCommand(cmdWord.text);
  const fail = (column: number, code: IptCodeValue, message: string): ErrorLine => errorLine(file, line, column, code, message);
  if (command === undefined) {
    return fail(cmdWord.column, IptCode.unsupportedCommand, `command '${cmdWord.text}' changes rules one at a time and is not part of a dump`);
  }
  const ops = parts.operands;
  const chainWord = ops[0];
  if (chainWord === undefined) {
    return fail(cmdWord.column, IptCode.badOperand, `'${cmdWord.text}' needs a chain name`);
  }
  let insertAt: number | undefined;
  let policy: string | undefined;
  let maxOperands = 1;
  if (command === 'I') {
    maxOperands = 2;
    const n = ops[1];
    if (n !== undefined) {
      if (!isDecimal(n.text) || Number(n.text) < 1) {
        return fail(n.column, IptCode.badOperand, `rule number '${clip(n.text, 40)}' after '${cmdWord.text} ${chainWord.text}' is not a positive number`);
      }
      insertAt = Number(n.text);
    } else {
      insertAt = 1;
    }
  } else if (command === 'P') {
    maxOperands = 2;
    const p = ops[1];
    if (p === undefined) return fail(cmdWord.column, IptCode.badOperand, `'${cmdWord.text} ${chainWord.text}' needs a policy`);
    policy = p.text;
  }
  const extra = ops[maxOperands];
  if (extra !== undefined) {
    return fail(extra.column, IptCode.badOperand, `unexpected '${clip(extra.text, 40)}' after '${cmdWord.text} ${chainWord.text}'`);
  }
  if (command !== 'A' && command !== 'I') {
    const other = parts.args.find((a) => !(command === 'P' && (a.flag === '-c' || a.flag === '--set-counters')));
    if (other !== undefined) {
      return fail(other.column ?? cmdWord.column, IptCode.badOperand, `unexpected '${other.flag}': '${cmdWord.text}' takes no options`);
    }
  }
  const problem = checkArgs(parts.args);
  if (problem !== undefined) {
    const arg = parts.args[problem.argIndex] as Arg;
    const col =
      problem.valueIndex !== undefined ? (parts.valueColumns?.[problem.argIndex]?.[problem.valueIndex] ?? arg.column ?? 1) : (arg.column ?? 1);
    return fail(col, problem.code, problem.message);
  }
  let counters: Counters | undefined;
  if (parts.counters !== undefined) {
    counters = parseCounters(parts.counters.text);
    if (counters === undefined) {
      return fail(parts.counters.column, IptCode.badCounters, `counters '${clip(parts.counters.text, 40)}' are not [packets:bytes]`);
    }
  }
  const taken = takeCounters(parts.args, counters);
  if (taken === undefined) {
    const second = parts.args.filter((a) => a.flag === '-c' || a.flag === '--set-counters')[counters === undefined ? 1 : 0];
    return fail(second?.column ?? 1, IptCode.badCounters, 'counters are given twice');
  }
  const args = taken.args;
  counters = taken.counters;
  const pos = makePos(file, line, parts.counters?.column ?? cmdWord.column);
  const result: CommandLine = {
    kind: 'command',
    command,
    chain: chainWord.text,
    chainColumn: chainWord.column,
    pos,
    args,
  };
  if (insertAt !== undefined) result.insertAt = insertAt;
  if (policy !== undefined) result.policy = policy;
  if (counters !== undefined) result.counters = counters;
  return result;
}

/**
 * Moves `-c pkts bytes` (iptables -v -S, or a restore line) out of the arguments into the
 * rule's counters; undefined when counters are given twice (also with a `[p:b]` prefix).
 */
export function takeCounters(args: Arg[], prefix: Counters | undefined): { args: Arg[]; counters: Counters | undefined } | undefined {
  let counters = prefix;
  let out = args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    if (a.flag !== '-c' && a.flag !== '--set-counters') continue;
    if (counters !== undefined) return undefined;
    counters = { packets: Number(a.values[0]), bytes: Number(a.values[1]) };
    out = out === args ? args.filter((x) => x !== a) : out.filter((x) => x !== a);
  }
  return { args: out, counters };
}

/**
 * Removes the quoting of one word as iptables-restore reads it: double quotes may enclose any
 * part of a word and `\` escapes the next character inside them; a word wholly in single quotes
 * (as shells print it) loses them. Anything else is literal.
 */
export function unquote(image: string): string {
  const first = image.charCodeAt(0);
  if (first === 39 /* ' */ && image.length >= 2 && image.charCodeAt(image.length - 1) === 39) {
    return image.slice(1, -1);
  }
  if (image.indexOf('"') < 0) return image;
  let out = '';
  let quoted = false;
  for (let i = 0; i < image.length; i++) {
    const ch = image[i] as string;
    if (quoted) {
      if (ch === '\\' && i + 1 < image.length) {
        out += image[++i];
      } else if (ch === '"') {
        quoted = false;
      } else {
        out += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else {
      out += ch;
    }
  }
  return out;
}

/** The chains iptables' tables have built in. */
export const BUILTIN_CHAINS: ReadonlySet<string> = new Set(['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']);

export const KNOWN_TABLES: ReadonlySet<string> = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);
