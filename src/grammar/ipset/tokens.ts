import { createToken, Lexer } from '../chevrotain.js';
import type { TokenType, Lexer as LexerType } from 'chevrotain';

/**
 * Tokens of `ipset save` / `ipset restore` lines and `ipset list` blocks. Commands and field
 * names are keywords; everything else is a `Word`, or a double-quoted string (comments).
 * Command keywords also count as words (category `AnyWord`), so a set may be named `add`.
 */

export const AnyWord = createToken({ name: 'AnyWord', pattern: Lexer.NA });
export const Word = createToken({ name: 'Word', pattern: /[^\s"]+/, categories: [AnyWord] });
export const Quoted = createToken({ name: 'Quoted', pattern: /"(?:[^"\\\n]|\\.)*"/ });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });

/** Every literal keyword with its text (the fast lexer in `fast-lexer.ts` looks words up here). */
export const IPSET_WORDS: Array<[string, TokenType]> = [];

function command(name: string): TokenType {
  const tok = createToken({ name: `Cmd_${name}`, pattern: new RegExp(name), longer_alt: Word, categories: [AnyWord] });
  IPSET_WORDS.push([name, tok]);
  return tok;
}

export const Cmd = {
  create: command('create'),
  add: command('add'),
  del: command('del'),
  test: command('test'),
  flush: command('flush'),
  destroy: command('destroy'),
  rename: command('rename'),
  swap: command('swap'),
} as const;

/** The `ipset list` field a line starts with. */
export type ListField = 'name' | 'type' | 'revision' | 'header' | 'sizeInMemory' | 'references' | 'entries' | 'members';

function field(name: ListField, text: string): TokenType {
  const tok = createToken({ name: `Field_${name}`, pattern: new RegExp(text), longer_alt: Word });
  IPSET_WORDS.push([text, tok]);
  return tok;
}

export const FIELDS: ReadonlyArray<{ field: ListField; token: TokenType }> = [
  { field: 'name', token: field('name', 'Name:') },
  { field: 'type', token: field('type', 'Type:') },
  { field: 'revision', token: field('revision', 'Revision:') },
  { field: 'header', token: field('header', 'Header:') },
  { field: 'sizeInMemory', token: field('sizeInMemory', 'Size in memory:') },
  { field: 'references', token: field('references', 'References:') },
  { field: 'entries', token: field('entries', 'Number of entries:') },
  { field: 'members', token: field('members', 'Members:') },
];

export const IPSET_TOKENS: TokenType[] = [
  WhiteSpace,
  Quoted,
  ...FIELDS.map((f) => f.token),
  // `destroy` before `del`, so `del` is not taken for the start of a longer command.
  Cmd.create,
  Cmd.destroy,
  Cmd.del,
  Cmd.add,
  Cmd.test,
  Cmd.flush,
  Cmd.rename,
  Cmd.swap,
  Word,
  AnyWord,
];

let ipsetLexerInstance: LexerType | undefined;
/** The chevrotain lexer of these tokens, built on first use (building one costs milliseconds). */
export function ipsetLexer(): LexerType {
  ipsetLexerInstance ??= new Lexer(IPSET_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false });
  return ipsetLexerInstance;
}

/** The text of a word: quotes removed and `\"`, `\\` unescaped for quoted strings. */
export function wordText(image: string): string {
  if (image.startsWith('"') && image.endsWith('"') && image.length >= 2) {
    return image.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return image;
}
