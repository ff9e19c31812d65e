import * as crypto from 'node:crypto';

/**
 * kube-proxy's per-service chain names: a prefix and the first 16 characters of the RFC 4648
 * base32 encoding of the SHA-256 of the service port name and protocol (and, for endpoint
 * chains, the endpoint).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The first 16 base32 characters of sha256(input): exactly the first 80 bits of the hash. */
export function hash16(input: string): string {
  const hex = sha256Hex(input);
  // 80 bits = two 40-bit halves, each exactly representable in a double: 8 characters each.
  return base32Of40Bits(Number.parseInt(hex.slice(0, 10), 16)) + base32Of40Bits(Number.parseInt(hex.slice(10, 20), 16));
}

function base32Of40Bits(n: number): string {
  let out = '';
  for (let shift = 35; shift >= 0; shift -= 5) out += ALPHABET[Math.floor(n / 2 ** shift) % 32];
  return out;
}

type OneShotHash = (algorithm: string, data: string, encoding: 'hex') => string;
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

function sha256Hex(input: string): string {
  return oneShot ? oneShot('sha256', input, 'hex') : crypto.createHash('sha256').update(input, 'utf8').digest('hex');
}

export type ServiceChainKind = 'SVC' | 'SVL' | 'EXT' | 'FW' | 'XLB';

/** `KUBE-SVC-…` and friends for a service port (`ns/name:port` or `ns/name`) and protocol. */
export function serviceChainName(kind: ServiceChainKind, servicePortName: string, protocol: string): string {
  return `KUBE-${kind}-${hash16(servicePortName + protocol.toLowerCase())}`;
}

/** `KUBE-SEP-…` for one endpoint (`IP:port` or `[IP]:port`) of a service port. */
export function endpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(servicePortName + protocol.toLowerCase() + endpoint)}`;
}

/** The chain prefixes kube-proxy treats as its own per-service chains. */
export const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-SEP-', 'KUBE-FW-', 'KUBE-EXT-'] as const;

export function isServiceChainName(name: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => name.startsWith(p));
}
