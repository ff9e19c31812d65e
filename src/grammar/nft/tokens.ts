import { createToken, Lexer } from '../chevrotain.js';
import type { TokenType, Lexer as LexerType } from 'chevrotain';

/**
 * Tokens of nftables text. Words are whatever nft prints between blanks and punctuation (names
 * such as `endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80`, addresses, `[fd00::1]:80`, `!=`,
 * `@set`, `.`, `:`); braces, `;` and `,` are tokens of their own, so `goto X,` is `goto`, `X`, `,`;
 * a `#` comment runs to the end of its line (`# handle 5`, `# Warning: …`).
 */

export const Newline = createToken({ name: 'Newline', pattern: /\r?\n/, line_breaks: true });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/ });
export const Quoted = createToken({ name: 'Quoted', pattern: /"(?:[^"\\\n]|\\.)*"/ });
/** A quote whose line ends before it is closed. */
export const OpenQuote = createToken({ name: 'OpenQuote', pattern: /"[^\n]*/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Word = createToken({ name: 'Word', pattern: /[^\s{};,"#\x00-\x1f\x7f]+/ });
/** Any other single character (a control character): reported, never read. */
export const Stray = createToken({ name: 'Stray', pattern: /[^]/, line_breaks: true });

export const NFT_TOKENS: TokenType[] = [Newline, WhiteSpace, Comment, Quoted, OpenQuote, LBrace, RBrace, Semicolon, Comma, Word, Stray];

let lexer: LexerType | undefined;

/** The lexer, built once (chevrotain checks the token set when it is built). */
export function nftLexer(): LexerType {
  // Lines end at `\n` only, as everywhere in rulec (a lone `\r` or U+2028 is no line break).
  lexer ??= new Lexer(NFT_TOKENS, { positionTracking: 'full', ensureOptimizations: false, lineTerminatorsPattern: /\n/g, lineTerminatorCharacters: ['\n'] });
  return lexer;
}
