/**
 * JSON written piece by piece, byte for byte as `JSON.stringify(value, null, 2)` writes it, so
 * that the AST or the summary of a dump with hundreds of thousands of rules is never one string
 * in memory. Pieces are gathered into chunks of about 64 KiB before they reach the sink.
 */

/** Collects small writes into pieces of about 64 KiB. */
export function bufferedWriter(sink: (s: string) => void): { write: (s: string) => void; flush: () => void } {
  let buf = '';
  const flush = (): void => {
    if (buf.length > 0) sink(buf);
    buf = '';
  };
  return {
    write: (s) => {
      buf += s;
      if (buf.length >= 65536) flush();
    },
    flush,
  };
}

/**
 * `JSON.stringify(s)`: the text in quotes, escaped. Most strings of a dump are printable ASCII
 * without quotes or backslashes, which need nothing but the quotes.
 */
export function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || c > 126) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/** `JSON.stringify(n)`: the number, or null when it is not finite. */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** Indentation by depth: INDENTS[d] is 2·d spaces. */
const INDENTS: string[] = [];
export function indentOf(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(' '.repeat(INDENTS.length * 2));
  return INDENTS[depth] as string;
}

/**
 * From this depth down, values are written by `JSON.stringify` whole: a rule of the parse AST
 * sits here (document, rule sets, rule set, tables, table, chains, chain, rules, rule), small
 * enough to be one string, and the native writer is faster than a walk.
 */
const STRINGIFY_DEPTH = 8;

const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;

/**
 * Writes `value` exactly as `JSON.stringify(value, null, 2)` would, starting at nesting `depth`
 * (the indentation of the line it starts on). Plain objects and arrays are walked here; anything
 * else that is an object (a class with `toJSON`, a Map) goes to `JSON.stringify`.
 */
export function writeJson(value: unknown, write: (s: string) => void, depth = 0): void {
  if (depth >= STRINGIFY_DEPTH && typeof value === 'object' && value !== null) {
    writeOther(value, write, depth);
    return;
  }
  switch (typeof value) {
    case 'string':
      write(jsonString(value));
      return;
    case 'number':
      write(jsonNumber(value));
      return;
    case 'boolean':
      write(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      // undefined, functions and symbols at the top; bigint throws as JSON.stringify does.
      writeOther(value, write, depth);
      return;
  }
  if (value === null) {
    write('null');
    return;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value) && proto === ARRAY_PROTO) {
    writeArray(value, write, depth);
    return;
  }
  if ((proto !== OBJECT_PROTO && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    writeOther(value, write, depth);
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const inner = indentOf(depth + 1);
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = obj[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    write(first ? `{\n${inner}${jsonString(k)}: ` : `,\n${inner}${jsonString(k)}: `);
    first = false;
    writeJson(v, write, depth + 1);
  }
  write(first ? '{}' : `\n${indentOf(depth)}}`);
}

function writeArray(value: readonly unknown[], write: (s: string) => void, depth: number): void {
  if (value.length === 0) {
    write('[]');
    return;
  }
  const inner = indentOf(depth + 1);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    write(i === 0 ? `[\n${inner}` : `,\n${inner}`);
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') write('null');
    else writeJson(v, write, depth + 1);
  }
  write(`\n${indentOf(depth)}]`);
}

/** What `JSON.stringify` writes for a value the walk leaves to it, indented at `depth`. */
function writeOther(value: unknown, write: (s: string) => void, depth: number): void {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  write(depth === 0 ? text : text.replaceAll('\n', `\n${indentOf(depth)}`));
}
