/**
 * SHA-256 (FIPS 180-4) of the short ASCII strings chain names are hashed from, computed in
 * JavaScript: a one-block message (up to 55 bytes, the common case: `ns/name:port` + protocol +
 * endpoint) costs a fraction of a call into the crypto library, and a large cluster hashes a
 * hundred thousand of them. Anything longer or beyond ASCII returns false, for the caller to
 * hash another way.
 */
import { compressBlock, SHA256_H0 } from './sha256-block.js';

const W = new Int32Array(64);

/** The longest message that fits one block with its padding and length. */
export const ONE_BLOCK_BYTES = 55;

/**
 * Writes the eight digest words of sha256(input) into `digest` and returns true, when `input`
 * is ASCII and at most 55 characters long; else returns false and leaves `digest` alone.
 */
export function sha256Short(input: string, digest: Int32Array): boolean {
  const n = input.length;
  if (n > ONE_BLOCK_BYTES) return false;
  W.fill(0, 0, 16);
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (c > 127) return false;
    W[i >> 2] = (W[i >> 2] as number) | (c << (24 - 8 * (i & 3)));
  }
  W[n >> 2] = (W[n >> 2] as number) | (0x80 << (24 - 8 * (n & 3)));
  W[15] = n * 8;
  digest.set(SHA256_H0);
  compressBlock(digest, W);
  return true;
}
