import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexIpsetLine, quotedEnd } from './fast-lexer.js';
import { ipsetLexer } from './tokens.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/dumps/ipset/', import.meta.url));

function same(line: string): void {
  const reference = ipsetLexer().tokenize(line);
  const fast = lexIpsetLine(line);
  const firstError = reference.errors[0];
  if (firstError) {
    expect(fast.errorOffset).toBe(firstError.offset);
    // Up to the error both give the same tokens.
    const before = reference.tokens.filter((t) => t.startOffset < firstError.offset);
    expect(fast.tokens.map((t) => [t.image, t.startOffset, t.tokenType.name])).toEqual(before.map((t) => [t.image, t.startOffset, t.tokenType.name]));
    return;
  }
  expect(fast.errorOffset).toBeUndefined();
  expect(fast.tokens.map((t) => [t.image, t.startOffset, t.tokenType.name])).toEqual(reference.tokens.map((t) => [t.image, t.startOffset, t.tokenType.name]));
}

const WORDS = [
  'create', 'add', 'del', 'destroy', 'delete', 'test', 'flush', 'rename', 'swap', 'adds', 'Name:', 'Name:x', 'Type:', 'Revision:', 'Header:',
  'Size in memory:', 'Size', 'in', 'memory:', 'References:', 'Number of entries:', 'Number', 'Members:', 'hash:ip,port', '10.0.0.1,tcp:80',
  'comment', '"a b"', '"x\\"y"', '"', 'a"b"', '"open', '-exist', '1024', 'fd00::1', 'Size in memory:12',
];
const SPACES = [' ', '  ', '\t', '\u00a0', ''];
const lines = fc.array(fc.tuple(fc.constantFrom(...SPACES), fc.constantFrom(...WORDS)), { maxLength: 10 }).map((parts) => parts.map(([s, w]) => s + w).join(''));

describe('the fast ipset lexer gives the chevrotain lexer\'s tokens', () => {
  it('on every fixture line', () => {
    for (const f of readdirSync(FIXTURES)) for (const line of readFileSync(FIXTURES + f, 'utf8').split('\n')) same(line);
  });

  it('on random lines of keywords, quotes and odd white space (property)', () => {
    fc.assert(fc.property(lines, same), { numRuns: 3000 });
  });

  it('on random text (property)', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'adcreatNm: "\\\t,.1SizeofMb'.split('')), maxLength: 40 }), same), { numRuns: 3000 });
  });
});

describe('quoted strings in the fast ipset lexer', () => {
  it('end where the Quoted pattern ends (property)', () => {
    const pattern = /"(?:[^"\\\n]|\\.)*"/y;
    const text = fc.array(fc.constantFrom('a', ' ', '"', '\\', '\n', '\r', '\u2028', '\t', 'é'), { maxLength: 12 }).map((cs) => `"${cs.join('')}`);
    fc.assert(
      fc.property(text, (t) => {
        pattern.lastIndex = 0;
        const m = pattern.exec(t);
        expect(quotedEnd(t, 0)).toBe(m ? m[0].length : -1);
      }),
      { numRuns: 3000 },
    );
  });

  it('read a comment of 9 MB, closed or not, without exhausting the stack', () => {
    const body = 'a'.repeat(9_000_000);
    const closed = lexIpsetLine(`add KUBE-CLUSTER-IP 10.0.0.1,tcp:80 comment "${body}\\"x"`);
    expect(closed.errorOffset).toBeUndefined();
    expect(closed.tokens.at(-1)?.image.length).toBe(body.length + 5);
    expect(lexIpsetLine(`add KUBE-CLUSTER-IP 10.0.0.1,tcp:80 comment "${body}`).errorOffset).toBe(44);
  });
});
