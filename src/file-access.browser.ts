import type * as Files from './file-access.js';

/**
 * `file-access.ts` in the browser: there are no files, only the text the page hands the
 * library (as standard input, `-`). Any attempt to open a path fails as a missing file does.
 */

function noFiles(): never {
  throw Object.assign(new Error('no files in the browser'), { code: 'ENOENT' });
}

export const isAscii: typeof Files.isAscii = (bytes) => {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes as ArrayBuffer);
  for (const b of view) if (b >= 0x80) return false;
  return true;
};
export const closeSync: typeof Files.closeSync = noFiles;
export const fstatSync = noFiles as unknown as typeof Files.fstatSync;
export const openSync: typeof Files.openSync = noFiles;
export const readdirSync = noFiles as unknown as typeof Files.readdirSync;
export const readFileSync = noFiles as unknown as typeof Files.readFileSync;
export const readlinkSync = noFiles as unknown as typeof Files.readlinkSync;
export const readSync: typeof Files.readSync = noFiles;
export const statSync = noFiles as unknown as typeof Files.statSync;
export const join: typeof Files.join = (...parts) => parts.join('/').replace(/\/+/g, '/');
