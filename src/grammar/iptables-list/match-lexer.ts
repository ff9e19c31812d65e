import { Lexer } from '../chevrotain.js';
import type { IToken, Lexer as LexerType } from 'chevrotain';
import { ALL_TOKENS } from './tokens.js';

/**
 * The chevrotain lexer of the match text. It is the reference definition of the tokens; the
 * parser is normally fed by the faster `splitMatchText` (match-words.ts), which a property test
 * holds to the same output.
 */
let lexer: LexerType | undefined;

export interface LexResult {
  tokens: IToken[];
  /** Offsets of characters no token matched (none in practice: every non-blank is a Word). */
  errors: number[];
}

export function lexMatchText(text: string): LexResult {
  lexer ??= new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false });
  const r = lexer.tokenize(text);
  return { tokens: r.tokens, errors: r.errors.map((e) => e.offset) };
}
