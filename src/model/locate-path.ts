/**
 * Finds where the value at a path (`['items', 123, 'spec', 'ports', 0, 'port']`) starts in the
 * text of one YAML or JSON document, without building a tree: it walks the text from the root
 * down the path, and skips every value that is not on the path by bracket counting (flow style,
 * JSON) or by indentation (block style). Nothing here recurses on the input, so neither a deep
 * nor a long document can exhaust the stack, and the memory it keeps is the offsets of the
 * collections it has walked.
 *
 * It answers as the `yaml` package's source ranges do (the offset of a node's first character
 * after its anchor and tag; for an empty value, the place just after its indicator and the
 * spaces that follow), so a diagnostic points at the same line and column either way. Where the
 * text holds a form it does not read (explicit `?` keys, a key over several lines, an empty
 * flow entry, …) it says so (`sure: false`) and gives the deepest node found up to there.
 */

export interface PathLocation {
  /** Offset of the deepest node of the path that exists; -1 when the document has no content. */
  offset: number;
  /** How many segments of the path lead to that node. */
  found: number;
  /** False when the text held a form the locator does not read; `offset` is then a best guess. */
  sure: boolean;
}

type Segment = string | number;

/** The children of one collection, found once and kept for later paths through it. */
interface Children {
  /** Item offsets of a sequence. */
  items?: number[];
  /** First value offset of each key of a mapping (keys as the `yaml` package types them). */
  keys?: Map<unknown, number>;
}

class Unsure {
  constructor(readonly at: number) {}
}

function unsure(at: number): never {
  throw new Unsure(at);
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const DQUOTE = 34;
const SQUOTE = 39;
const COLON = 58;
const COMMA = 44;
const DASH = 45;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const BACKSLASH = 92;

export class PathLocator {
  private readonly children = new Map<number, Children>();
  /** Offsets of the nodes found inside flow collections: only a flow collection has children there. */
  private readonly inFlow = new Set<number>();
  private root: number | undefined;

  constructor(private readonly text: string) {}

  locate(path: readonly Segment[]): PathLocation {
    let offset = -1;
    let found = 0;
    try {
      offset = this.rootOffset();
      if (offset < 0) return { offset, found, sure: true };
      for (const seg of path) {
        const child = this.child(offset, seg);
        if (child < 0) break;
        offset = child;
        found++;
      }
      return { offset, found, sure: true };
    } catch (e) {
      if (e instanceof Unsure) return { offset, found, sure: false };
      throw e;
    }
  }

  // --- the document's root ------------------------------------------------------------------

  private rootOffset(): number {
    if (this.root !== undefined) return this.root;
    const t = this.text;
    let p = 0;
    let sawMarker = false;
    for (;;) {
      p = this.skipSpaces(p);
      if (p >= t.length) break;
      const c = t.charCodeAt(p);
      if (c === LF || c === CR) {
        p++;
        continue;
      }
      if (c === HASH) {
        p = this.lineEnd(p);
        continue;
      }
      const col = p - this.lineStart(p);
      if (col === 0 && !sawMarker && c === 37 /* % */) {
        p = this.lineEnd(p);
        continue;
      }
      if (col === 0 && isMarker(t, p, '---')) {
        if (sawMarker) break;
        sawMarker = true;
        p += 3;
        continue;
      }
      if (col === 0 && isMarker(t, p, '...')) break;
      p = this.afterProperties(p);
      this.root = p;
      return p;
    }
    this.root = -1;
    return -1;
  }

  // --- one step down the path ---------------------------------------------------------------

  /** The offset of the child `seg` of the node at `at`, or -1 when there is none. */
  private child(at: number, seg: Segment): number {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === LBRACE || c === LBRACKET) {
      const kids = this.collect(at, () => (c === LBRACE ? this.flowMapping(at) : this.flowSequence(at)));
      return lookUp(kids, seg);
    }
    if (this.inFlow.has(at)) return -1;
    if (c === DASH && isBlankOrEnd(t.charCodeAt(at + 1))) {
      const kids = this.collect(at, () => this.blockSequence(at));
      return lookUp(kids, seg);
    }
    if (this.startsBlockKey(at)) {
      const kids = this.collect(at, () => this.blockMapping(at));
      return lookUp(kids, seg);
    }
    return -1;
  }

  private collect(at: number, read: () => Children): Children {
    let kids = this.children.get(at);
    if (!kids) {
      kids = read();
      this.children.set(at, kids);
    }
    return kids;
  }

  // --- block style --------------------------------------------------------------------------

  /** Whether a block mapping's first key starts at `at`: a key followed by `:` and a blank. */
  private startsBlockKey(at: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.skipQuoted(at);
      const p = this.skipSpaces(end);
      return t.charCodeAt(p) === COLON;
    }
    if (c === 63 /* ? */ && isBlankOrEnd(t.charCodeAt(at + 1))) unsure(at);
    if (isFlowIndicatorOrSpecial(c)) return false;
    for (let p = at; p < t.length; p++) {
      const d = t.charCodeAt(p);
      if (d === LF || d === CR) return false;
      if (d === COLON && isBlankOrEnd(t.charCodeAt(p + 1))) return true;
      if (d === HASH && (t.charCodeAt(p - 1) === SPACE || t.charCodeAt(p - 1) === TAB)) return false;
    }
    return false;
  }

  private blockMapping(first: number): Children {
    const indent = first - this.lineStart(first);
    const keys = new Map<unknown, number>();
    let at = first;
    for (;;) {
      const { key, after } = this.blockKey(at);
      const value = this.valueAfterIndicator(after, indent, true);
      if (key !== NO_KEY && !keys.has(key)) keys.set(key, value.offset);
      const next = this.nextEntry(value.resume, indent, false);
      if (next < 0) break;
      at = next;
    }
    return { keys };
  }

  private blockSequence(first: number): Children {
    const indent = first - this.lineStart(first);
    const items: number[] = [];
    let at = first;
    for (;;) {
      const value = this.valueAfterIndicator(at + 1, indent, false);
      items.push(value.offset);
      const next = this.nextEntry(value.resume, indent, true);
      if (next < 0) break;
      at = next;
    }
    return { items };
  }

  /** A block key at `at`: its value as the `yaml` package types it, and the offset after its `:`. */
  private blockKey(at: number): { key: unknown; after: number } {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.skipQuoted(at);
      const colon = this.skipSpaces(end);
      if (t.charCodeAt(colon) !== COLON) unsure(at);
      return { key: quotedValue(t.slice(at, end), at), after: colon + 1 };
    }
    if (c === 63 /* ? */ || isFlowIndicatorOrSpecial(c)) unsure(at);
    for (let p = at; p < t.length; p++) {
      const d = t.charCodeAt(p);
      if (d === LF || d === CR) break;
      if (d === COLON && isBlankOrEnd(t.charCodeAt(p + 1))) {
        return { key: plainValue(trimEnd(t.slice(at, p))), after: p + 1 };
      }
      if (d === HASH && (t.charCodeAt(p - 1) === SPACE || t.charCodeAt(p - 1) === TAB)) break;
    }
    return unsure(at);
  }

  /**
   * The value after a `:` or `-` indicator (at `after`, the offset just past it) of an entry of a
   * block collection indented by `indent`: on the same line, on the lines below (more indented;
   * for a mapping, also a sequence at the key's own indentation), or empty. `resume` is where
   * the search for the next entry goes on.
   */
  private valueAfterIndicator(after: number, indent: number, inMapping: boolean): { offset: number; resume: number } {
    const t = this.text;
    let p = this.afterProperties(this.skipSpaces(after));
    const c = t.charCodeAt(p);
    if (p < t.length && c !== LF && c !== CR && c !== HASH) {
      // A flow collection or a quoted scalar may go on over several lines: skip it whole.
      if (c === LBRACE || c === LBRACKET || c === DQUOTE || c === SQUOTE) return { offset: p, resume: this.skipFlowNode(p) };
      return { offset: p, resume: p };
    }
    const empty = p;
    // The value, if any, starts on a later line.
    for (let line = this.nextLineStart(p); line >= 0 && line < t.length; line = this.nextLineStart(line)) {
      const q = this.skipSpaces(line);
      const d = t.charCodeAt(q);
      if (q >= t.length) break;
      if (d === LF || d === CR || d === HASH) continue;
      const n = q - line;
      if (n === 0 && (isMarker(t, q, '---') || isMarker(t, q, '...'))) break;
      if (n > indent || (inMapping && n === indent && d === DASH && isBlankOrEnd(t.charCodeAt(q + 1)))) {
        p = this.afterProperties(q);
        const e = t.charCodeAt(p);
        if (e === LBRACE || e === LBRACKET || e === DQUOTE || e === SQUOTE) return { offset: p, resume: this.skipFlowNode(p) };
        return { offset: p, resume: p };
      }
      break;
    }
    return { offset: empty, resume: empty };
  }

  /**
   * The offset of the next entry of a block collection indented by `indent`, searching from the
   * line after the one `from` is on; -1 at the collection's end.
   */
  private nextEntry(from: number, indent: number, sequence: boolean): number {
    const t = this.text;
    for (let line = this.nextLineStart(from); line >= 0 && line < t.length; line = this.nextLineStart(line)) {
      const q = this.skipSpaces(line);
      if (q >= t.length) return -1;
      const d = t.charCodeAt(q);
      if (d === LF || d === CR || d === HASH) continue;
      const n = q - line;
      if (n > indent) continue;
      if (n < indent) return -1;
      if (n === 0 && (isMarker(t, q, '---') || isMarker(t, q, '...'))) return -1;
      const isItem = d === DASH && isBlankOrEnd(t.charCodeAt(q + 1));
      if (sequence) return isItem ? q : -1;
      // In a mapping, a sequence at the key's indentation is the previous key's value.
      if (isItem) continue;
      return q;
    }
    return -1;
  }

  // --- flow style and JSON ------------------------------------------------------------------

  private flowSequence(open: number): Children {
    const t = this.text;
    const items: number[] = [];
    let p = this.skipFlowSpace(open + 1);
    if (t.charCodeAt(p) === RBRACKET) return { items };
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === COMMA || c === RBRACKET || p >= t.length) unsure(p);
      const start = this.afterProperties(p);
      items.push(start);
      this.inFlow.add(start);
      p = this.skipFlowSpace(this.skipFlowNode(start));
      // `[a: 1]`: a mapping of one pair.
      if (t.charCodeAt(p) === COLON) unsure(p);
      const d = t.charCodeAt(p);
      if (d === COMMA) {
        p = this.skipFlowSpace(p + 1);
        if (t.charCodeAt(p) === RBRACKET) return { items };
        continue;
      }
      if (d === RBRACKET) return { items };
      return unsure(p);
    }
  }

  private flowMapping(open: number): Children {
    const t = this.text;
    const keys = new Map<unknown, number>();
    let p = this.skipFlowSpace(open + 1);
    if (t.charCodeAt(p) === RBRACE) return { keys };
    for (;;) {
      const c = t.charCodeAt(p);
      let key: unknown;
      if (c === DQUOTE || c === SQUOTE) {
        const end = this.skipQuoted(p);
        key = quotedValue(t.slice(p, end), p);
        p = this.skipFlowSpace(end);
      } else {
        if (c === 63 /* ? */ || isFlowIndicatorOrSpecial(c) || p >= t.length) unsure(p);
        const start = p;
        while (p < t.length) {
          const d = t.charCodeAt(p);
          if (d === COLON && isFlowValueStart(t.charCodeAt(p + 1))) break;
          if (d === COMMA || d === RBRACE || d === RBRACKET || d === LBRACE || d === LBRACKET || d === LF || d === CR) unsure(p);
          if (d === HASH && (t.charCodeAt(p - 1) === SPACE || t.charCodeAt(p - 1) === TAB)) unsure(p);
          p++;
        }
        key = plainValue(trimEnd(t.slice(start, p)));
      }
      if (t.charCodeAt(p) !== COLON) unsure(p);
      p = this.afterProperties(this.skipFlowSpace(p + 1));
      const d = t.charCodeAt(p);
      let value = p;
      if (d === COMMA || d === RBRACE) {
        // An empty value: where the `yaml` package puts it, just after the spaces that follow `:`.
        value = p;
      } else {
        p = this.skipFlowNode(p);
      }
      if (!keys.has(key)) {
        keys.set(key, value);
        this.inFlow.add(value);
      }
      p = this.skipFlowSpace(p);
      const e = t.charCodeAt(p);
      if (e === COMMA) {
        p = this.skipFlowSpace(p + 1);
        if (t.charCodeAt(p) === RBRACE) return { keys };
        continue;
      }
      if (e === RBRACE) return { keys };
      return unsure(p);
    }
  }

  /**
   * The offset just past the flow node (or quoted scalar, or plain scalar in flow context) that
   * starts at `at`. Collections are skipped by counting brackets, strings and comments aside.
   */
  private skipFlowNode(at: number): number {
    const t = this.text;
    const n = t.length;
    const c = t.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) return this.skipQuoted(at);
    if (c !== LBRACE && c !== LBRACKET) return this.skipFlowPlain(at);
    let depth = 0;
    // Whether a quote here would open a quoted scalar (it does at the start of a node only).
    let nodeStart = true;
    /** Where the last quoted scalar ended: a `:` right after it is JSON's, and a value follows. */
    let quotedEnd = -1;
    let p = at;
    while (p < n) {
      const d = t.charCodeAt(p);
      switch (d) {
        case LBRACE:
        case LBRACKET:
          depth++;
          nodeStart = true;
          p++;
          break;
        case RBRACE:
        case RBRACKET:
          depth--;
          p++;
          if (depth === 0) return p;
          nodeStart = false;
          break;
        case COMMA:
          nodeStart = true;
          p++;
          break;
        case COLON:
          // `a:"b"` is one plain scalar; `a: "b"` and `"a":"b"` are a key and its value.
          nodeStart = isFlowValueStart(t.charCodeAt(p + 1)) || p === quotedEnd;
          p++;
          break;
        case DQUOTE:
        case SQUOTE:
          if (nodeStart) {
            p = this.skipQuoted(p);
            quotedEnd = p;
            nodeStart = false;
          } else p++;
          break;
        case SPACE:
        case TAB:
        case LF:
        case CR:
          p++;
          if (t.charCodeAt(p) === HASH) p = this.lineEnd(p);
          break;
        default:
          nodeStart = false;
          p++;
      }
    }
    return unsure(at);
  }

  /** The offset just past a plain scalar in flow context (or an alias) starting at `at`. */
  private skipFlowPlain(at: number): number {
    const t = this.text;
    let p = at;
    while (p < t.length) {
      const d = t.charCodeAt(p);
      if (d === COMMA || d === RBRACE || d === RBRACKET || d === LBRACE || d === LBRACKET) return p;
      if (d === COLON && isFlowValueStart(t.charCodeAt(p + 1))) return p;
      if ((d === SPACE || d === TAB || d === LF || d === CR) && t.charCodeAt(p + 1) === HASH) return p + 1;
      p++;
    }
    return p;
  }

  /** The offset just past the quoted scalar starting at `at` (a quote). */
  private skipQuoted(at: number): number {
    const t = this.text;
    const q = t.charCodeAt(at);
    let p = at + 1;
    if (q === SQUOTE) {
      for (;;) {
        const end = t.indexOf("'", p);
        if (end < 0) return unsure(at);
        if (t.charCodeAt(end + 1) === SQUOTE) {
          p = end + 2;
          continue;
        }
        return end + 1;
      }
    }
    for (;;) {
      const end = t.indexOf('"', p);
      if (end < 0) return unsure(at);
      let backslashes = 0;
      for (let k = end - 1; k > at && t.charCodeAt(k) === BACKSLASH; k--) backslashes++;
      if (backslashes % 2 === 0) return end + 1;
      p = end + 1;
    }
  }

  /** Skips white space, line breaks and comments in flow context. */
  private skipFlowSpace(at: number): number {
    const t = this.text;
    let p = at;
    while (p < t.length) {
      const d = t.charCodeAt(p);
      if (d === SPACE || d === TAB || d === LF || d === CR) p++;
      else if (d === HASH && (p === at || isBlank(t.charCodeAt(p - 1)))) p = this.lineEnd(p);
      else break;
    }
    return p;
  }

  // --- small helpers over the text ----------------------------------------------------------

  /** Skips an anchor (`&a`) and a tag (`!t`) before a node, with the spaces after them. */
  private afterProperties(at: number): number {
    const t = this.text;
    let p = at;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c !== 38 /* & */ && c !== 33 /* ! */) return p;
      while (p < t.length && !isBlank(t.charCodeAt(p)) && t.charCodeAt(p) !== LF && t.charCodeAt(p) !== CR) p++;
      p = this.skipSpaces(p);
    }
  }

  private skipSpaces(at: number): number {
    const t = this.text;
    let p = at;
    while (p < t.length && isBlank(t.charCodeAt(p))) p++;
    return p;
  }

  private lineStart(at: number): number {
    return this.text.lastIndexOf('\n', at - 1) + 1;
  }

  private lineEnd(at: number): number {
    const nl = this.text.indexOf('\n', at);
    return nl < 0 ? this.text.length : nl;
  }

  /** The start of the line after the one `at` is on, or -1 on the last line. */
  private nextLineStart(at: number): number {
    const nl = this.text.indexOf('\n', at);
    return nl < 0 ? -1 : nl + 1;
  }
}

const NO_KEY = Symbol('no key');

function lookUp(kids: Children, seg: Segment): number {
  if (kids.items) {
    // As the `yaml` package reads an index: a number, or a string of one.
    const idx = typeof seg === 'string' && seg !== '' ? Number(seg) : seg;
    if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0) return -1;
    return kids.items[idx] ?? -1;
  }
  return kids.keys?.get(seg) ?? -1;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isBlankOrEnd(c: number): boolean {
  return Number.isNaN(c) || c === SPACE || c === TAB || c === LF || c === CR;
}

function isFlowValueStart(c: number): boolean {
  return isBlankOrEnd(c) || c === COMMA || c === RBRACE || c === RBRACKET || c === LBRACE || c === LBRACKET;
}

/** Characters a plain key cannot start with. */
function isFlowIndicatorOrSpecial(c: number): boolean {
  return (
    c === LBRACE || c === LBRACKET || c === RBRACE || c === RBRACKET || c === COMMA || c === HASH || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 37 || c === 64 || c === 96
  );
}

function isMarker(t: string, at: number, marker: string): boolean {
  return t.startsWith(marker, at) && isBlankOrEnd(t.charCodeAt(at + 3));
}

function trimEnd(s: string): string {
  let b = s.length;
  while (b > 0 && isBlank(s.charCodeAt(b - 1))) b--;
  return s.slice(0, b);
}

/** A quoted key's value; escapes are read as JSON reads them, others are not understood. */
function quotedValue(image: string, at: number): string {
  if (image.charCodeAt(0) === SQUOTE) {
    if (image.includes('\n')) unsure(at);
    return image.slice(1, -1).replaceAll("''", "'");
  }
  if (image.includes('\n')) unsure(at);
  if (!image.includes('\\')) return image.slice(1, -1);
  try {
    return JSON.parse(image) as string;
  } catch {
    return unsure(at);
  }
}

const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_OCT = /^0o[0-7]+$/;
const CORE_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const CORE_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|true|True|TRUE|false|False|FALSE|~|null|Null|NULL)?$/;

/** A plain key as the `yaml` package's core schema types it: numbers are numbers; booleans and nulls never match a path. */
function plainValue(s: string): unknown {
  if (CORE_SPECIAL.test(s)) return NO_KEY;
  if (CORE_INT.test(s) || CORE_FLOAT.test(s)) return Number(s);
  if (CORE_OCT.test(s)) return parseInt(s.slice(2), 8);
  if (CORE_HEX.test(s)) return parseInt(s.slice(2), 16);
  return s;
}
