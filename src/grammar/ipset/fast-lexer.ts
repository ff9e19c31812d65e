import { createTokenInstance } from '../chevrotain.js';
import type { IToken, TokenType } from 'chevrotain';
import { IPSET_WORDS, Quoted, Word } from './tokens.js';

/**
 * The fast path of the ipset lexer: a line is cut into words at white space and double quotes,
 * and each word typed by one table lookup. The two field names that contain spaces
 * (`Size in memory:`, `Number of entries:`) are matched first. `fast-lexer.test.ts` checks that
 * this gives exactly the tokens of the chevrotain lexer in `tokens.ts`, which stays the
 * definition.
 */

export interface IpsetLexResult {
  tokens: IToken[];
  /** Offset of the first character no token matches (an unclosed quote), if any. */
  errorOffset?: number;
}

const SPACE = /\s/;
const SINGLE = new Map<string, TokenType>(IPSET_WORDS.filter(([text]) => !text.includes(' ')));
const MULTI = IPSET_WORDS.filter(([text]) => text.includes(' '));

/**
 * The end (just past the closing quote) of the double-quoted string that starts at `start`, or
 * -1: what the `Quoted` token's pattern matches, `"(?:[^"\\\n]|\\.)*"`, found by a loop, since
 * the pattern's backtracking stack grows with the string and overflows on a long one.
 */
export function quotedEnd(line: string, start: number): number {
  const n = line.length;
  for (let i = start + 1; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === 34 /* " */) return i + 1;
    if (c === 10 /* \n */) return -1;
    if (c === 92 /* \ */) {
      // `.`: any character but a line terminator.
      const e = line.charCodeAt(i + 1);
      if (Number.isNaN(e) || e === 10 || e === 13 || e === 0x2028 || e === 0x2029) return -1;
      i++;
    }
  }
  return -1;
}

function isSpace(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return SPACE.test(line[i] ?? '');
}

function token(type: TokenType, image: string, start: number): IToken {
  return createTokenInstance(type, image, start, start + image.length - 1, Number.NaN, Number.NaN, Number.NaN, Number.NaN);
}

export function lexIpsetLine(line: string): IpsetLexResult {
  const tokens: IToken[] = [];
  const n = line.length;
  let i = 0;
  outer: while (i < n) {
    while (i < n && isSpace(line, i)) i++;
    if (i >= n) break;
    if (line.charCodeAt(i) === 34 /* " */) {
      const end = quotedEnd(line, i);
      if (end < 0) return { tokens, errorOffset: i };
      tokens.push(token(Quoted, line.slice(i, end), i));
      i = end;
      continue;
    }
    for (const [text, type] of MULTI) {
      if (line.startsWith(text, i)) {
        tokens.push(token(type, text, i));
        i += text.length;
        continue outer;
      }
    }
    const start = i;
    while (i < n && !isSpace(line, i) && line.charCodeAt(i) !== 34) i++;
    const word = line.slice(start, i);
    tokens.push(token(SINGLE.get(word) ?? Word, word, start));
  }
  return { tokens };
}
