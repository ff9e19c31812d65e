import { internSingle, internSlice } from './intern.js';
import type { Arg, Counters } from '../../ast/types.js';
import { ZERO_COUNTERS } from '../../ast/zero-counters.js';
import {
  checkArgs,
  isDecimal,
  KNOWN_TABLES,
  makePos,
  parseCounters,
  takeCounters,
  type CommandLine,
  type DumpCommand,
  type ParsedLine,
} from './line.js';

/**
 * The fast reader: reads the ordinary lines of a dump with plain string operations, straight
 * from the text of the whole file, so a 400,000-line dump does not go through a lexer token by
 * token. It only accepts lines it can read exactly as the grammar does — printable ASCII words
 * separated by spaces, values either bare or in double quotes without escapes — and returns
 * `undefined` for anything else (tabs, escapes, single quotes, other characters, and every line
 * with a problem), which the caller then hands to the grammar. A property test checks that both
 * readers give the same result on every line the fast reader accepts.
 */
export function fastParseLine(text: string, start: number, end: number, file: string, line: number): ParsedLine | undefined {
  if (start >= end) return { kind: 'blank' };
  const c0 = text.charCodeAt(start);
  if (c0 === 45 /* - */ || c0 === 91 /* [ */) return fastCommand(text, start, end, file, line);
  if (c0 === 58 /* : */) return fastChain(text, start, end, file, line);
  if (c0 === 35 /* # */) {
    for (let i = start + 1; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < 32 || c > 126) return undefined;
    }
    return { kind: 'comment', text: text.slice(start + 1, end), pos: makePos(file, line, 1) };
  }
  if (c0 === 42 /* * */) {
    const name = text.slice(start + 1, end);
    return KNOWN_TABLES.has(name) ? { kind: 'table', name, pos: makePos(file, line, 1) } : undefined;
  }
  if (c0 === 67 /* C */ && end - start === 6 && text.startsWith('COMMIT', start)) {
    return { kind: 'commit', pos: makePos(file, line, 1) };
  }
  return undefined;
}

/** A word character of the fast reader: printable ASCII other than space and quotes. */
function isPlain(c: number): boolean {
  return c > 32 && c < 127 && c !== 34 && c !== 39;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `:NAME POLICY [p:b]` with single spaces, a plain name and an upper-case or `-` policy. */
function fastChain(text: string, start: number, end: number, file: string, line: number): ParsedLine | undefined {
  let i = start + 1;
  while (i < end && isPlain(text.charCodeAt(i))) i++;
  if (i === start + 1 || i >= end || text.charCodeAt(i) !== 32) return undefined;
  const name = text.slice(start + 1, i);
  const pStart = ++i;
  if (text.charCodeAt(i) === 45 /* - */) {
    i++;
  } else {
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 65 || c > 90) break;
      i++;
    }
  }
  if (i === pStart) return undefined;
  const policy = internSlice(text, pStart, i);
  if (policy === 'COMMIT') return undefined;
  if (i === end) return { kind: 'chain', name, policy, counters: ZERO_COUNTERS, pos: makePos(file, line, 1) };
  if (text.charCodeAt(i) !== 32) return undefined;
  // `[0:0]`, the counters of nearly every chain line, without slicing them out.
  if (end - i === 6 && text.startsWith('[0:0]', i + 1)) return { kind: 'chain', name, policy, counters: ZERO_COUNTERS, pos: makePos(file, line, 1) };
  const counters = parseCounters(text.slice(i + 1, end));
  if (counters === undefined) return undefined;
  return { kind: 'chain', name, policy, counters, pos: makePos(file, line, 1) };
}

/** Word kinds, decided as the lexer decides them. */
const VALUE = 0;
const QUOTED = 1;
const BANG = 2;
const OPTION = 3;

/** The words of the line being read: start, end (quotes excluded for QUOTED) and kind. */
const MAX_WORDS = 512;
const wordStart = new Int32Array(MAX_WORDS);
const wordEnd = new Int32Array(MAX_WORDS);
const wordKind = new Uint8Array(MAX_WORDS);
/** A hash of each value word's text (VALUE and QUOTED words), for `internValue`. */
const wordHash = new Int32Array(MAX_WORDS);

/**
 * Values seen lately, by hash: a dump repeats most of its values from line to line (a service's
 * comment on each of its endpoint rules, a cluster IP on two rules, a chain name as target and
 * as the chain of the next rules). A value found here is handed out again, and with it the same
 * frozen one-element array for an option with that single value, instead of new copies that the
 * AST would keep. Cleared before and after each text, so that no text is kept alive by it.
 */
const RECENT_SIZE = 1 << 14;
const recentText: (string | undefined)[] = new Array<string | undefined>(RECENT_SIZE).fill(undefined);
const recentSingle: (string[] | undefined)[] = new Array<string[] | undefined>(RECENT_SIZE).fill(undefined);

export function forgetRecentValues(): void {
  recentText.fill(undefined);
  recentSingle.fill(undefined);
}

/** Whether the last `recentSlot` found the value there already. */
let recentHit = false;

/** The slot of value word `w` in the recent values, holding its text afterwards. */
function recentSlot(text: string, w: number): number {
  const h = wordHash[w] as number;
  const slot = (h ^ (h >>> 13)) & (RECENT_SIZE - 1);
  const start = wordStart[w] as number;
  const len = (wordEnd[w] as number) - start;
  const seen = recentText[slot];
  if (seen !== undefined && seen.length === len) {
    let k = 0;
    while (k < len && seen.charCodeAt(k) === text.charCodeAt(start + k)) k++;
    if (k === len) {
      recentHit = true;
      return slot;
    }
  }
  recentHit = false;
  recentText[slot] = internSlice(text, start, start + len);
  recentSingle[slot] = undefined;
  return slot;
}

/** The text of value word `w`, shared with the same value met lately. */
function internValue(text: string, w: number): string {
  return recentText[recentSlot(text, w)] as string;
}

/**
 * `[text of value word w]`, frozen and shared with the same single value met lately. A value
 * met for the first time gets an array of its own: most values met once are never met again
 * (an endpoint's address), and freezing costs more than the array.
 */
function internSingleValue(text: string, w: number): string[] {
  const slot = recentSlot(text, w);
  let single = recentSingle[slot];
  if (single === undefined) {
    const value = recentText[slot] as string;
    const common = internSingle(value, 0, value.length);
    if (Object.isFrozen(common)) single = common;
    else if (!recentHit) return common;
    else single = Object.freeze(common) as string[];
    recentSingle[slot] = single;
  }
  return single;
}

/**
 * Splits a command line into words; returns their count, or -1 when the line holds something
 * only the grammar reads (a tab, a quote inside a word, an escape, a character outside printable
 * ASCII, an unterminated quote, too many words).
 */
function splitWords(text: string, start: number, end: number): number {
  let n = 0;
  let i = start;
  while (i < end) {
    let c = text.charCodeAt(i);
    if (c === 32) {
      i++;
      continue;
    }
    if (n === MAX_WORDS) return -1;
    if (c === 34 /* " */) {
      let j = i + 1;
      let h = 0;
      for (; j < end; j++) {
        const d = text.charCodeAt(j);
        if (d === 34) break;
        if (d === 92 /* \ */ || d < 32 || d > 126) return -1;
        h = (Math.imul(h, 31) + d) | 0;
      }
      wordHash[n] = h;
      if (j >= end || (j + 1 < end && text.charCodeAt(j + 1) !== 32)) return -1;
      wordStart[n] = i + 1;
      wordEnd[n] = j;
      wordKind[n++] = QUOTED;
      i = j + 1;
      continue;
    }
    if (c === 39 /* ' */) return -1;
    const ws = i;
    let h = 0;
    while (true) {
      if (c < 33 || c > 126 || c === 34) return -1;
      h = (Math.imul(h, 31) + c) | 0;
      i++;
      if (i === end) break;
      c = text.charCodeAt(i);
      if (c === 32) break;
    }
    wordStart[n] = ws;
    wordEnd[n] = i;
    wordHash[n] = h;
    const c0 = text.charCodeAt(ws);
    let kind = VALUE;
    if (c0 === 33 /* ! */ && i - ws === 1) kind = BANG;
    else if (c0 === 45 /* - */) {
      const c1 = text.charCodeAt(ws + 1);
      if (isAlnum(c1) || (c1 === 45 && isAlnum(text.charCodeAt(ws + 2)))) kind = OPTION;
    }
    wordKind[n++] = kind;
  }
  return n;
}

function wordText(text: string, w: number): string {
  return internSlice(text, wordStart[w] as number, wordEnd[w] as number);
}

/** The commands the fast reader takes, by the letter after the dash. */
const COMMAND_OF: Record<number, DumpCommand> = { 65: 'A', 73: 'I', 78: 'N', 88: 'X', 70: 'F', 80: 'P' };

/**
 * Reads a command line: `[p:b]`? `-A|-I|-N|-X|-F|-P` operands, then arguments
 * `!? --opt (! value)? values*`, checked with the same rules `finishCommand` applies for the
 * grammar (any line they would reject is left to the grammar). It allocates only what the AST
 * keeps, so that the collector can move whole pages of new objects to the old generation.
 */
function fastCommand(text: string, start: number, end: number, file: string, line: number): ParsedLine | undefined {
  const n = splitWords(text, start, end);
  if (n <= 0) return undefined;
  let w = 0;
  let countersText: string | undefined;
  if (text.charCodeAt(start) === 91 /* [ */) {
    if (wordKind[0] !== VALUE) return undefined;
    countersText = text.slice(start, wordEnd[0]);
    w = 1;
  }
  if (w >= n || wordKind[w] !== OPTION) return undefined;
  const cs = wordStart[w] as number;
  if ((wordEnd[w] as number) - cs !== 2) return undefined;
  const command = COMMAND_OF[text.charCodeAt(cs + 1)];
  if (command === undefined) return undefined;
  w++;

  // Operands: the chain, then -I's rule number or -P's policy.
  const op = w;
  while (w < n && (wordKind[w] as number) <= QUOTED) w++;
  const operands = w - op;
  if (operands === 0 || operands > 2 || (operands === 2 && command !== 'I' && command !== 'P') || (command === 'P' && operands !== 2)) return undefined;
  const chain = text.slice(wordStart[op] as number, wordEnd[op] as number);
  const chainColumn = (wordStart[op] as number) - start + 1 - (wordKind[op] === QUOTED ? 1 : 0);
  let insertAt: number | undefined;
  let policy: string | undefined;
  if (operands === 2) {
    const second = text.slice(wordStart[op + 1] as number, wordEnd[op + 1] as number);
    if (command === 'I') {
      if (!isDecimal(second) || Number(second) < 1) return undefined;
      insertAt = Number(second);
    } else {
      policy = second;
    }
  } else if (command === 'I') {
    insertAt = 1;
  }

  // Arguments: each has exactly one option word, so the array is made at its size.
  let argCount = 0;
  for (let k = w; k < n; k++) if (wordKind[k] === OPTION) argCount++;
  if (argCount > 0 && command !== 'A' && command !== 'I' && command !== 'P') return undefined;
  const args = new Array<Arg>(argCount);
  let ai = 0;
  let counterArgs = false;
  while (w < n) {
    const column = (wordStart[w] as number) - start + 1;
    let negated = false;
    if (wordKind[w] === BANG) {
      negated = true;
      w++;
      if (w >= n) return undefined;
    }
    if (wordKind[w] !== OPTION || isCommandWord(text, wordStart[w] as number, wordEnd[w] as number)) return undefined;
    const flag = wordText(text, w);
    w++;
    if (w < n && wordKind[w] === BANG) {
      // `-s ! 10.0.0.0/8` (the old spelling), or a `!` that negates the next option.
      if (w + 1 >= n) return undefined;
      const after = wordKind[w + 1] as number;
      if (after <= QUOTED) {
        negated = true;
        w++;
      } else if (after !== OPTION) {
        return undefined;
      }
    }
    let m = w;
    while (m < n && (wordKind[m] as number) <= QUOTED) m++;
    const count = m - w;
    let values: string[];
    if (count === 0) values = [];
    else if (count === 1) values = internSingleValue(text, w);
    else if (count === 2) values = [internValue(text, w), internValue(text, w + 1)];
    else {
      values = new Array<string>(count);
      for (let k = 0; k < count; k++) values[k] = internValue(text, w + k);
    }
    w = m;
    if (flag === '-c' || flag === '--set-counters') counterArgs = true;
    args[ai++] = { flag, negated, values, column };
  }
  if (ai !== argCount || checkArgs(args) !== undefined) return undefined;

  let counters: Counters | undefined;
  if (countersText !== undefined) {
    counters = parseCounters(countersText);
    if (counters === undefined) return undefined;
  }
  const withCounters = counterArgs ? takeCounters(args, counters) : { args, counters };
  if (withCounters === undefined || (command === 'P' && withCounters.args.length > 0)) return undefined;

  const result: CommandLine = {
    kind: 'command',
    command,
    chain,
    chainColumn,
    pos: makePos(file, line, countersText === undefined ? (cs - start + 1) : 1),
    args: withCounters.args,
  };
  if (insertAt !== undefined) result.insertAt = insertAt;
  if (policy !== undefined) result.policy = policy;
  if (withCounters.counters !== undefined) result.counters = withCounters.counters;
  return result;
}

/** The letters of iptables' one-letter commands, by character code. */
const COMMAND_LETTER = new Uint8Array(128);
for (const c of 'ACDEFILNPRSXZ') COMMAND_LETTER[c.charCodeAt(0)] = 1;

/** Whether the word is one of iptables' commands (which cannot stand among the arguments). */
function isCommandWord(text: string, ws: number, we: number): boolean {
  if (we - ws === 2) return COMMAND_LETTER[text.charCodeAt(ws + 1) & 127] === 1;
  if (text.charCodeAt(ws + 1) !== 45) return false;
  // Compared in place: most long options (`--comment`, `--dport`) differ in length or first letter.
  const candidates = LONG_BY_LENGTH[we - ws - 2];
  if (candidates === undefined) return false;
  outer: for (let i = 0; i < candidates.length; i++) {
    const w = candidates[i] as string;
    for (let k = 0; k < w.length; k++) if (w.charCodeAt(k) !== text.charCodeAt(ws + 2 + k)) continue outer;
    return true;
  }
  return false;
}

const LONG_COMMANDS: readonly string[] = [
  'append',
  'check',
  'delete-chain',
  'delete',
  'insert',
  'replace',
  'list-rules',
  'list',
  'flush',
  'zero',
  'new-chain',
  'policy',
  'rename-chain',
];

/** The long commands by length. */
const LONG_BY_LENGTH: (string[] | undefined)[] = [];
for (const w of LONG_COMMANDS) (LONG_BY_LENGTH[w.length] ??= []).push(w);
