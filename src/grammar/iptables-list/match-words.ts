import { createTokenInstance } from '../chevrotain.js';
import type { IToken } from 'chevrotain';
import { isBlank, matchComment, matchQuoted, wordEnd } from './scan.js';
import { Bang, Comment, KEYWORD_TOKENS, PortSpec, Quoted, TcpFlags, TcpOption, ToSpec, Word } from './tokens.js';

/**
 * Splits a match text into the same tokens as the chevrotain lexer (match-lexer.ts), with plain
 * string operations: one pass over the characters, one map lookup per word. This is the path
 * the parser uses; `match-words.test.ts` checks it against the lexer on generated texts.
 */
export function splitMatchText(text: string): IToken[] {
  const tokens: IToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === 47) {
      const end = matchComment(text, i);
      if (end >= 0) {
        tokens.push(make(Comment, text, i, end));
        i = end;
        continue;
      }
    } else if (c === 34) {
      const end = matchQuoted(text, i);
      if (end >= 0) {
        tokens.push(make(Quoted, text, i, end));
        i = end;
        continue;
      }
    }
    const end = wordEnd(text, i);
    tokens.push(make(classify(text, i, end), text, i, end));
    i = end;
  }
  return tokens;
}

function classify(text: string, start: number, end: number): typeof Word {
  const first = text.charCodeAt(start);
  if (first === 33 && end === start + 1) return Bang;
  // Prefixed words, tried in the lexer's order: spt: spts: dpt: dpts:, flags:, option=, to:
  if ((first === 115 || first === 100) && text.startsWith('pt', start + 1)) {
    const c3 = text.charCodeAt(start + 3);
    if (c3 === 58 || (c3 === 115 && text.charCodeAt(start + 4) === 58)) return PortSpec;
  } else if (first === 102 && text.startsWith('flags:', start)) {
    return TcpFlags;
  } else if (first === 111 && text.startsWith('option=', start)) {
    return TcpOption;
  } else if (first === 116 && text.startsWith('to:', start)) {
    return ToSpec;
  }
  return KEYWORD_TOKENS.get(text.slice(start, end)) ?? Word;
}

function make(type: typeof Word, text: string, start: number, end: number): IToken {
  return createTokenInstance(type, text.slice(start, end), start, end - 1, NaN, NaN, NaN, NaN);
}
