import { sha256 } from './sha256.js';

/**
 * The first 128 bits of the SHA-256 of `key`, as a number: the stable choice behind every value
 * rulec fills in for a cluster (cluster IPs, node ports, pod placement and addresses), so the
 * same names always give the same values.
 */
export function stableHash(key: string): bigint {
  let hex = '0x';
  for (const byte of sha256(key).subarray(0, 16)) hex += byte.toString(16).padStart(2, '0');
  return BigInt(hex);
}
