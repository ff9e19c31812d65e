import type { IToken } from 'chevrotain';

/** The column (from 1) where a token of a one-line input starts. */
export function col(tok: IToken): number {
  return tok.startOffset + 1;
}

/** The column just after a token of a one-line input. */
export function endColumn(tok: IToken): number {
  return tok.startOffset + tok.image.length + 1;
}
