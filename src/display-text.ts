/**
 * Text from inputs made safe to show to people: on a terminal, in a CI log, in a graph label.
 * Every human-readable output goes through here, so that a name or a dump line can neither forge
 * a line of its own (a newline, a carriage return), drive the terminal (ESC, BEL, C1 codes),
 * reorder what is shown (bidirectional overrides), nor run on for a megabyte.
 *
 * Escapes take one form everywhere, JSON's: `\n`, `\r`, `\t`, `\b`, `\f`, else `\u001b`.
 */

/**
 * What is escaped: C0 controls (a newline too), DEL, C1 controls, the line and paragraph
 * separators, the bidirectional embeddings, overrides and isolates, and lone surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The same, but a newline is left alone (for multi-line reports). */
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
});

function escapeOne(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `s` with every control, separator, bidi override and lone surrogate escaped (a newline too). */
export function escapeControls(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, escapeOne) : s;
}

/** As {@link escapeControls}, but newlines are kept: for a report of many lines. */
export function escapeControlsKeepingLines(s: string): string {
  UNSAFE_BUT_NEWLINE.lastIndex = 0;
  return UNSAFE_BUT_NEWLINE.test(s) ? s.replace(UNSAFE_BUT_NEWLINE, escapeOne) : s;
}

/**
 * JSON text with the characters JSON leaves raw inside strings (DEL, C1, separators, bidi
 * controls) written as `\uXXXX` too; the value it parses to is the same.
 */
export function escapeJsonText(json: string): string {
  return escapeControlsKeepingLines(json);
}

/** `s` in double quotes, as JSON writes it, with every unsafe character escaped. */
export function quote(s: string): string {
  return escapeControls(JSON.stringify(s));
}

/** Tokens longer than this are shortened in messages. */
export const MAX_TOKEN = 80;

/**
 * A token from an input, cut to about `max` characters for a message: its start, `…` and its
 * full length, e.g. `xxxx… (1048576 characters)`. Tokens of `max` characters or fewer are
 * returned as they are.
 */
export function shorten(token: string, max = MAX_TOKEN): string {
  return token.length <= max ? token : `${token.slice(0, headLength(token, max))}… (${token.length} characters)`;
}

/** How much of a long token to keep: `max - 1` characters, less half a surrogate pair. */
function headLength(token: string, max: number): number {
  const keep = max - 1;
  const last = token.charCodeAt(keep - 1);
  return last >= 0xd800 && last <= 0xdbff ? keep - 1 : keep;
}

const LONG_TOKEN = new RegExp(`[^\\s]{${MAX_TOKEN + 1},}`, 'g');

/** `text` with every run of non-space characters longer than {@link MAX_TOKEN} shortened. */
export function shortenTokens(text: string): string {
  return text.length <= MAX_TOKEN ? text : text.replace(LONG_TOKEN, (t) => shorten(t));
}

/** The longest message echoed whole: longer ones (a run of spaces read as one token, say) are cut. */
const MAX_MESSAGE = 600;

/** A message with its long tokens shortened, and cut as a whole if it is still over {@link MAX_MESSAGE}. */
export function shortenMessage(text: string): string {
  return shorten(shortenTokens(text), MAX_MESSAGE);
}

/** Names that are shown bare: letters, digits and `-._/:@`, as Kubernetes names are. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

/** `token` quoted as {@link quote} does, shortened as {@link shorten} does: `"xxxx…" (1048576 characters)`. */
export function quoteToken(token: string): string {
  if (token.length <= MAX_TOKEN) return quote(token);
  return `${quote(`${token.slice(0, headLength(token, MAX_TOKEN))}…`)} (${token.length} characters)`;
}

/**
 * A name or kind from an input, for a message: bare when it is a plain name, else quoted and
 * escaped (`"bad\nname"`); shortened either way.
 */
export function displayName(name: string): string {
  const plain = PLAIN_NAME.test(name.length <= MAX_TOKEN ? name : name.slice(0, headLength(name, MAX_TOKEN)));
  return plain ? shorten(name) : quoteToken(name);
}

/** `line` without the spaces at its end (a loop: a regex would be quadratic in a long run of spaces). */
export function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 0x20) end--;
  return end === line.length ? line : line.slice(0, end);
}

const MERMAID_ENTITIES: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  '"': '#quot;',
  '#': '#35;',
  '%': '#37;',
  '&': '#38;',
  '<': '#lt;',
  '>': '#gt;',
  '\\': '#92;',
  '`': '#96;',
  '|': '#124;',
});

/**
 * The text of a Mermaid label, to be written inside double quotes: quotes, markup, `#` (which
 * starts an entity), backslashes and backticks as Mermaid entities, and a `%` that another `%`
 * follows (`%%` starts a directive or a comment) as `#37;`; controls escaped.
 */
export function mermaidLabel(s: string): string {
  return escapeControls(s).replace(/["#&<>\\`|]|%(?=%)/g, (c) => MERMAID_ENTITIES[c] ?? c);
}

const DOT_SPECIAL = new RegExp(`[\\\\"\\n]|${UNSAFE.source}`, 'g');

/**
 * A DOT string: in double quotes, quotes and backslashes escaped, a newline as DOT's `\n`, and
 * other controls shown escaped (`\u001b` as text).
 */
export function dotString(s: string): string {
  return `"${s.replace(DOT_SPECIAL, (c) => (c === '\\' || c === '"' ? `\\${c}` : c === '\n' ? '\\n' : `\\${escapeOne(c)}`))}"`;
}

/**
 * Cuts a word or line down for a diagnostic: text longer than `max` characters keeps its first
 * `keep` characters and ends in `...`.
 */
export function clip(text: string, max: number, keep = max - 3): string {
  return text.length > max ? `${text.slice(0, keep)}...` : text;
}
