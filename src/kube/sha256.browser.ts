/**
 * SHA-256 (FIPS 180-4) in JavaScript, for the browser: the playground's bundle puts this module
 * in place of `sha256.ts`, which uses `node:crypto`. Same exports.
 */
import { compressBlock, SHA256_H0 } from './sha256-block.js';

const encoder = new TextEncoder();

/** sha256 of the UTF-8 bytes of `text`. */
export function sha256(text: string): Uint8Array {
  return sha256Bytes(encoder.encode(text));
}

/** Not available in the browser: callers fall back to `sha256`. */
export const sha256Latin1: ((text: string) => string) | undefined = undefined;

export function sha256Bytes(message: Uint8Array): Uint8Array {
  const bitLength = message.length * 8;
  const blocks = Math.ceil((message.length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const state = Int32Array.from(SHA256_H0);
  const w = new Int32Array(64);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(b * 64 + i * 4);
    compressBlock(state, w);
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setInt32(i * 4, state[i] as number);
  return out;
}
