/**
 * Text written straight into a growing byte buffer as UTF-8. Printing a rule set of hundreds of
 * thousands of rules as strings builds millions of short-lived concatenations and copies the
 * text three times (lines, chunks, the encoding for the file); here each piece is copied once,
 * character by character for the ASCII that rule text nearly always is.
 */
/** Where printers write text: a byte buffer for whole rule sets, a string for one line. */
export interface TextSink {
  write(s: string): void;
  /**
   * Writes one word of rule text: as it is when it is plain ASCII without white space, quotes
   * or backslashes, else as `quote` writes it.
   */
  writeWord(s: string, quote: (s: string) => string): void;
}

export class ByteWriter implements TextSink {
  private buf: Buffer;
  private pos = 0;
  private ascii = true;

  constructor(initialBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  write(s: string): void {
    const n = s.length;
    // At most three bytes per UTF-16 unit (a surrogate pair is four bytes for two units).
    if (this.pos + n * 3 > this.buf.length) this.grow(n * 3);
    const buf = this.buf;
    let pos = this.pos;
    for (let k = 0; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) {
        this.ascii = false;
        this.pos = pos + buf.write(s.slice(k), pos, 'utf8');
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  writeWord(s: string, quote: (s: string) => string): void {
    const n = s.length;
    if (n > 0) {
      if (this.pos + n > this.buf.length) this.grow(n);
      const buf = this.buf;
      let pos = this.pos;
      let k = 0;
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        // Space, tab to carriage return, `"`, `'`, `\\` and anything beyond ASCII take the slow way.
        if (c <= 32 || c === 34 || c === 39 || c === 92 || c >= 127) break;
        buf[pos++] = c;
      }
      if (k === n) {
        this.pos = pos;
        return;
      }
    }
    this.write(quote(s));
  }

  /** Copies bytes [start, end) of what another writer holds. */
  writeFrom(source: ByteWriter, start: number, end: number): void {
    const n = end - start;
    if (this.pos + n > this.buf.length) this.grow(n);
    source.buf.copy(this.buf, this.pos, start, end);
    this.pos += n;
    if (!source.ascii) this.ascii = false;
  }

  /** Starts again at the front of the same buffer (what `bytes` gave is overwritten). */
  clear(): void {
    this.pos = 0;
    this.ascii = true;
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written (a view, valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  toString(): string {
    // ASCII bytes are their own characters: copying them is faster than decoding.
    return this.buf.toString(this.ascii ? 'latin1' : 'utf8', 0, this.pos);
  }

  private grow(atLeast: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + atLeast));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
