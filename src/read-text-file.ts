import { closeSync, fstatSync, isAscii, openSync, readFileSync, readSync } from './file-access.js';
import type { Diagnostic } from './diagnostics.js';

/**
 * How much input one run reads at most, all files and standard input together, unless
 * `--max-input-size` says otherwise: 256 MiB. The largest real inputs are far below it (a
 * 10,000-Service cluster's `kubectl get svc,endpointslices -A -o json` is 40 to 60 MB), and
 * a YAML stream takes about fourteen times its size in memory while it is read and checked
 * (100 MB: 1.35 GB), so that 256 MiB stays within Node.js' default heap of 4 GiB where 400 MB
 * ran out of it.
 */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 2 ** 20;

/** The code of the diagnostic for input over the limit. */
export const INPUT_TOO_LARGE = 'RC003';

/** An input, or the inputs together, over the limit (`limitInput`). */
export class InputTooLargeError extends Error {
  constructor(
    /** The input being read: a path, or `<stdin>`. */
    readonly file: string,
    readonly limit: number,
    /** Whether the inputs read before this one count towards the excess. */
    readonly together: boolean,
  ) {
    super(`${together ? 'inputs together are' : 'input is'} larger than --max-input-size (${formatSize(limit)})`);
    this.name = 'InputTooLargeError';
  }

  diagnostic(file = this.file): Diagnostic {
    return { file, line: 1, column: 1, severity: 'error', code: INPUT_TOO_LARGE, message: this.message };
  }
}

/** The diagnostic for an input that cannot be read: too large (RC003), or an error of the system (RC002). */
export function readFailure(file: string, err: unknown): Diagnostic {
  if (err instanceof InputTooLargeError) return err.diagnostic(file);
  return { file, line: 1, column: 1, severity: 'error', code: 'RC002', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` };
}

/** `1024` → `1 KiB`, `536870912` → `512 MiB`, other sizes in bytes. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

const SIZE = /^(\d+)\s*(?:([kmgt])(?:i?b)?|b)?$/i;
const UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** Reads a size: bytes, or a number with K, M, G or T (powers of 1024; `512M`, `1G`, `64KiB`). Undefined when it is none. */
export function parseSize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  const bytes = Number(m[1]) * (m[2] ? (UNITS[m[2].toLowerCase()] as number) : 1);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/**
 * The limit, and what the current run has read. Outside a run (a library call) each input is
 * held to the default limit on its own.
 */
const budget = { limit: DEFAULT_MAX_INPUT_BYTES, used: 0, inRun: false };

/** Starts a run (a command) that reads at most `limit` bytes of input in all. */
export function limitInput(limit: number = DEFAULT_MAX_INPUT_BYTES): void {
  budget.limit = limit;
  budget.used = 0;
  budget.inRun = true;
}

/** Ends the run: each input is again held to the default limit on its own. */
export function endInputRun(): void {
  budget.limit = DEFAULT_MAX_INPUT_BYTES;
  budget.used = 0;
  budget.inRun = false;
}

/**
 * Reads a file as UTF-8 text. Dumps and manifests are nearly always plain ASCII, and then the
 * bytes are the characters: copying them into a one-byte string is about twice as fast as
 * decoding, and the engine parses the result faster too. Anything else is decoded as UTF-8.
 * `path` may be a file descriptor (0 for standard input).
 *
 * What the run reads is limited (`limitInput`): a regular file's size is checked before it is
 * read, anything else (a pipe, a terminal, a device) is read up to the limit and no further.
 * Over it, an InputTooLargeError is thrown.
 */
export function readTextFile(path: string | number): string {
  const fd = typeof path === 'number' ? path : openSync(path, 'r');
  const name = typeof path === 'number' ? (path === 0 ? '<stdin>' : `/dev/fd/${path}`) : path;
  try {
    const bytes = readBounded(fd, name);
    return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  } finally {
    if (typeof path !== 'number') closeSync(fd);
  }
}

function readBounded(fd: number, name: string): Buffer {
  const room = budget.limit - budget.used;
  const tooLarge = () => new InputTooLargeError(name, budget.limit, budget.used > 0);
  const st = fstatSync(fd);
  let bytes: Buffer;
  if (st.isFile()) {
    if (st.size > room) throw tooLarge();
    // Read to its end (it may have grown since), which is checked again below.
    bytes = readFileSync(fd);
  } else {
    bytes = readUpTo(fd, room, tooLarge);
  }
  if (bytes.length > room) throw tooLarge();
  if (budget.inRun) budget.used += bytes.length;
  return bytes;
}

/** Reads a stream to its end, throwing `tooLarge()` as soon as it gives more than `room` bytes. */
function readUpTo(fd: number, room: number, tooLarge: () => Error): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunk = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A non-blocking descriptor with nothing to read yet.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (code === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    total += n;
    if (total > room) throw tooLarge();
    chunks.push(chunk.subarray(0, n));
    if (n === chunk.length) chunk = Buffer.allocUnsafe(Math.min(chunk.length * 2, 1 << 24));
    else chunk = chunk.subarray(n);
  }
  return Buffer.concat(chunks, total);
}
