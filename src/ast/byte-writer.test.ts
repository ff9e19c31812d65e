import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer.js';

describe('ByteWriter', () => {
  it('writes any text as its UTF-8 bytes, growing as needed (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('-A KUBE-SVC-X', 'é', '日本', '😀')), { maxLength: 40 }), (pieces) => {
        const w = new ByteWriter(4);
        for (const p of pieces) w.write(p);
        // Each piece is encoded on its own (a piece never ends inside a surrogate pair in rule text).
        const want = Buffer.concat(pieces.map((p) => Buffer.from(p, 'utf8')));
        expect(w.bytes().equals(want)).toBe(true);
        expect(w.toString()).toBe(want.toString('utf8'));
        expect(w.length).toBe(want.length);
      }),
    );
  });

  it('writes a word bare when it is plain ASCII, else as the quoting function gives it', () => {
    const quote = (w: string) => `<${w}>`;
    const w = new ByteWriter(2);
    for (const word of ['KUBE-SVC-X', '', 'a b', 'a"b', "a'b", 'a\\b', 'é', 'tab\there', '10.0.0.1:80']) {
      w.writeWord(word, quote);
      w.write('|');
    }
    expect(w.toString()).toBe('KUBE-SVC-X|<>|<a b>|<a"b>|<a\'b>|<a\\b>|<é>|<tab\there>|10.0.0.1:80|');
  });

  it('copies ranges of another writer, growing as needed and keeping track of non-ASCII text', () => {
    const source = new ByteWriter(4);
    source.write('-A A x\n-A B é\n');
    const out = new ByteWriter(2);
    out.write('*nat\n');
    out.writeFrom(source, 7, source.length);
    out.writeFrom(source, 0, 7);
    expect(out.toString()).toBe('*nat\n-A B é\n-A A x\n');
    const ascii = new ByteWriter(2);
    ascii.writeFrom(source, 0, 7);
    expect(ascii.toString()).toBe('-A A x\n');
  });

  it('starts again at the front of its buffer when cleared', () => {
    const w = new ByteWriter(8);
    w.write('-A A é\n');
    const first = w.bytes();
    w.clear();
    expect(w.length).toBe(0);
    w.write('-A B y\n');
    expect(first.subarray(0, 7).toString()).toBe('-A B y\n');
    expect(w.toString()).toBe('-A B y\n');
  });
});
