import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyEdits, diffLines, textLines, unifiedDiff } from './unified-diff.js';

/** The length of a longest common subsequence, by dynamic programming (small inputs only). */
function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  return t[a.length]![b.length]!;
}

describe('diffLines', () => {
  const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 14 });
  it('turns a into b with a shortest edit script', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a, b);
        expect(applyEdits(a, ops)).toEqual(b);
        const edits = ops.filter((o) => o.op !== 'keep').length;
        expect(edits).toBe(a.length + b.length - 2 * lcs(a, b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('unifiedDiff', () => {
  it('prints hunks with three lines of context, as diff -u does', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n';
    const b = ['1', '2', '3', '4', '5', 'five and a half', '6', '7', '8', '9', '10'].join('\n') + '\n';
    expect(unifiedDiff(a, b, 'app.iptables', 'app.iptables (compiled)')).toBe(
      ['--- app.iptables', '+++ app.iptables (compiled)', '@@ -3,6 +3,7 @@', ' 3', ' 4', ' 5', '+five and a half', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });
  it('joins changes closer than twice the context into one hunk and splits the others', () => {
    const a = Array.from({ length: 30 }, (_, i) => `l${i}`);
    const b = [...a];
    b[2] = 'x';
    b[6] = 'y';
    b[25] = 'z';
    const d = unifiedDiff(`${a.join('\n')}\n`, `${b.join('\n')}\n`, 'a', 'b');
    expect(d.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,10 +1,10 @@', '@@ -23,7 +23,7 @@']);
  });
  it('is empty for equal texts and handles empty files and a missing final newline', () => {
    expect(unifiedDiff('x\n', 'x\n', 'a', 'b')).toBe('');
    expect(unifiedDiff('', 'x\n', 'a', 'b')).toBe('--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n');
    expect(unifiedDiff('x', 'x\n', 'a', 'b')).toBe('--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+x\n');
    expect(textLines('a\nb\n')).toEqual(['a', 'b']);
  });
});
