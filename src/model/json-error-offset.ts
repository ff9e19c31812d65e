/** Nesting deeper than this is refused: Kubernetes objects are less than 30 levels deep. */
export const MAX_DEPTH = 256;

/** The message of a document nested deeper than `MAX_DEPTH`. */
export function tooDeepMessage(limit = MAX_DEPTH): string {
  return `nesting deeper than ${limit} levels`;
}

/**
 * Finds where a JSON text stops being valid JSON, for diagnostics: V8's JSON.parse does not
 * always say where. Runs only after JSON.parse has failed. Returns the offset of the first
 * offending character (the text length when the text ends too early) and a short reason. A
 * bracket that opens a level deeper than `maxDepth` counts as offending too. It keeps its own
 * stack of open brackets, so no depth of input can exhaust the call stack.
 */
export function jsonErrorOffset(text: string, maxDepth = MAX_DEPTH): { offset: number; reason: string } {
  let i = 0;
  const n = text.length;
  class Stop {
    constructor(
      readonly offset: number,
      readonly reason: string,
    ) {}
  }
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (reason: string): never => {
    throw new Stop(i, i >= n ? 'unexpected end of input' : `${reason}, found ${JSON.stringify(text[i])}`);
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('expected a value');
  };
  const string = () => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 5;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('bad escape');
      }
      i++;
    }
    fail('unterminated string');
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail('expected a value');
    i += m?.[0].length ?? 0;
  };
  const key = () => {
    ws();
    if (text[i] !== '"') fail('expected a double-quoted property name');
    string();
    ws();
    if (text[i] !== ':') fail("expected ':'");
    i++;
  };
  /** The brackets open around the current position, innermost last. */
  const open: string[] = [];
  try {
    for (;;) {
      // A value.
      ws();
      const c = text[i];
      let opened = false;
      if (c === '{' || c === '[') {
        if (open.length >= maxDepth) throw new Stop(i, tooDeepMessage(maxDepth));
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) i++;
        else {
          open.push(c);
          if (c === '{') key();
          opened = true;
        }
      } else if (c === '"') string();
      else if (c === 't') literal('true');
      else if (c === 'f') literal('false');
      else if (c === 'n') literal('null');
      else number();
      if (opened) continue;
      // After a value: close what ends here, then go on after a comma, or stop at the end.
      let next = false;
      while (!next) {
        const top = open[open.length - 1];
        if (top === undefined) {
          ws();
          if (i < n) fail('unexpected text after the JSON value');
          return { offset: n, reason: 'invalid JSON' };
        }
        ws();
        if (text[i] === ',') {
          i++;
          if (top === '{') key();
          next = true;
        } else if (text[i] === (top === '{' ? '}' : ']')) {
          i++;
          open.pop();
        } else fail(top === '{' ? "expected ',' or '}'" : "expected ',' or ']'");
      }
    }
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, reason: e.reason };
    throw e;
  }
}

/**
 * Whether a parsed value nests arrays and objects deeper than `maxDepth` (the value itself is
 * level 1). Walks the containers with a stack of its own; cheaper than a pass over the text,
 * which is made only when the answer is yes (`jsonTooDeepAt`).
 */
export function nestsDeeperThan(value: unknown, maxDepth = MAX_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  for (;;) {
    const node = nodes.pop();
    const depth = depths.pop();
    if (node === undefined || depth === undefined) return false;
    if (depth > maxDepth) return true;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (typeof child === 'object' && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      const record = node as Record<string, unknown>;
      for (const k in record) {
        const child = record[k];
        if (typeof child === 'object' && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
}

/**
 * The offset of the first bracket of a valid JSON text that opens a level deeper than
 * `maxDepth`, or -1. One pass over the text, strings skipped whole.
 */
export function jsonTooDeepAt(text: string, maxDepth = MAX_DEPTH): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // The closing quote: the next one not escaped by an odd number of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return -1;
        i = end;
        let k = end - 1;
        while (text.charCodeAt(k) === 0x5c) k--;
        if ((end - 1 - k) % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}
