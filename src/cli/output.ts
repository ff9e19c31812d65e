import { closeSync, openSync, realpathSync, renameSync, statSync, writeFileSync, writeSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import type { CliContext } from './context.js';
import { escapeControls } from '../display-text.js';

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/** The file a path names, through symbolic links, so that a rename replaces the file and not a link to it. */
function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Whether `path` names something other than a file or a directory (`/dev/null`, a FIFO), or lies
 * under `/dev` or `/proc` (`/dev/stdout` is a link to whatever standard output is). Such a
 * target is written in place; a rename over it would replace it with a file.
 */
export function isSpecialFile(path: string): boolean {
  const absolute = resolve(path);
  if (absolute.startsWith('/dev/') || absolute.startsWith('/proc/')) return true;
  const st = statSync(path, { throwIfNoEntry: false });
  return st !== undefined && !st.isFile() && !st.isDirectory();
}

/** Writes all of `bytes` (a write may take part of it). */
function writeAllSync(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

/** Writes into a FIFO, a device or the like. */
function writeInPlace(path: string, chunks: readonly Uint8Array[]): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunk of chunks) writeAllSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file atomically: a temporary file beside it, then a rename (through symbolic links:
 * the file a link points to is replaced, the link stays). A device or FIFO (`-o /dev/null`) is
 * written in place.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  if (isSpecialFile(path)) {
    writeInPlace(path, [typeof text === 'string' ? Buffer.from(text, 'utf8') : text]);
    return;
  }
  const target = realTarget(path);
  const tmp = temporaryPath(target);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to remove
    }
    throw err;
  }
}

/** Prints diagnostics to stderr (notes only when verbose). */
export function reportDiagnostics(ctx: CliContext, diagnostics: Diagnostic[], verbose = false): void {
  for (const d of sortDiagnostics([...diagnostics])) {
    if (d.severity === 'note' && !verbose) continue;
    ctx.stderr(`${formatDiagnostic(d)}\n`);
  }
}

function cannotWrite(ctx: CliContext, outFile: string, err: unknown): void {
  ctx.stderr(`rulec: cannot write ${escapeControls(outFile)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
}

/** Runs `write`; true when it succeeds, else false with the reason on stderr. */
function wrote(ctx: CliContext, outFile: string, write: () => void): boolean {
  try {
    write();
    return true;
  } catch (err) {
    cannotWrite(ctx, outFile, err);
    return false;
  }
}

/** Writes output to `-o FILE` (atomically) or stdout; returns false with a message on failure. */
export function emit(ctx: CliContext, text: string | Uint8Array, outFile: string | undefined): boolean {
  if (!outFile || outFile === '-') {
    ctx.stdout(text);
    return true;
  }
  return wrote(ctx, outFile, () => writeFileAtomic(outFile, text));
}

/**
 * A file written atomically from chunks, as writeFileAtomic writes it: each chunk goes to a
 * temporary file as it comes (so the producer may reuse its buffer), and nothing appears at
 * `path` unless `finish` succeeds; on failure the temporary file is removed.
 */
class ChunkedAtomicFile {
  private readonly tmp: string;
  private readonly fd: number;
  private readonly path: string;
  /** Why a write failed (a full disk, say): the producer is stopped with it. */
  writeError: unknown;

  constructor(path: string) {
    this.path = realTarget(path);
    this.tmp = temporaryPath(this.path);
    this.fd = openSync(this.tmp, 'w');
  }

  write(chunk: Uint8Array): void {
    try {
      writeAllSync(this.fd, chunk);
    } catch (err) {
      this.writeError = err;
      throw err;
    }
  }

  /** Closes and renames; given an error, or when that fails, removes the temporary file and throws. */
  finish(failed?: unknown): void {
    try {
      closeSync(this.fd);
      if (failed !== undefined) throw failed;
      renameSync(this.tmp, this.path);
    } catch (err) {
      try {
        unlinkSync(this.tmp);
      } catch {
        // nothing to remove
      }
      throw err;
    }
  }
}

/**
 * Writes what `produce` hands over in chunks to `-o FILE` (atomically, each chunk written as it
 * comes) or stdout; returns false with a message on failure. A chunk is only read during the
 * call that hands it over: the producer may fill the same buffer again. An error thrown by
 * `produce` leaves no file and is thrown again.
 */
export function emitChunks(ctx: CliContext, outFile: string | undefined, produce: (sink: (chunk: Uint8Array) => void) => void): boolean {
  const toStdout = !outFile || outFile === '-';
  if (toStdout || isSpecialFile(outFile)) {
    // Written once all of it is made: an error on the way writes nothing.
    const chunks: Uint8Array[] = [];
    produce((chunk) => chunks.push(Buffer.from(chunk)));
    if (toStdout) {
      for (const chunk of chunks) ctx.stdout(chunk);
      return true;
    }
    return wrote(ctx, outFile, () => writeInPlace(outFile, chunks));
  }
  let file: ChunkedAtomicFile;
  try {
    file = new ChunkedAtomicFile(outFile);
  } catch (err) {
    cannotWrite(ctx, outFile, err);
    return false;
  }
  let failed: unknown;
  try {
    produce((chunk) => file.write(chunk));
  } catch (err) {
    failed = err ?? new Error('output failed');
  }
  try {
    file.finish(failed);
    return true;
  } catch (err) {
    if (err === failed && err !== file.writeError) throw err;
    cannotWrite(ctx, outFile, err);
    return false;
  }
}
