/**
 * A fast reader for the plain YAML that Kubernetes manifests are written in (and `kubectl get -o
 * yaml` prints): block mappings and sequences indented with spaces, plain, single- and
 * double-quoted scalars on one line, `|` / `|-` literal blocks, comments, and the flow
 * collections people write by hand (`selector: {app: web}`, `ports: [{port: 80}]`,
 * `args: [--x, "--y"]`), nested, over one line or several, with trailing commas. It reads a
 * 20,000-document stream several times faster than js-yaml.
 *
 * It reads only what it is sure of, with js-yaml's meaning (YAML 1.2 core schema): strings,
 * decimal integers, `true`/`false`, `null`/`~`. At anything else — floats, dates, other number
 * forms, anchors, aliases, tags, folded blocks, multi-line scalars, tabs, duplicate keys, odd
 * indentation; in flow collections also `?` keys, single-pair entries (`[a: b]`), keys without a
 * value, empty entries, plain keys with `:` right after them (`{a:b}` is the key `a:b`) — it
 * gives up and returns null, and the caller reads the document with js-yaml, which also reports
 * the errors. A property test holds it to js-yaml's result on generated and mutated documents.
 */

/** The document's value, or null when the document needs the full YAML reader. */
export function loadPlainYaml(text: string): { value: unknown } | null {
  if (leftToJsYaml(text)) return null;
  try {
    return { value: new Reader(text).document() };
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  }
}

const GIVE_UP = Symbol('give up');


/** Nesting deeper than this is left to js-yaml, which has a limit of its own. */
const MAX_DEPTH = 40;

/**
 * Characters that send a document to js-yaml, found in one scan: tabs and carriage returns;
 * white space beyond the space character (YAML treats it as content, JavaScript's `trim` as
 * space); and what YAML does not allow in a stream at all (js-yaml reports it).
 */
const LEFT_TO_JS_YAML = /[\t\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;
/** A surrogate half without its other half (looked for only where a surrogate is: one scan less). */
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

function leftToJsYaml(text: string): boolean {
  return LEFT_TO_JS_YAML.test(text) || (SURROGATE.test(text) && LONE_SURROGATE.test(text));
}

function giveUp(): never {
  throw GIVE_UP;
}

/** First characters a plain scalar (or plain key) may not start with. */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const DECIMAL = /^-?(0|[1-9][0-9]*)$/;
const DOTTED_QUAD = /^[0-9]+(\.[0-9]+){3}(\/[0-9]+)?$/;
// Integer keys stay short enough to be exact numbers (js-yaml reads them as numbers).
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\/-]*$|^(0|[1-9][0-9]{0,14})$/;
const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const BOOLS = new Map([
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);
/** Plain keys js-yaml reads as something other than their text. */
const SPECIAL_KEYS = new Set([...NULLS, ...BOOLS.keys(), '__proto__', '<<']);

class Reader {
  private readonly lines: string[];
  private i = 0;
  private depth = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  document(): unknown {
    const first = this.nextLine();
    if (first >= 0 && this.lines[first]?.startsWith('---')) {
      if (this.lines[first] !== '---') giveUp();
      this.i = first + 1;
    }
    const at = this.nextLine();
    // An empty document means different things to js-yaml depending on what else is there.
    if (at < 0) giveUp();
    const value = this.block(indentOf(this.lines[at] as string));
    if (this.nextLine() >= 0) giveUp();
    return value;
  }

  /** The index of the next line with content (not blank, not a comment), or -1. */
  private nextLine(): number {
    for (let k = this.i; k < this.lines.length; k++) {
      const line = this.lines[k] as string;
      const n = indentOf(line);
      if (n === line.length) continue;
      if (line.charCodeAt(n) === 35 /* # */) continue;
      this.i = k;
      return k;
    }
    this.i = this.lines.length;
    return -1;
  }

  /** The block node whose first line is the next line, indented by `indent`. */
  private block(indent: number): unknown {
    if (++this.depth > MAX_DEPTH) giveUp();
    const line = this.lines[this.i] as string;
    const value = isSequenceEntry(line, indent) ? this.sequence(indent) : this.mapping(indent);
    this.depth--;
    return value;
  }

  /**
   * The next content line when it sits at `indent` (`this.i` then points at it); null when the
   * block has ended: a less indented line, or the end. A more indented line is not read here.
   */
  private lineAt(indent: number): string | null {
    const at = this.nextLine();
    if (at < 0) return null;
    const line = this.lines[at] as string;
    const n = indentOf(line);
    if (n < indent) return null;
    if (n > indent) giveUp();
    return line;
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const line = this.lineAt(indent);
      if (line === null || isSequenceEntry(line, indent)) return out;
      const { key, rest } = splitKey(line.slice(indent));
      if (Object.hasOwn(out, key)) giveUp();
      this.i++;
      const value = this.valueAfterIndicator(rest, indent, true, line.length - rest.length);
      // An own property, as JSON.parse and js-yaml make it: `__proto__: …` must not set the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const line = this.lineAt(indent);
      if (line === null || !isSequenceEntry(line, indent)) return out;
      const at = this.i;
      const after = line.slice(indent + 1);
      const pad = indentOf(after);
      const rest = after.slice(pad);
      if (rest === '' || rest.startsWith('#')) {
        this.i = at + 1;
        out.push(this.valueAfterIndicator('', indent, false));
        continue;
      }
      if (rest === '-' || rest.startsWith('- ')) giveUp();
      if (startsFlow(rest)) {
        out.push(this.flowInBlock(at, indent + 1 + pad, indent));
        continue;
      }
      if (looksLikeMappingEntry(rest)) {
        // `- key: value`: a mapping whose keys sit where this key does.
        const column = indent + 1 + pad;
        this.lines[at] = ' '.repeat(column) + rest;
        this.i = at;
        out.push(this.block(column));
        continue;
      }
      this.i = at + 1;
      out.push(scalar(rest));
    }
  }

  /**
   * The value after `key:` (`inMapping`) or a lone `-`: inline on the same line (`rest` starts at
   * `column` of the line before `this.i`), a literal block, or a block on the lines below.
   */
  private valueAfterIndicator(rest: string, indent: number, inMapping: boolean, column = 0): unknown {
    const inline = trimSpaces(rest);
    if (inline !== '' && !inline.startsWith('#')) {
      if (inline === '|' || inline === '|-') return this.literal(indent, inline === '|-');
      const value = startsFlow(inline) ? this.flowInBlock(this.i - 1, column + indentOf(rest), indent) : scalar(inline);
      // A scalar or flow collection never continues on a more indented line here.
      const at = this.nextLine();
      if (at >= 0 && indentOf(this.lines[at] as string) > indent) giveUp();
      return value;
    }
    const at = this.nextLine();
    if (at < 0) return null;
    const line = this.lines[at] as string;
    const n = indentOf(line);
    if (n > indent) return this.block(n);
    // A mapping's value may be a sequence at the key's own indentation.
    if (inMapping && n === indent && isSequenceEntry(line, indent)) return this.sequence(indent);
    return null;
  }

  /**
   * A flow collection that starts at `column` of line `at`, as a block node's value: its lines
   * after the first are indented more than `indent` (the block's), and after it the line holds
   * nothing but a comment. `this.i` is left at the line after it.
   */
  private flowInBlock(at: number, column: number, indent: number): unknown {
    const flow = new FlowReader(this.lines, at, column, indent, this.depth);
    const value = flow.node();
    const tail = (this.lines[flow.line] as string).slice(flow.col);
    if (tail !== '' && !/^ +(#.*)?$/.test(tail)) giveUp();
    this.i = flow.line + 1;
    return value;
  }

  /** A `|` (clip) or `|-` (strip) literal block more indented than `indent`. */
  private literal(indent: number, strip: boolean): string {
    const body: string[] = [];
    let contentIndent = -1;
    let leadingSpaces = 0;
    let k = this.i;
    for (; k < this.lines.length; k++) {
      const line = this.lines[k] as string;
      const n = indentOf(line);
      if (n === line.length) {
        // A blank line, inside or after the block. One with more spaces than the content's
        // indentation holds content (spaces); before the content, it is an error. Both are
        // left to js-yaml.
        if (contentIndent >= 0 && line.length > contentIndent) giveUp();
        if (contentIndent < 0) leadingSpaces = Math.max(leadingSpaces, line.length);
        body.push('');
        continue;
      }
      if (n <= indent) break;
      if (contentIndent < 0) {
        if (leadingSpaces > n) giveUp();
        contentIndent = n;
      }
      if (n < contentIndent) giveUp();
      body.push(line.slice(contentIndent));
    }
    if (contentIndent < 0) giveUp();
    // Leading blank lines are kept, trailing ones belong to chomping.
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    this.i = k;
    const text = body.join('\n');
    return strip || text === '' ? text : `${text}\n`;
  }
}

/** `s` without leading and trailing spaces (only U+0020: YAML's other white space is content). */
function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 32) n++;
  return n;
}

function isSequenceEntry(line: string, indent: number): boolean {
  if (line.charCodeAt(indent) !== 45 /* - */) return false;
  const next = line.charCodeAt(indent + 1);
  return Number.isNaN(next) || next === 32;
}

function looksLikeMappingEntry(rest: string): boolean {
  if (rest.startsWith('"') || rest.startsWith("'")) {
    const end = quotedEnd(rest);
    return end > 0 && rest.charCodeAt(end) === 58 /* : */;
  }
  return /^[^#]*?:( |$)/.test(rest);
}

/** The key of a `key: value` line (without its indentation) and the text after the colon. */
function splitKey(s: string): { key: string; rest: string } {
  if (s.startsWith('"') || s.startsWith("'")) {
    const end = quotedEnd(s);
    if (end < 0 || s.charCodeAt(end) !== 58 /* : */) giveUp();
    const key = quoted(s.slice(0, end));
    if (key === '__proto__' || key === '<<') giveUp();
    const after = s.slice(end + 1);
    if (after !== '' && !after.startsWith(' ')) giveUp();
    return { key, rest: after };
  }
  // A plain key: letters, digits, `_`, `.`, `/`, `-`, up to `: ` or a final `:`.
  let k = 0;
  for (; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 58 /* : */) break;
    if (!isKeyChar(c)) return fieldsKey(s);
  }
  if (k + 1 < s.length && s.charCodeAt(k + 1) !== 32) return fieldsKey(s);
  if (k === 0 || k === s.length || (k + 1 < s.length && s.charCodeAt(k + 1) !== 32)) giveUp();
  const key = s.slice(0, k);
  if (key === '.') return fieldsKey(s);
  if (!PLAIN_KEY.test(key) || SPECIAL_KEYS.has(key)) giveUp();
  return { key, rest: s.slice(k + 1) };
}

/**
 * The keys of `managedFields` as kubectl prints them: `f:metadata`, `k:{"port":80,"protocol":"TCP"}`,
 * `v:"10.0.0.1"`, `.`: plain scalars with `:`, quotes and braces inside, up to `: ` or a final `:`.
 * Only these shapes: a letter and a colon, then no blank or `#` before the key's own colon, braces
 * and brackets balanced; anything else is js-yaml's.
 */
function fieldsKey(s: string): { key: string; rest: string } {
  if (s.startsWith('.:') && (s.length === 2 || s.charCodeAt(2) === 32)) return { key: '.', rest: s.slice(2) };
  const m = /^[A-Za-z]:[^\s#]*?(?=:(?: |$))/.exec(s);
  if (!m) giveUp();
  const key = m[0];
  let depth = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
    if (depth < 0) giveUp();
  }
  if (depth !== 0 || key.endsWith(':')) giveUp();
  return { key, rest: s.slice(key.length + 1) };
}

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 47 && c <= 57) /* / 0-9 */ || c === 95 || c === 46 || c === 45;
}

/** The index just past the closing quote of the quoted scalar `s` starts with, or -1. */
function quotedEnd(s: string): number {
  const q = s.charCodeAt(0);
  const double = q === 34; /* " */
  for (let k = 1; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (double && c === 92 /* \ */) {
      k++;
      continue;
    }
    if (c === q) {
      if (!double && s.charCodeAt(k + 1) === q) {
        k++;
        continue;
      }
      return k + 1;
    }
  }
  return -1;
}

/** A quoted scalar (with its quotes) as a string. */
function quoted(s: string): string {
  if (s.startsWith("'")) return s.slice(1, -1).replaceAll("''", "'");
  const body = s.slice(1, -1);
  if (!body.includes('\\')) return body;
  // The escapes JSON shares with YAML mean the same in both; anything else goes to js-yaml.
  if (/\\(?![\\"\/bfnrt]|u[0-9A-Fa-f]{4})/.test(body)) giveUp();
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return giveUp();
  }
}

/** An inline scalar (trimmed, non-empty) with js-yaml's meaning. */
function scalar(text: string): unknown {
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = quotedEnd(text);
    if (end < 0) giveUp();
    const tail = text.slice(end);
    if (tail !== '' && !/^ +(#.*)?$/.test(tail)) giveUp();
    return quoted(text.slice(0, end));
  }
  let plain = text;
  const comment = plain.indexOf(' #');
  if (comment >= 0) plain = plain.slice(0, comment);
  plain = trimSpaces(plain);
  if (plain === '' || INDICATOR.test(plain) || /:( |$)/.test(plain)) giveUp();
  return plainScalar(plain);
}

/** A plain scalar's text (trimmed, one line, no indicator that makes it something else) with js-yaml's meaning. */
function plainScalar(plain: string): unknown {
  if (NULLS.has(plain)) return null;
  const b = BOOLS.get(plain);
  if (b !== undefined) return b;
  if (DECIMAL.test(plain)) {
    const n = Number(plain);
    if (!Number.isSafeInteger(n) || Object.is(n, -0)) giveUp();
    return n;
  }
  // Dotted quads (addresses, CIDRs) are no number or date; other numbers, floats, .inf/.nan and
  // dates are left to js-yaml. What no number or date can be (a uid such as `0b6c0001-1f2e-…`,
  // `1.2.3-beta`) is a string.
  if (/^[-+]?[.0-9]/.test(plain) && !DOTTED_QUAD.test(plain) && mayBeNumberOrDate(plain)) giveUp();
  return plain;
}

/** Shapes js-yaml may read as an integer (any base, `_`), a float (`.inf`, `.nan`) or a date, loosely. */
const NUMBER_OR_DATE = [
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0[box][0-9a-fA-F_]*$/i,
  /^[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(?:inf|nan)$/i,
  /^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
];

function mayBeNumberOrDate(plain: string): boolean {
  return NUMBER_OR_DATE.some((re) => re.test(plain));
}

function startsFlow(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 91 /* [ */ || c === 123; /* { */
}

/** Flow indicators: `,`, `[`, `]`, `{`, `}`. */
function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

/**
 * Reads one flow collection (`[…]` or `{…}`) from `lines`, starting at `line`:`col`, and leaves
 * `line`:`col` just past its closing bracket. It may go on over lines indented more than
 * `blockIndent`, with comments between its entries. What it is not sure of, it gives up on.
 */
class FlowReader {
  line: number;
  col: number;
  private text: string;

  constructor(
    private readonly lines: readonly string[],
    line: number,
    col: number,
    private readonly blockIndent: number,
    private depth: number,
  ) {
    this.line = line;
    this.col = col;
    this.text = lines[line] as string;
  }

  /** A flow collection, a quoted scalar or a plain scalar, at the current position. */
  node(): unknown {
    const c = this.text.charCodeAt(this.col);
    if (c === 91 /* [ */) return this.sequence();
    if (c === 123 /* { */) return this.mapping();
    if (c === 34 /* " */ || c === 39 /* ' */) return this.quotedScalar();
    return this.plain();
  }

  private sequence(): unknown[] {
    if (++this.depth > MAX_DEPTH) giveUp();
    this.col++;
    const out: unknown[] = [];
    this.skip();
    while (this.text.charCodeAt(this.col) !== 93 /* ] */) {
      out.push(this.node());
      // `[a: b]` is a mapping of one pair, left to js-yaml with everything else unexpected.
      if (this.endOfEntry(93)) break;
    }
    this.col++;
    this.depth--;
    return out;
  }

  private mapping(): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) giveUp();
    this.col++;
    const out: Record<string, unknown> = {};
    this.skip();
    while (this.text.charCodeAt(this.col) !== 125 /* } */) {
      const key = this.key();
      if (Object.hasOwn(out, key)) giveUp();
      out[key] = this.node();
      if (this.endOfEntry(125)) break;
    }
    this.col++;
    this.depth--;
    return out;
  }

  /**
   * After an entry: skips to the `,` (and past it, to the next entry) or to the closing
   * bracket `close`, and says whether the collection ends there.
   */
  private endOfEntry(close: number): boolean {
    this.skip();
    const c = this.text.charCodeAt(this.col);
    if (c === close) return true;
    if (c !== 44 /* , */) giveUp();
    this.col++;
    this.skip();
    // An empty entry (`[a,,b]`) is an error.
    if (this.text.charCodeAt(this.col) === 44) giveUp();
    return this.text.charCodeAt(this.col) === close;
  }

  /**
   * A mapping key and its `: ` (or, after a quoted key, `:` alone, as in JSON), leaving the
   * position at the value, which is on the same line.
   */
  private key(): string {
    const t = this.text;
    const start = this.col;
    let key: string;
    const q = t.charCodeAt(start);
    if (q === 34 /* " */ || q === 39 /* ' */) {
      const end = quotedEnd(t.slice(start));
      if (end < 0) giveUp();
      key = quoted(t.slice(start, start + end));
      if (key === '__proto__' || key === '<<') giveUp();
      this.col = start + end;
      if (t.charCodeAt(this.col) !== 58 /* : */) giveUp();
      this.col++;
    } else {
      let k = start;
      while (k < t.length && isKeyChar(t.charCodeAt(k))) k++;
      key = t.slice(start, k);
      if (!PLAIN_KEY.test(key) || SPECIAL_KEYS.has(key)) giveUp();
      // `{a:b}` is the key `a:b`; `{a : b}` and `{a:}` are left to js-yaml too.
      if (t.charCodeAt(k) !== 58 /* : */ || t.charCodeAt(k + 1) !== 32) giveUp();
      this.col = k + 1;
    }
    while (t.charCodeAt(this.col) === 32) this.col++;
    // The value is on this line and is not empty.
    const c = t.charCodeAt(this.col);
    if (this.col >= t.length || c === 35 /* # */ || (isFlowIndicator(c) && c !== 91 && c !== 123)) giveUp();
    return key;
  }

  private quotedScalar(): string {
    const t = this.text;
    const end = quotedEnd(t.slice(this.col));
    // A quoted scalar over several lines is folded: left to js-yaml.
    if (end < 0) giveUp();
    const value = quoted(t.slice(this.col, this.col + end));
    this.col += end;
    return value;
  }

  /** A plain scalar on one line, ended by a flow indicator, `: `, ` #` or the line's end. */
  private plain(): unknown {
    const t = this.text;
    const start = this.col;
    const first = t.charCodeAt(start);
    // `-` starts a plain scalar when something other than space follows; `--x`, `-x` and `-1`
    // are certain (other numbers go to js-yaml below).
    if (first === 45 /* - */) {
      if (!/^-[-A-Za-z_0-9]/.test(t.slice(start, start + 2))) giveUp();
    } else if (this.col >= t.length || INDICATOR.test(t[start] as string)) giveUp();
    let k = start + 1;
    for (; k < t.length; k++) {
      const c = t.charCodeAt(k);
      if (isFlowIndicator(c)) break;
      if (c === 35 /* # */ && t.charCodeAt(k - 1) === 32) break;
      if (c === 58 /* : */) {
        const d = t.charCodeAt(k + 1);
        // `a: ` after a plain scalar makes it a key; `a:b` is one scalar.
        if (k + 1 >= t.length || d === 32 || isFlowIndicator(d)) giveUp();
      }
    }
    let end = k;
    while (end > start && t.charCodeAt(end - 1) === 32) end--;
    this.col = end;
    return plainScalar(t.slice(start, end));
  }

  /**
   * Skips spaces, comments and line ends. A line with content must be indented more than the
   * block the collection is in; a collection that does not end is left to js-yaml.
   */
  private skip(): void {
    for (;;) {
      const t = this.text;
      while (this.col < t.length && t.charCodeAt(this.col) === 32) this.col++;
      if (this.col < t.length) {
        if (t.charCodeAt(this.col) !== 35 /* # */) return;
        // A comment needs a space before it (or the line's start).
        if (this.col > 0 && t.charCodeAt(this.col - 1) !== 32) return;
      }
      if (++this.line >= this.lines.length) giveUp();
      this.text = this.lines[this.line] as string;
      const n = indentOf(this.text);
      this.col = n;
      if (n < this.text.length && n <= this.blockIndent) giveUp();
    }
  }
}
