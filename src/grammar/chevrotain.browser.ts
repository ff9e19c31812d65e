import * as chevrotain from 'chevrotain';

/** `chevrotain.ts` in the browser: the package's entry point, bundled. */
export const { createToken, createTokenInstance, CstParser, EmbeddedActionsParser, EOF, Lexer, tokenMatcher } = chevrotain;
