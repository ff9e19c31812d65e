import { Socket } from 'node:net';
import { LIFELINE_ENV, LIFELINE_FD } from './large-pages.js';
import { removeTemporaryFiles } from './temporary-files.js';

/**
 * Ties a child process (the huge-page rerun of a command, see large-pages.ts) to its parent:
 * when the parent ends, however it ends (`kill -9` included), the child removes its temporary
 * files and exits without replacing any `-o` target.
 *
 * The parent hands the child one end of a socket pair as descriptor LIFELINE_FD and its process
 * id in the environment (LIFELINE_ENV). The kernel closes the parent's end when the parent dies,
 * so the child reads end-of-file: that ends the child as soon as it is idle. While the child is
 * busy (compiling, writing), `checkParent` is asked before each chunk written and before the
 * rename: a parent that is gone has left the child to another parent process.
 */

/** Exit status of a child whose parent is gone (nobody reads it; 128 + SIGHUP, as for a hang-up). */
const ORPHANED = 129;

let parentPid: number | undefined;

/** In a child started with a lifeline (`env` names the parent), starts watching it. */
export function watchParent(env: Record<string, string | undefined>): void {
  const pid = Number(env[LIFELINE_ENV]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return;
  parentPid = pid;
  checkParent();
  let socket: Socket;
  try {
    socket = new Socket({ fd: LIFELINE_FD, readable: true, writable: false });
  } catch {
    return; // no such descriptor: the process checks its parent as it writes
  }
  socket.on('data', () => undefined);
  socket.on('end', abandon);
  socket.on('error', abandon);
  socket.unref();
}

/** Ends this process, with its temporary files removed, when its parent is gone. */
export function checkParent(): void {
  if (parentPid !== undefined && process.ppid !== parentPid) abandon();
}

function abandon(): never {
  removeTemporaryFiles();
  process.exit(ORPHANED);
}
