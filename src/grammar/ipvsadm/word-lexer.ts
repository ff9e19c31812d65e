import { createTokenInstance } from '../chevrotain.js';
import type { IToken, TokenType } from 'chevrotain';
import { LIST_WORDS, LNumber, LWord, ParenFlags, SizeSpec } from './list-tokens.js';
import { NumberTok, SAVE_OPTIONS, Word } from './save-tokens.js';

/**
 * The fast path of the ipvsadm lexers. Both token sets are whole-word tokens (every keyword
 * has `longer_alt: Word`, so a keyword that is only the start of a word loses to the word), so a
 * line can be split at white space and each word classified by one table lookup instead of
 * trying each token pattern in turn. `word-lexer.test.ts` checks, on fixtures and random lines,
 * that this gives exactly the tokens of the chevrotain lexers in `save-tokens.ts` and
 * `list-tokens.ts`, which remain the definition.
 */

const SPACE = /\s/;

function isSpace(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return SPACE.test(line[i] ?? '');
}

/** Splits a line into words at white space (as the lexers' `\s+` does) and types each word. */
export function lexWords(line: string, classify: (word: string) => TokenType): IToken[] {
  const out: IToken[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(line, i)) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(line, i)) i++;
    const word = line.slice(start, i);
    out.push(createTokenInstance(classify(word), word, start, i - 1, Number.NaN, Number.NaN, Number.NaN, Number.NaN));
  }
  return out;
}

const SAVE_WORDS = new Map<string, TokenType>();
for (const spec of SAVE_OPTIONS) for (const s of spec.spellings) SAVE_WORDS.set(s, spec.token);
const DIGITS = /^\d+$/;

export function classifySaveWord(word: string): TokenType {
  return SAVE_WORDS.get(word) ?? (DIGITS.test(word) ? NumberTok : Word);
}

const LIST_WORD_TYPES = new Map<string, TokenType>(LIST_WORDS);
const SIZE = /^\(size=\d+\)$/;
const FLAGS = /^\([^\s()]*\)$/;
const COUNTER = /^\d+[KMGT]?$/;

export function classifyListWord(word: string): TokenType {
  if (word.charCodeAt(0) === 40 /* ( */) return SIZE.test(word) ? SizeSpec : FLAGS.test(word) ? ParenFlags : LWord;
  return LIST_WORD_TYPES.get(word) ?? (COUNTER.test(word) ? LNumber : LWord);
}

export function lexSaveLine(line: string): IToken[] {
  return lexWords(line, classifySaveWord);
}

export function lexListLine(line: string): IToken[] {
  return lexWords(line, classifyListWord);
}
