/**
 * Characters a web page or a chat puts into text copied from a terminal: non-breaking and other
 * Unicode spaces, typographic quotes, zero-width characters. Each is read as what the terminal
 * showed: a space, `"` or `'`, nothing. Spaces and quotes keep every column where it was; a
 * zero-width character is dropped, so columns after it on its line move left by one.
 */
export interface CopyArtefact {
  /** What was replaced, for a note: `non-breaking space (U+00A0)`. */
  what: string;
  /** The first line (from 1) it was found on, and how many there were in the text. */
  line: number;
  count: number;
}

export interface CleanedText {
  text: string;
  artefacts: CopyArtefact[];
}

const ANY_ARTEFACT = /[\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\u2018-\u201f\u2032\u2033\ufeff]/;

const SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/;
const DOUBLE_QUOTES = /[\u201c-\u201f\u2033]/;
const SINGLE_QUOTES = /[\u2018-\u201b\u2032]/;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/;

/** Replaces copy artefacts; the text comes back unchanged (the same string) when it has none. */
export function withoutCopyArtefacts(text: string): CleanedText {
  if (!ANY_ARTEFACT.test(text)) return { text, artefacts: [] };
  const found = new Map<string, CopyArtefact>();
  const note = (what: string, line: number): void => {
    const a = found.get(what);
    if (a === undefined) found.set(what, { what, line, count: 1 });
    else a.count++;
  };
  const parts: string[] = [];
  let line = 1;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (c < 0xa0) continue;
    const ch = text[i] as string;
    let by: string | undefined;
    if (SPACES.test(ch)) {
      by = ' ';
      note(c === 0xa0 ? 'non-breaking space (U+00A0)' : `Unicode space (U+${hex(c)})`, line);
    } else if (DOUBLE_QUOTES.test(ch)) {
      by = '"';
      note('typographic double quote', line);
    } else if (SINGLE_QUOTES.test(ch)) {
      by = "'";
      note('typographic single quote', line);
    } else if (ZERO_WIDTH.test(ch)) {
      // A byte-order mark that starts the text is the readers' own business.
      if (i === 0 && c === 0xfeff) continue;
      by = '';
      note(`zero-width character (U+${hex(c)})`, line);
    }
    if (by === undefined) continue;
    parts.push(text.slice(from, i), by);
    from = i + 1;
  }
  if (parts.length === 0) return { text, artefacts: [] };
  parts.push(text.slice(from));
  return { text: parts.join(''), artefacts: [...found.values()] };
}

function hex(c: number): string {
  return c.toString(16).toUpperCase().padStart(4, '0');
}

/** A note's text for an artefact: `3 non-breaking spaces (U+00A0) read as spaces (first on line 2)`. */
export function describeArtefact(a: CopyArtefact): string {
  const as = a.what.includes('quote') ? `as ${a.what.includes('double') ? '"' : "'"}` : a.what.startsWith('zero-width') ? 'as nothing' : 'as spaces';
  const what = a.count === 1 ? a.what : `${a.count} × ${a.what}`;
  return `${what} read ${as} (copied text${a.count > 1 ? `; first on line ${a.line}` : ''})`;
}

/**
 * An author's mark after a line of a dump: `-A KUBE-SVC-X … -j KUBE-SEP-Y   ← 1`, `… <-- this
 * one`, `…   # the service`. Outside double quotes, after blanks: an arrow (`←`, `⬅`, `<-`,
 * `<--`, `<==`), or `#` after two blanks or a tab. Returns the column (from 0) where the mark
 * starts, or -1.
 */
export function annotationStart(line: string): number {
  if (!ANNOTATION_HINT.test(line)) return -1;
  let quoted = false;
  let inComment = false;
  for (let i = 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inComment) {
      if (c === 47 && line.charCodeAt(i - 1) === 42) inComment = false;
      continue;
    }
    if (c === 34) quoted = !quoted;
    if (quoted) continue;
    // An `iptables -L` comment, `/* … */`, is the rule's own text.
    if (c === 42 && line.charCodeAt(i - 1) === 47) {
      inComment = true;
      continue;
    }
    const before = line.charCodeAt(i - 1);
    if (before !== 32 && before !== 9) continue;
    if (ARROW.test(line.slice(i, i + 4))) return trimBlanksBefore(line, i);
    if (c === 35 && (before === 9 || (i >= 2 && line.charCodeAt(i - 2) === 32))) return trimBlanksBefore(line, i);
  }
  return -1;
}

const ANNOTATION_HINT = /[←⬅]|<-|<==|\s#/;
const ARROW = /^(?:[←⬅]|<-+|<=+)(?=[\s\dA-Za-z]|$)/;

function trimBlanksBefore(line: string, i: number): number {
  let j = i;
  while (j > 0 && (line.charCodeAt(j - 1) === 32 || line.charCodeAt(j - 1) === 9)) j--;
  return j;
}
