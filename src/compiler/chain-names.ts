import { createHash } from 'node:crypto';

/**
 * kube-proxy's per-service chain names: a prefix and the first 16 characters of the RFC 4648
 * base32 encoding of the SHA-256 of the service port name and protocol (and, for endpoint
 * chains, the endpoint).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The first 16 base32 characters of sha256(input): exactly the first 80 bits of the hash. */
export function hash16(input: string): string {
  const digest = createHash('sha256').update(input, 'utf8').digest();
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; out.length < 16; i++) {
    buffer = (buffer << 8) | (digest[i] ?? 0);
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
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
