import { ITEM_START_WORDS, NEGATABLE_STARTS } from './keywords.js';

/**
 * Character-level scanners shared by the chevrotain lexer (as custom token patterns) and the
 * fast word splitter, so both cut comments and quoted strings at exactly the same place.
 *
 * A comment is printed as `/* TEXT *\/` and TEXT may itself contain ` *\/ `, so the end chosen is
 * the first ` *\/` that is followed by the end of the text or by a word that begins an item;
 * when no candidate qualifies, the first candidate. Quoted strings (`prefix "in drop: "`) end
 * the same way at a `"` followed by a blank or the end. All scans are linear.
 */

export function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** End offset of the word starting at `pos` (which must not be blank). */
export function wordEnd(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && !isBlank(text.charCodeAt(i))) i++;
  return i;
}

export function skipBlanks(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** Whether the text at `pos` (after blanks) is empty or begins an item (`tcp`, `! match-set`…). */
export function endsOrStartsItem(text: string, pos: number): boolean {
  const start = skipBlanks(text, pos);
  if (start >= text.length) return true;
  const end = wordEnd(text, start);
  const word = text.slice(start, end);
  if (word === '!') {
    const next = skipBlanks(text, end);
    return NEGATABLE_STARTS.has(text.slice(next, wordEnd(text, next)));
  }
  return ITEM_START_WORDS.has(word) || word.startsWith('to:');
}

/** End offset of a comment token starting at `offset`, or -1 when there is none. */
export function matchComment(text: string, offset: number): number {
  if (text.charCodeAt(offset) !== 47 || text.charCodeAt(offset + 1) !== 42) return -1;
  if (!isBlank(text.charCodeAt(offset + 2))) return -1;
  return chooseEnd(text, offset + 2, ' */');
}

/** End offset of a quoted string starting at `offset`, or -1 when it is not closed. */
export function matchQuoted(text: string, offset: number): number {
  if (text.charCodeAt(offset) !== 34) return -1;
  return chooseEnd(text, offset + 1, '"');
}

/** The value between the delimiters of a comment token's image. */
export function commentText(image: string): string {
  return image.length >= 6 ? image.slice(3, image.length - 3) : '';
}

/** The value between the quotes of a quoted token's image. */
export function quotedText(image: string): string {
  return image.slice(1, image.length - 1);
}

function chooseEnd(text: string, from: number, closer: string): number {
  let first = -1;
  let at = text.indexOf(closer, from);
  while (at >= 0) {
    const end = at + closer.length;
    if (end === text.length || isBlank(text.charCodeAt(end))) {
      if (endsOrStartsItem(text, end)) return end;
      if (first < 0) first = end;
    }
    at = text.indexOf(closer, at + 1);
  }
  return first;
}
