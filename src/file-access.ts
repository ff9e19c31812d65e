/**
 * The file system, as the library reads inputs from it: the one place outside the command line
 * that touches `node:fs`. The playground's bundle replaces this module with
 * `file-access.browser.ts`, where there are no files (the page hands the library text).
 */
export { isAscii } from 'node:buffer';
export { closeSync, fstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';
export { join } from 'node:path';
