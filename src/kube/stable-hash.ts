import { createHash } from 'node:crypto';

/**
 * The first 128 bits of the SHA-256 of `key`, as a number: the stable choice behind every value
 * rulec fills in for a cluster (cluster IPs, node ports, pod placement and addresses), so the
 * same names always give the same values.
 */
export function stableHash(key: string): bigint {
  return BigInt(`0x${createHash('sha256').update(key).digest().subarray(0, 16).toString('hex')}`);
}
