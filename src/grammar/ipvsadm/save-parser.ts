import { EmbeddedActionsParser } from '../chevrotain.js';
import type { IToken, IRecognitionException } from 'chevrotain';
import { NumberTok, SAVE_OPTIONS, SAVE_TOKENS, Word, type SaveOptionKey } from './save-tokens.js';

/**
 * The grammar of one `ipvsadm -S` / `-R` line:
 *
 *   line   := item*
 *   item   := switch | option value | '-p' Number?
 *   value  := Word | Number
 *
 * ipvsadm reads its options in any order (popt), so the grammar does too; which options a
 * command needs and allows is checked by the builder, where the message can name them.
 */

export interface SaveItem {
  key: SaveOptionKey;
  flag: IToken;
  value?: IToken;
}

export interface SaveLine {
  items: SaveItem[];
}

class SaveLineParser extends EmbeddedActionsParser {
  constructor() {
    super(SAVE_TOKENS, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  readonly value = this.RULE('value', (): IToken => this.OR([{ ALT: () => this.CONSUME(Word) }, { ALT: () => this.CONSUME(NumberTok) }]));

  /** The alternatives of `item`, built once: chevrotain's advice for OR with many alternatives. */
  private readonly itemAlternatives = SAVE_OPTIONS.map((spec, i) => ({
    ALT: (): SaveItem => {
      const flag = this.consume(i, spec.token);
      if (spec.arity === 'value') {
        const value = this.subrule(i, this.value);
        return { key: spec.key, flag, value };
      }
      if (spec.arity === 'optionalNumber') {
        const value = this.option(i, () => this.consume(100 + i, NumberTok));
        return value === undefined ? { key: spec.key, flag } : { key: spec.key, flag, value };
      }
      return { key: spec.key, flag };
    },
  }));

  readonly item = this.RULE('item', (): SaveItem => this.OR(this.itemAlternatives));

  readonly line = this.RULE('line', (): SaveLine => {
    const items: SaveItem[] = [];
    this.MANY(() => {
      items.push(this.SUBRULE(this.item));
    });
    return { items };
  });
}

/** One parser for every line; chevrotain parsers are reusable once built. */
let shared: SaveLineParser | undefined;
/** Built on first use: building a chevrotain parser costs tens of milliseconds. */
function parserOf(): SaveLineParser {
  shared ??= new SaveLineParser();
  return shared;
}

export interface SaveLineResult {
  line: SaveLine | undefined;
  /** The first syntax error, if any: the offending token (undefined at end of line). */
  error?: { token: IToken | undefined; expectingValueFor?: IToken };
}

export function parseSaveLine(tokens: IToken[]): SaveLineResult {
  const parser = parserOf();
  parser.input = tokens;
  const line = parser.line();
  const first: IRecognitionException | undefined = parser.errors[0];
  if (first) {
    const token = first.token.tokenType.name === 'EOF' ? undefined : first.token;
    const at = token ? tokens.indexOf(token) : tokens.length;
    const previous = at > 0 ? tokens[at - 1] : undefined;
    const takesValue = previous && SAVE_OPTIONS.some((o) => o.token === previous.tokenType && o.arity === 'value');
    return { line: undefined, error: takesValue ? { token, expectingValueFor: previous } : { token } };
  }
  // MANY stops at the first token no item can start with; that token is the error.
  const consumed = line.items.reduce((n, it) => n + (it.value ? 2 : 1), 0);
  if (consumed < tokens.length) return { line: undefined, error: { token: tokens[consumed] } };
  return { line };
}
