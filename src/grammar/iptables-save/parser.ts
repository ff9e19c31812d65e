import type { CstNode, IRecognitionException, IToken, Lexer as LexerType } from 'chevrotain';
import { CstParser, Lexer, tokenMatcher } from '../chevrotain.js';
import {
  ALL_TOKENS,
  Bang,
  ChainHeader,
  CommandTok,
  Commit,
  Counters,
  LineComment,
  OptionTok,
  TableHeader,
  Value,
  Word,
} from './tokens.js';

/**
 * The grammar of one line of iptables-save / iptables-restore / `iptables -S` text:
 *
 *   line        := LineComment | TableHeader | chainLine | COMMIT | commandLine
 *   chainLine   := ChainHeader policy:Word Counters?
 *   commandLine := Counters? Command operand:Value* argument*
 *   argument    := '!'? Option ('!' Value)? Value*
 *
 * The second `!` of `argument` is the old spelling `-s ! 10.0.0.0/8`, read as `! -s …`. Two
 * tokens of lookahead tell it from a `!` that negates the next option. Which commands, options
 * and operand counts are valid is decided by `finishCommand` in `line.ts`, where the message
 * can name them; the grammar only fixes the shape of a line.
 */
class IptablesLineParser extends CstParser {
  constructor() {
    super(ALL_TOKENS, { maxLookahead: 2, recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  readonly line = this.RULE('line', () => {
    this.OR([
      { ALT: () => this.CONSUME(LineComment) },
      { ALT: () => this.CONSUME(TableHeader) },
      { ALT: () => this.SUBRULE(this.chainLine) },
      { ALT: () => this.CONSUME(Commit) },
      { ALT: () => this.SUBRULE(this.commandLine) },
    ]);
  });

  readonly chainLine = this.RULE('chainLine', () => {
    this.CONSUME(ChainHeader);
    this.CONSUME(Word, { LABEL: 'policy' });
    this.OPTION(() => this.CONSUME(Counters));
  });

  readonly commandLine = this.RULE('commandLine', () => {
    this.OPTION(() => this.CONSUME(Counters));
    this.CONSUME(CommandTok);
    this.MANY(() => this.CONSUME(Value, { LABEL: 'operand' }));
    this.MANY2(() => this.SUBRULE(this.argument));
  });

  readonly argument = this.RULE('argument', () => {
    this.OPTION(() => this.CONSUME(Bang, { LABEL: 'negation' }));
    this.CONSUME(OptionTok);
    this.OPTION2({
      // Chevrotain decides an OPTION on its first token; the second tells `-s ! x` from `! -j`.
      GATE: () => tokenMatcher(this.LA(2), Value),
      DEF: () => {
        this.CONSUME2(Bang, { LABEL: 'oldNegation' });
        this.CONSUME2(Value);
      },
    });
    this.MANY(() => this.CONSUME3(Value));
  });
}

/** One lexer and one parser, made when the first line needs them and reused for every line. */
let lexer: LexerType | undefined;
let parser: IptablesLineParser | undefined;

export interface LexResult {
  tokens: IToken[];
  /** The offset of the first character no token matches. */
  errorOffset?: number;
}

export function lexLine(text: string): LexResult {
  lexer ??= new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false });
  const r = lexer.tokenize(text);
  const first = r.errors[0];
  return first === undefined ? { tokens: r.tokens } : { tokens: r.tokens, errorOffset: first.offset };
}

export interface ParseOutcome {
  cst?: CstNode;
  error?: IRecognitionException;
}

export function parseTokens(tokens: IToken[]): ParseOutcome {
  parser ??= new IptablesLineParser();
  parser.input = tokens;
  const cst = parser.line();
  const error = parser.errors[0];
  return error === undefined ? { cst } : { error };
}
