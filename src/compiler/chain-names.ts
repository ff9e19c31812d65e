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
  const codes: number[] = [];
  // 80 bits = four groups of 5 hex digits (20 bits), each four base32 characters.
  for (let g = 0; g < 20; g += 5) {
    const v = Number.parseInt(hex.slice(g, g + 5), 16);
    codes.push(ALPHABET_CODES[(v >>> 15) & 31] ?? 0, ALPHABET_CODES[(v >>> 10) & 31] ?? 0, ALPHABET_CODES[(v >>> 5) & 31] ?? 0, ALPHABET_CODES[v & 31] ?? 0);
  }
  return String.fromCharCode(...codes);
}

const ALPHABET_CODES = [...ALPHABET].map((c) => c.charCodeAt(0));

type OneShotHash = (algorithm: string, data: string, encoding: 'hex') => string;
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/** The hex SHA-256 of a string (Node's one-shot hash where it exists). */
export function sha256Hex(input: string): string {
  return oneShot ? oneShot('sha256', input, 'hex') : crypto.createHash('sha256').update(input, 'utf8').digest('hex');
}

export type ServiceChainKind = 'SVC' | 'SVL' | 'EXT' | 'FW' | 'XLB';

/** `KUBE-SVC-…` and friends for a service port (`ns/name:port` or `ns/name`) and protocol. */
export function serviceChainName(kind: ServiceChainKind, servicePortName: string, protocol: string): string {
  return flat(`KUBE-${kind}-${servicePortHash(servicePortName, protocol)}`);
}

/** The hash shared by a service port's SVC, SVL, EXT and FW chains. */
export function servicePortHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol.toLowerCase());
}

/** `KUBE-SEP-…` for one endpoint (`IP:port` or `[IP]:port`) of a service port. */
export function endpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return flat(`KUBE-SEP-${hash16(servicePortName + protocol.toLowerCase() + endpoint)}`);
}

/**
 * Makes the engine store a concatenated string as one flat string. Chain names are compared and
 * used as map keys hundreds of thousands of times in a large cluster; a string built by
 * concatenation is otherwise a tree that every comparison walks.
 */
export function flat(s: string): string {
  // A numeric conversion flattens the string in place; the value itself is not used.
  void Number(s);
  return s;
}

/** The chain prefixes kube-proxy treats as its own per-service chains. */
export const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-SEP-', 'KUBE-FW-', 'KUBE-EXT-'] as const;

export function isServiceChainName(name: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => name.startsWith(p));
}
