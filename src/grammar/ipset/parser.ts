import { EmbeddedActionsParser } from '../chevrotain.js';
import type { IToken } from 'chevrotain';
import { AnyWord, Cmd, FIELDS, IPSET_TOKENS, Quoted, type ListField } from './tokens.js';

/**
 * The grammar of one ipset line.
 *
 *   saveLine  := command word*
 *   listLine  := field word* | word+            (a field line, or a member line)
 *   command   := 'create' | 'add' | 'del' | 'test' | 'flush' | 'destroy' | 'rename' | 'swap'
 *   word      := WORD | "quoted"
 *
 * How many words each command takes and what they mean depends on the set type, so that is
 * the builder's business.
 */

export type IpsetCommand = keyof typeof Cmd;

export type IpsetLine =
  | { kind: 'command'; command: IpsetCommand; first: IToken; words: IToken[] }
  | { kind: 'field'; field: ListField; first: IToken; words: IToken[] }
  | { kind: 'member'; first: IToken; words: IToken[] };

const COMMANDS = Object.entries(Cmd) as Array<[IpsetCommand, (typeof Cmd)[IpsetCommand]]>;

class IpsetLineParser extends EmbeddedActionsParser {
  constructor() {
    super(IPSET_TOKENS, { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  private readonly word = this.RULE('word', (): IToken =>
    this.OR([{ ALT: () => this.CONSUME(AnyWord) }, { ALT: () => this.CONSUME(Quoted) }]),
  );

  private readonly words = this.RULE('words', (): IToken[] => {
    const out: IToken[] = [];
    this.MANY(() => {
      out.push(this.SUBRULE(this.word));
    });
    return out;
  });

  readonly saveLine = this.RULE('saveLine', (): IpsetLine => {
    // An object rather than a tuple: while chevrotain records the grammar, OR returns a
    // placeholder that cannot be destructured.
    const picked = this.OR(
      COMMANDS.map(([command, tok], i) => ({ ALT: (): { command: IpsetCommand; first: IToken } => ({ command, first: this.consume(i, tok) }) })),
    );
    const words = this.SUBRULE(this.words);
    return { kind: 'command', command: picked.command, first: picked.first, words };
  });

  readonly listLine = this.RULE('listLine', (): IpsetLine =>
    this.OR([
      ...FIELDS.map(({ field, token }, i) => ({
        ALT: (): IpsetLine => {
          const first = this.consume(i, token);
          const words = this.subrule(i, this.words);
          return { kind: 'field', field, first, words };
        },
      })),
      {
        ALT: (): IpsetLine => {
          const words = this.subrule(99, this.words);
          return { kind: 'member', first: words[0] as IToken, words };
        },
      },
    ]),
  );
}

let shared: IpsetLineParser | undefined;
/** Built on first use: building a chevrotain parser costs tens of milliseconds. */
function parserOf(): IpsetLineParser {
  shared ??= new IpsetLineParser();
  return shared;
}

export interface IpsetLineResult {
  line?: IpsetLine;
  /** The token the grammar could not take; undefined at the end of the line. */
  errorToken?: IToken | undefined;
}

export function parseIpsetSaveLine(tokens: IToken[]): IpsetLineResult {
  const parser = parserOf();
  parser.input = tokens;
  const line = parser.saveLine();
  const err = parser.errors[0];
  if (err) return { errorToken: err.token.tokenType.name === 'EOF' ? undefined : err.token };
  return { line };
}

export function parseIpsetListLine(tokens: IToken[]): IpsetLineResult {
  const parser = parserOf();
  parser.input = tokens;
  const line = parser.listLine();
  const err = parser.errors[0];
  if (err) return { errorToken: err.token.tokenType.name === 'EOF' ? undefined : err.token };
  return { line };
}
