/**
 * Line diff (Myers' O(ND) algorithm) and unified-diff printing, for golden files. The common
 * prefix and suffix are taken off first, so a small change in a large file costs little; past
 * `MAX_EDIT` edits the middle is shown as one replaced block instead of searching further.
 */

export type EditOp = { op: 'keep' | 'del' | 'add'; line: string };

const MAX_EDIT = 4000;

/** The edit script turning `a` into `b`, shortest (up to MAX_EDIT edits). */
export function diffLines(a: readonly string[], b: readonly string[]): EditOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: EditOp[] = a.slice(0, start).map((line) => ({ op: 'keep', line }));
  const tail: EditOp[] = a.slice(endA).map((line) => ({ op: 'keep', line }));
  const mid = myers(a.slice(start, endA), b.slice(start, endB));
  return [...head, ...mid, ...tail];
}

function myers(a: readonly string[], b: readonly string[]): EditOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ op: 'add', line }));
  if (m === 0) return a.map((line) => ({ op: 'del', line }));
  const max = Math.min(n + m, MAX_EDIT);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))) x = v[offset + k + 1] ?? 0;
      else x = (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, offset);
    }
    v = next;
  }
  // Too different to be worth the search: replace the whole block.
  return [...a.map((line): EditOp => ({ op: 'del', line })), ...b.map((line): EditOp => ({ op: 'add', line }))];
}

function backtrack(trace: Int32Array[], a: readonly string[], b: readonly string[], dEnd: number, offset: number): EditOp[] {
  const ops: EditOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ op: 'keep', line: a[x - 1] as string });
      x--;
      y--;
    }
    if (down) ops.push({ op: 'add', line: b[y - 1] as string });
    else ops.push({ op: 'del', line: a[x - 1] as string });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ op: 'keep', line: a[x - 1] as string });
    x--;
    y--;
  }
  return ops.reverse();
}

/** Splits text into lines; a final newline does not make an empty last line. */
export function textLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A unified diff of two texts (`---`/`+++` headers, `@@ -a,n +b,m @@` hunks with `context` lines
 * around each change), or '' when they are equal. A missing final newline is marked as diff does.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const a = textLines(oldText);
  const b = textLines(newText);
  const ops = diffLines(a, b);
  const noNewline = (t: string) => t !== '' && !t.endsWith('\n');
  // Positions of every op in a and b.
  const rows: { op: EditOp; ai: number; bi: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const op of ops) {
    rows.push({ op, ai, bi });
    if (op.op !== 'add') ai++;
    if (op.op !== 'del') bi++;
  }
  const changed = rows.map((r, i) => (r.op.op !== 'keep' ? i : -1)).filter((i) => i >= 0);
  const out: string[] = [`--- ${oldName}`, `+++ ${newName}`];
  if (changed.length === 0) {
    // Only the final newline differs.
    const last = Math.max(a.length, 1);
    out.push(`@@ -${last},1 +${last},1 @@`, `-${a[a.length - 1] ?? ''}`);
    if (noNewline(oldText)) out.push('\\ No newline at end of file');
    out.push(`+${b[b.length - 1] ?? ''}`);
    if (noNewline(newText)) out.push('\\ No newline at end of file');
    return `${out.join('\n')}\n`;
  }
  let i = 0;
  while (i < changed.length) {
    const first = changed[i] as number;
    let lastChange = first;
    while (i + 1 < changed.length && (changed[i + 1] as number) - lastChange <= 2 * context) lastChange = changed[++i] as number;
    i++;
    const from = Math.max(0, first - context);
    const to = Math.min(rows.length - 1, lastChange + context);
    const slice = rows.slice(from, to + 1);
    const aCount = slice.filter((r) => r.op.op !== 'add').length;
    const bCount = slice.filter((r) => r.op.op !== 'del').length;
    const aStart = (slice[0]?.ai ?? 0) + (aCount > 0 ? 1 : 0);
    const bStart = (slice[0]?.bi ?? 0) + (bCount > 0 ? 1 : 0);
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const r of slice) {
      const mark = r.op.op === 'keep' ? ' ' : r.op.op === 'del' ? '-' : '+';
      out.push(`${mark}${r.op.line}`);
      if (r.op.op !== 'add' && r.ai === a.length - 1 && noNewline(oldText)) out.push('\\ No newline at end of file');
      if (r.op.op !== 'del' && r.bi === b.length - 1 && noNewline(newText) && r.op.op === 'add') out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}

/** Applies an edit script to `a` (for tests: the script must turn a into b). */
export function applyEdits(a: readonly string[], ops: readonly EditOp[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (const op of ops) {
    if (op.op === 'keep') {
      if (a[i] !== op.line) throw new Error('edit script does not fit');
      out.push(op.line);
      i++;
    } else if (op.op === 'del') {
      if (a[i] !== op.line) throw new Error('edit script does not fit');
      i++;
    } else out.push(op.line);
  }
  if (i !== a.length) throw new Error('edit script does not consume a');
  return out;
}
