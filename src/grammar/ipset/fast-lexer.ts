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
const QUOTED = /"(?:[^"\\\n]|\\.)*"/y;
const SINGLE = new Map<string, TokenType>(IPSET_WORDS.filter(([text]) => !text.includes(' ')));
const MULTI = IPSET_WORDS.filter(([text]) => text.includes(' '));

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
      QUOTED.lastIndex = i;
      const m = QUOTED.exec(line);
      if (!m) return { tokens, errorOffset: i };
      tokens.push(token(Quoted, m[0], i));
      i += m[0].length;
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
