import type { CustomPatternMatcherReturn, TokenType } from 'chevrotain';
import { createToken, Lexer } from '../chevrotain.js';

/**
 * Tokens of one line of iptables-save / iptables-restore / `iptables -S` text.
 *
 * Words are separated by blanks; a double quote may open a quoted part anywhere in a word and
 * `\` escapes the next character inside it (iptables-restore's own rules); a word wholly in
 * single quotes is read as shells print it. `#`, `*` and `:` only start a comment, a table or a
 * chain at the start of a line; elsewhere they are ordinary characters of a word. Control
 * characters and U+FFFD (left by an invalid UTF-8 byte) match no token, so the lexer reports
 * them.
 */

/** Characters no word may contain: controls other than blanks, DEL, and U+FFFD. */
const CTRL = '\\x00-\\x08\\x0e-\\x1f\\x7f\\ufffd';
const BARE = `[^\\s"${CTRL}]`;
const QUOTED = `"(?:[^"\\\\${CTRL}]|\\\\[^${CTRL}])*"`;

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/** Matches `re` at `offset` only when nothing but blanks precedes it on the line. */
function atLineStart(re: RegExp): (text: string, offset: number) => CustomPatternMatcherReturn | null {
  return (text, offset) => {
    for (let i = 0; i < offset; i++) {
      if (!isBlank(text.charCodeAt(i))) return null;
    }
    re.lastIndex = offset;
    const m = re.exec(text);
    return m === null ? null : [m[0]];
  };
}

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\v\f]+/, group: Lexer.SKIPPED });

/** Any word that can stand as a value: bare, quoted, or one of the keyword-like words. */
export const Value = createToken({ name: 'Value', pattern: Lexer.NA, label: 'a value' });

export const Word = createToken({
  name: 'Word',
  pattern: new RegExp(`(?:${BARE}|${QUOTED})+`),
  categories: [Value],
  label: 'a word',
});

export const SingleQuoted = createToken({
  name: 'SingleQuoted',
  pattern: {
    exec: (text, offset) => {
      if (text.charCodeAt(offset) !== 39) return null;
      const close = text.indexOf("'", offset + 1);
      if (close < 0) return null;
      const next = text.charCodeAt(close + 1);
      if (close + 1 < text.length && !isBlank(next)) return null;
      return [text.slice(offset, close + 1)];
    },
  },
  line_breaks: false,
  start_chars_hint: ["'"],
  categories: [Value],
  label: 'a quoted value',
});

/** A double quote that is not closed before the end of the line (a closed one is part of a Word). */
export const UnterminatedQuote = createToken({
  name: 'UnterminatedQuote',
  pattern: /"[^\n]*/,
  label: 'an unterminated quoted value',
});

/** A word that opens a single quote and never closes it. */
export const UnterminatedSingle = createToken({
  name: 'UnterminatedSingle',
  pattern: {
    exec: (text, offset) => {
      if (text.charCodeAt(offset) !== 39 || text.indexOf("'", offset + 1) >= 0) return null;
      return [text.slice(offset)];
    },
  },
  line_breaks: false,
  start_chars_hint: ["'"],
  label: 'an unterminated quoted value',
});

export const LineComment = createToken({
  name: 'LineComment',
  pattern: { exec: atLineStart(/#.*/y) },
  line_breaks: false,
  start_chars_hint: ['#'],
  label: 'a # comment',
});

export const TableHeader = createToken({
  name: 'TableHeader',
  pattern: { exec: atLineStart(new RegExp(`\\*${BARE}*`, 'y')) },
  line_breaks: false,
  start_chars_hint: ['*'],
  label: 'a table header (*name)',
});

export const ChainHeader = createToken({
  name: 'ChainHeader',
  pattern: { exec: atLineStart(new RegExp(`:${BARE}*`, 'y')) },
  line_breaks: false,
  start_chars_hint: [':'],
  label: 'a chain line (:NAME POLICY [packets:bytes])',
});

export const Counters = createToken({
  name: 'Counters',
  pattern: /\[\d+:\d+\]/,
  longer_alt: Word,
  categories: [Value],
  label: 'counters [packets:bytes]',
});

export const Bang = createToken({ name: 'Bang', pattern: /!/, longer_alt: Word, label: "'!'" });

export const Commit = createToken({ name: 'Commit', pattern: /COMMIT/, longer_alt: Word, categories: [Value], label: 'COMMIT' });

/** An option: one dash and a letter or digit, or two dashes and one. */
export const OptionTok = createToken({
  name: 'Option',
  pattern: new RegExp(`--?[A-Za-z0-9][^\\s"${CTRL}]*`),
  longer_alt: Word,
  label: 'an option',
});

/** Every command iptables knows, short and long; the builder says which a dump may hold. */
export const CommandTok = createToken({
  name: 'Command',
  pattern:
    /(?:-[ACDEFILNPRSXZ]|--(?:append|check|delete-chain|delete|insert|replace|list-rules|list|flush|zero|new-chain|policy|rename-chain))(?![^\s"])/,
  longer_alt: [OptionTok, Word],
  label: 'a command (-A, -I, -N, -X, -F, -P)',
});

/** In the order the lexer tries them. */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  LineComment,
  TableHeader,
  ChainHeader,
  Counters,
  Bang,
  CommandTok,
  OptionTok,
  Commit,
  SingleQuoted,
  UnterminatedSingle,
  Word,
  UnterminatedQuote,
  Value,
];
