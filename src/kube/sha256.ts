import * as crypto from 'node:crypto';

/**
 * SHA-256 where rulec runs on Node.js. The playground's bundle replaces this module with
 * `sha256.browser.ts` (same exports, in JavaScript), so that the library has no `node:crypto`
 * in the browser.
 */

/** sha256 of the UTF-8 bytes of `text`. */
export function sha256(text: string): Uint8Array {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

type OneShotHash = (algorithm: string, data: string, encoding: 'latin1') => string;
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/**
 * The digest of the UTF-8 bytes of `text` as a latin1 string, from Node's one-shot hash, the
 * cheapest way to a digest (20.12 and newer); undefined where there is none.
 */
export const sha256Latin1: ((text: string) => string) | undefined = oneShot ? (text) => oneShot('sha256', text, 'latin1') : undefined;
