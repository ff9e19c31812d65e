import { closeSync, constants, openSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { constants as osConstants } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * Temporary files that `-o` writes before renaming them over the target, created so that nobody
 * else can choose or redirect them, and removed whatever happens to the write.
 *
 * - The name is random (`.NAME.<24 hex digits>.tmp`): it cannot be guessed in advance.
 * - The file is created exclusively and without following links (`O_CREAT | O_EXCL |
 *   O_NOFOLLOW`): whatever someone planted at that name (a symbolic link to /etc/shadow, a file)
 *   makes the open fail instead of being written through.
 * - It is created with mode 0600; the caller gives it the target's mode (and owner) once written.
 * - It is removed on failure, and on SIGINT, SIGTERM and SIGHUP: the process then ends by the
 *   same signal, as a shell expects (exit status 130, 143, 129).
 */

/** open(2) flags of a temporary file: a new file, never through a link. */
export const TEMPORARY_FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** A fresh random name for a temporary file beside `target`. */
export function temporaryName(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(12).toString('hex')}.tmp`);
}

/** Opens `path` as a new file (mode 0600) for writing; fails with EEXIST or ELOOP on anything already there. */
export function openExclusive(path: string): number {
  return openSync(path, TEMPORARY_FILE_FLAGS, 0o600);
}

/** How many names are tried before giving up (each collision is a 2^-96 chance, or someone at work). */
const ATTEMPTS = 8;

/**
 * Creates a temporary file beside `target` and tracks it for removal on a signal; `name` makes
 * the candidate names (random by default). Returns its path and open descriptor.
 */
export function createTemporaryFile(target: string, name: (target: string) => string = temporaryName): { path: string; fd: number } {
  // Listening first: a signal between the creation and the tracking would leave the file.
  listen();
  for (let attempt = 1; ; attempt++) {
    const path = name(target);
    let fd: number;
    try {
      fd = openExclusive(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'EEXIST' || code === 'ELOOP') && attempt < ATTEMPTS) continue;
      throw err;
    }
    live.add(path);
    return { path, fd };
  }
}

/** Removes a temporary file (closing `fd` first when given) and stops tracking it; never throws. */
export function discardTemporaryFile(path: string, fd?: number): void {
  if (fd !== undefined) {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
  }
  try {
    unlinkSync(path);
  } catch {
    // nothing to remove
  }
  untrack(path);
}

/** The file was renamed into place: nothing to remove any more. */
export function keepTemporaryFile(path: string): void {
  untrack(path);
}

const live = new Set<string>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let listening = false;

/** Removes every temporary file that exists (the process is about to end). */
export function removeTemporaryFiles(): void {
  for (const path of [...live]) discardTemporaryFile(path);
}

/**
 * Removes the temporary files and ends the process by `signal`. A signal that comes while the
 * process is busy (writing, say) is handled once it is done: the listeners stay once set, so
 * that such a signal is not lost when the last file is renamed in the meantime.
 */
function onSignal(signal: NodeJS.Signals): void {
  removeTemporaryFiles();
  for (const s of SIGNALS) process.off(s, onSignal);
  listening = false;
  // With no listener left, the signal ends the process as it would have without these.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  else process.exit(128 + (osConstants.signals[signal] ?? 0));
}

function listen(): void {
  if (listening) return;
  for (const s of SIGNALS) process.on(s, onSignal);
  listening = true;
}

function untrack(path: string): void {
  live.delete(path);
}
