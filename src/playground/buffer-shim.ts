/**
 * The part of Node's `Buffer` the library's printers use (a growing byte buffer written as
 * UTF-8 and read back as text, and byte-order comparison), for the browser. The playground's
 * bundle injects it where library code names the global `Buffer`.
 */

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

type Encoding = 'utf8' | 'utf-8' | 'latin1' | 'hex';

class BrowserBuffer extends Uint8Array {
  static allocUnsafe(size: number): BrowserBuffer {
    return new BrowserBuffer(size);
  }

  static alloc(size: number): BrowserBuffer {
    return new BrowserBuffer(size);
  }

  static concat(list: readonly Uint8Array[], total?: number): BrowserBuffer {
    const size = total ?? list.reduce((n, b) => n + b.length, 0);
    const out = new BrowserBuffer(size);
    let at = 0;
    for (const b of list) {
      out.set(b.subarray(0, Math.max(0, Math.min(b.length, size - at))), at);
      at += b.length;
      if (at >= size) break;
    }
    return out;
  }

  static compare(a: Uint8Array, b: Uint8Array): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const d = (a[i] as number) - (b[i] as number);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }

  /** Writes `text` as UTF-8 at `offset` and says how many bytes it took. */
  write(text: string, offset = 0, _encoding: 'utf8' = 'utf8'): number {
    return encoder.encodeInto(text, this.subarray(offset)).written;
  }

  copy(target: Uint8Array, targetStart = 0, start = 0, end = this.length): number {
    target.set(this.subarray(start, end), targetStart);
    return end - start;
  }

  override toString(encoding: Encoding = 'utf8', start = 0, end = this.length): string {
    const part = this.subarray(start, end);
    if (encoding === 'hex') return [...part].map((b) => b.toString(16).padStart(2, '0')).join('');
    return (encoding === 'latin1' ? latin1 : utf8).decode(part);
  }
}

/** `Buffer.from(text, 'utf8')`: the UTF-8 bytes of `text`. */
function fromText(text: string, _encoding: 'utf8' = 'utf8'): BrowserBuffer {
  const bytes = encoder.encode(text);
  return new BrowserBuffer(bytes.buffer, bytes.byteOffset, bytes.length);
}

export const Buffer = Object.assign(BrowserBuffer, { from: fromText });
