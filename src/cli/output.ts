import { VERSION_INFERENCE_CODE } from '../ast/infer-kube-proxy-version.js';
import { INPUT_CODES } from '../model/validate.js';
import { closeSync, fchmodSync, fchownSync, openSync, realpathSync, renameSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import type { CliContext } from './context.js';
import { checkParent } from './lifeline.js';
import { createTemporaryFile, discardTemporaryFile, keepTemporaryFile } from './temporary-files.js';
import { escapeControls } from '../display-text.js';

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
 * A file written beside its target and renamed over it once complete (through symbolic links:
 * the file a link points to is replaced, the link stays). The temporary file is made as
 * temporary-files.ts describes (a random name, created exclusively, never through a link, mode
 * 0600); it takes the mode of the file it replaces, and its owner and group when run by root,
 * or the mode a new file gets. Nothing appears at the target unless `commit` succeeds; on
 * failure the temporary file is removed.
 */
class AtomicFile {
  private readonly target: string;
  private readonly tmp: string;
  private fd: number | undefined;
  /** Why a write failed (a full disk, say). */
  writeError: unknown;

  constructor(path: string) {
    checkParent();
    this.target = realTarget(path);
    const { path: tmp, fd } = createTemporaryFile(this.target);
    this.tmp = tmp;
    this.fd = fd;
  }

  write(bytes: Uint8Array): void {
    try {
      writeAllSync(this.fd as number, bytes);
    } catch (err) {
      this.writeError = err;
      throw err;
    }
  }

  /** Gives the file the target's mode and owner, closes it and renames it; removes it and throws on failure. */
  commit(): void {
    try {
      const fd = this.fd as number;
      takeOverAttributes(fd, this.target);
      this.fd = undefined;
      closeSync(fd);
      // A child whose parent is gone replaces nothing (lifeline.ts).
      checkParent();
      renameSync(this.tmp, this.target);
      keepTemporaryFile(this.tmp);
    } catch (err) {
      this.discard();
      throw err;
    }
  }

  /** Removes the temporary file. */
  discard(): void {
    discardTemporaryFile(this.tmp, this.fd);
    this.fd = undefined;
  }
}

/**
 * Gives the file open at `fd` the permissions of the regular file at `target` (and, when run by
 * root, its owner and group), or those a file created there would get.
 */
function takeOverAttributes(fd: number, target: string): void {
  const st = statSync(target, { throwIfNoEntry: false });
  if (st?.isFile()) {
    // Owner first: a change of owner clears the set-user-ID and set-group-ID bits.
    if (process.geteuid?.() === 0) fchownSync(fd, st.uid, st.gid);
    fchmodSync(fd, st.mode & 0o7777);
  } else {
    fchmodSync(fd, 0o666 & ~currentUmask());
  }
}

/** The process's file mode creation mask. */
function currentUmask(): number {
  return process.umask();
}

/**
 * Writes a file atomically (see AtomicFile). A device or FIFO (`-o /dev/null`) is written in
 * place.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  if (isSpecialFile(path)) {
    writeInPlace(path, [bytes]);
    return;
  }
  const file = new AtomicFile(path);
  try {
    file.write(bytes);
  } catch (err) {
    file.discard();
    throw err;
  }
  file.commit();
}

/** Slices of a large output written between two looks at what else happened (a signal, the parent's end). */
const SLICE_BYTES = 1 << 20;

/** Lets the event loop run: a signal or a parent's end is handled there. */
function yieldToEvents(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

/** Prints diagnostics to stderr (notes only when verbose). */
export function reportDiagnostics(ctx: CliContext, diagnostics: Diagnostic[], verbose = false): void {
  for (const d of sortDiagnostics([...diagnostics])) {
    // What release a dump was inferred to be written by is always said: it decides the comparison.
    if (d.severity === 'note' && !verbose && d.code !== VERSION_INFERENCE_CODE) continue;
    ctx.stderr(`${formatDiagnostic(d)}\n`);
  }
  // With an error nothing is written: what was filled in matters no more.
  if (!verbose && !hasErrors(diagnostics)) {
    const summary = completionSummary(diagnostics);
    if (summary) ctx.stderr(`${summary}\n`);
  }
}

/**
 * Without --verbose, what rulec filled in that the input leaves out is still said, in one line:
 * the output shows a cluster's choices that no manifest holds.
 */
function completionSummary(diagnostics: readonly Diagnostic[]): string | undefined {
  const allocated = diagnostics.filter((d) => d.code === INPUT_CODES.allocated && d.severity === 'note').length;
  const made = diagnostics.filter((d) => d.code === INPUT_CODES.synthesised && d.severity === 'note').length;
  if (allocated === 0 && made === 0) return undefined;
  const parts: string[] = [];
  if (allocated > 0) parts.push(`${allocated} cluster IP${allocated === 1 ? '' : 's'} or node port${allocated === 1 ? '' : 's'} allocated (${INPUT_CODES.allocated})`);
  if (made > 0) parts.push(`endpoints made from workloads for ${made} service${made === 1 ? '' : 's'} (${INPUT_CODES.synthesised})`);
  return `rulec: note: ${parts.join(' and ')} by rulec, as the cluster would, because the input has none; --verbose lists each`;
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

/** Writes output to `-o FILE` (atomically) or stdout; resolves to false with a message on failure. */
export async function emit(ctx: CliContext, text: string | Uint8Array, outFile: string | undefined): Promise<boolean> {
  if (!outFile || outFile === '-') {
    ctx.stdout(text);
    return true;
  }
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const slices: Uint8Array[] = [];
  for (let at = 0; at < bytes.length || at === 0; at += SLICE_BYTES) slices.push(bytes.subarray(at, at + SLICE_BYTES));
  return emitChunks(ctx, outFile, slices);
}

/**
 * Writes `chunks` to `-o FILE` (atomically, each chunk written as it comes) or stdout; resolves
 * to false with a message on failure. A chunk is only read before the next is asked for: the
 * producer may fill the same buffer again. Between chunks written to a file the event loop
 * runs, so that a signal removes the temporary file at once. An error thrown by the producer
 * leaves no file and is thrown again.
 */
export async function emitChunks(ctx: CliContext, outFile: string | undefined, chunks: Iterable<Uint8Array>): Promise<boolean> {
  const toStdout = !outFile || outFile === '-';
  if (toStdout || isSpecialFile(outFile)) {
    // Written once all of it is made: an error on the way writes nothing.
    const copies: Uint8Array[] = [];
    for (const chunk of chunks) copies.push(Buffer.from(chunk));
    if (toStdout) {
      for (const chunk of copies) ctx.stdout(chunk);
      return true;
    }
    return wrote(ctx, outFile, () => writeInPlace(outFile, copies));
  }
  let file: AtomicFile;
  try {
    file = new AtomicFile(outFile);
  } catch (err) {
    cannotWrite(ctx, outFile, err);
    return false;
  }
  try {
    for (const chunk of chunks) {
      file.write(chunk);
      await yieldToEvents();
      checkParent();
    }
  } catch (err) {
    file.discard();
    if (err !== file.writeError) throw err ?? new Error('output failed');
    cannotWrite(ctx, outFile, err);
    return false;
  }
  return wrote(ctx, outFile, () => file.commit());
}
