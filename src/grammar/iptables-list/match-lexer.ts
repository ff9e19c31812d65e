import { Lexer } from '../chevrotain.js';
import type { IToken } from 'chevrotain';
import { ALL_TOKENS } from './tokens.js';

/**
 * The chevrotain lexer of the match text. It is the reference definition of the tokens; the
 * parser is normally fed by the faster `splitMatchText` (match-words.ts), which a property test
 * holds to the same output.
 */
const lexer = new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false });

export interface LexResult {
  tokens: IToken[];
  /** Offsets of characters no token matched (none in practice: every non-blank is a Word). */
  errors: number[];
}

export function lexMatchText(text: string): LexResult {
  const r = lexer.tokenize(text);
  return { tokens: r.tokens, errors: r.errors.map((e) => e.offset) };
}
