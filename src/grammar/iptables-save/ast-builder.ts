import type { CstElement, CstNode, IRecognitionException, IToken } from 'chevrotain';
import type { Arg } from '../../ast/types.js';
import { IptCode } from './codes.js';
import {
  errorLine,
  finishCommand,
  KNOWN_TABLES,
  makePos,
  parseCounters,
  unquote,
  type LineWord,
  type ParsedLine,
} from './line.js';
import { lexLine, parseTokens } from './parser.js';
import { Bang, CommandTok, Commit, TableHeader, ChainHeader, UnterminatedQuote, UnterminatedSingle } from './tokens.js';
import { clip } from '../../display-text.js';

/**
 * Reads one line with the chevrotain grammar: lexer, parser, then this builder, which walks the
 * parse tree into a `ParsedLine`. It is the reference reader: it accepts every line the fast
 * path accepts, with the same result, and it is the one that explains what is wrong with a line.
 */
export function grammarParseLine(text: string, file: string, line: number): ParsedLine {
  if (isBlank(text)) return { kind: 'blank' };
  const stray = strayOffset(text);
  if (stray >= 0) return errorLine(file, line, stray + 1, IptCode.strayByte, describeStray(text.charCodeAt(stray)));
  const lexed = lexLine(text);
  if (lexed.errorOffset !== undefined) {
    const ch = text.codePointAt(lexed.errorOffset) ?? 0;
    return errorLine(file, line, lexed.errorOffset + 1, IptCode.strayByte, describeStray(ch));
  }
  for (const t of lexed.tokens) {
    if (t.tokenType === UnterminatedQuote || t.tokenType === UnterminatedSingle) {
      const q = t.image[0] === "'" ? "'" : '"';
      return errorLine(file, line, t.startOffset + 1, IptCode.unterminatedQuote, `unterminated quoted value: the closing ${q} is missing`);
    }
  }
  const parsed = parseTokens(lexed.tokens);
  if (parsed.error !== undefined || parsed.cst === undefined) {
    return explainError(parsed.error, lexed.tokens, text, file, line);
  }
  return buildLine(parsed.cst, file, line);
}

/** `grammarParseLine` with a last guard, so that no input can make the parser throw. */
export function grammarParseLineSafely(text: string, file: string, line: number): ParsedLine {
  try {
    return grammarParseLine(text, file, line);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      kind: 'error',
      diagnostics: [{ file, line, column: 1, severity: 'error', code: IptCode.syntax, message: `line could not be read (${why})` }],
    };
  }
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12) return false;
  }
  return true;
}

/** The offset of the first control character (other than blanks), DEL or U+FFFD, or -1. */
export function strayOffset(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 11 && c !== 12 && c !== 13) || c === 0x7f || c === 0xfffd) return i;
  }
  return -1;
}

function describeStray(cp: number): string {
  if (cp === 0xfffd) return 'invalid UTF-8 byte sequence (shown as U+FFFD)';
  const hex = cp.toString(16).toUpperCase().padStart(cp > 0xff ? 4 : 2, '0');
  if (cp < 0x80) {
    const names: Record<number, string> = { 0: 'NUL', 0x1b: 'ESC', 0x7f: 'DEL' };
    return `stray byte 0x${hex}${names[cp] ? ` (${names[cp]})` : ''}`;
  }
  return `unexpected character U+${hex}`;
}

function isToken(el: CstElement): el is IToken {
  return (el as IToken).image !== undefined;
}

function tokensOf(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter(isToken);
}

function nodesOf(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((el): el is CstNode => !isToken(el));
}

function firstToken(node: CstNode, key: string): IToken | undefined {
  return tokensOf(node, key)[0];
}

function word(t: IToken): LineWord {
  return { text: unquote(t.image), column: t.startOffset + 1 };
}

function buildLine(cst: CstNode, file: string, line: number): ParsedLine {
  const comment = firstToken(cst, 'LineComment');
  if (comment) return { kind: 'comment', text: comment.image.slice(1), pos: makePos(file, line, comment.startOffset + 1) };

  const table = firstToken(cst, 'TableHeader');
  if (table) {
    const name = table.image.slice(1);
    const col = table.startOffset + 1;
    if (name === '') return errorLine(file, line, col, IptCode.badTable, "missing table name after '*'");
    const pos = makePos(file, line, col);
    if (!KNOWN_TABLES.has(name)) {
      return {
        kind: 'table',
        name,
        pos,
        diagnostics: [
          {
            file,
            line,
            column: col,
            severity: 'warning',
            code: IptCode.badTable,
            message: `unknown table '${clip(name, 40)}' (iptables has filter, nat, mangle, raw and security)`,
          },
        ],
      };
    }
    return { kind: 'table', name, pos };
  }

  if (firstToken(cst, 'Commit')) {
    const t = firstToken(cst, 'Commit') as IToken;
    return { kind: 'commit', pos: makePos(file, line, t.startOffset + 1) };
  }

  const chain = nodesOf(cst, 'chainLine')[0];
  if (chain) {
    const header = firstToken(chain, 'ChainHeader') as IToken;
    const policy = firstToken(chain, 'policy') as IToken;
    const countersTok = firstToken(chain, 'Counters');
    const name = header.image.slice(1);
    const col = header.startOffset + 1;
    if (name === '') return errorLine(file, line, col, IptCode.badOperand, "missing chain name after ':'");
    let counters = { packets: 0, bytes: 0 };
    if (countersTok) {
      const c = parseCounters(countersTok.image);
      if (c === undefined) {
        return errorLine(file, line, countersTok.startOffset + 1, IptCode.badCounters, `counters '${clip(countersTok.image, 40)}' are not [packets:bytes]`);
      }
      counters = c;
    }
    return { kind: 'chain', name, policy: unquote(policy.image), counters, pos: makePos(file, line, col) };
  }

  const cmd = nodesOf(cst, 'commandLine')[0] as CstNode;
  const countersTok = firstToken(cmd, 'Counters');
  const args: Arg[] = [];
  const valueColumns: number[][] = [];
  for (const a of nodesOf(cmd, 'argument')) {
    const opt = firstToken(a, 'Option') as IToken;
    const neg = firstToken(a, 'negation');
    const oldNeg = firstToken(a, 'oldNegation');
    const values = tokensOf(a, 'Value');
    const start = neg ?? opt;
    args.push({
      flag: opt.image,
      negated: neg !== undefined || oldNeg !== undefined,
      values: values.map((v) => unquote(v.image)),
      column: start.startOffset + 1,
    });
    valueColumns.push(values.map((v) => v.startOffset + 1));
  }
  return finishCommand(
    {
      ...(countersTok ? { counters: word(countersTok) } : {}),
      command: word(firstToken(cmd, 'Command') as IToken),
      operands: tokensOf(cmd, 'operand').map(word),
      args,
      valueColumns,
    },
    file,
    line,
  );
}

/** Turns the parser's first error into a diagnostic whose message names the offending token. */
function explainError(error: IRecognitionException | undefined, tokens: IToken[], text: string, file: string, line: number): ParsedLine {
  const eol = text.trimEnd().length + 1;
  if (error === undefined) return errorLine(file, line, 1, IptCode.syntax, 'line could not be read');
  const tok = error.token;
  const atEnd = tok.image === '' || Number.isNaN(tok.startOffset);
  const col = atEnd ? eol : tok.startOffset + 1;
  const found = atEnd ? 'the end of the line' : `'${clip(tok.image, 40)}'`;
  const rule = error.context.ruleStack[error.context.ruleStack.length - 1];
  const first = tokens[0];

  if (error.name === 'NoViableAltException' && rule === 'line') {
    return errorLine(
      file,
      line,
      col,
      IptCode.unknownLine,
      `line starts with ${found}; expected *table, :CHAIN, a command (-A, -I, -N, -X, -F, -P), COMMIT or a # comment`,
    );
  }
  if (error.name === 'MismatchedTokenException' && rule === 'chainLine') {
    const name = first ? first.image : ':';
    if (name === ':') return errorLine(file, line, (first?.startOffset ?? 0) + 1, IptCode.badOperand, "missing chain name after ':'");
    return errorLine(file, line, col, IptCode.badOperand, `chain line '${clip(name, 40)}' needs a policy (ACCEPT, DROP, or - for a user chain), found ${found}`);
  }
  if (error.name === 'MismatchedTokenException' && rule === 'argument') {
    return errorLine(file, line, col, IptCode.strayNegation, `'!' must be followed by the option it negates, found ${found}`);
  }
  if (error.name === 'NotAllInputParsedException') {
    if (tok.tokenType === Bang) {
      return errorLine(file, line, col, IptCode.strayNegation, "'!' must stand right before the option it negates");
    }
    if (tok.tokenType === CommandTok) {
      return errorLine(file, line, col, IptCode.syntax, `unexpected ${found}: a line holds one command`);
    }
    const after =
      first?.tokenType === TableHeader
        ? ' after the table header'
        : first?.tokenType === ChainHeader
          ? ' after the chain line'
          : first?.tokenType === Commit
            ? ' after COMMIT'
            : '';
    return errorLine(file, line, col, IptCode.syntax, `unexpected ${found}${after}`);
  }
  return errorLine(file, line, col, IptCode.syntax, `unexpected ${found}`);
}
