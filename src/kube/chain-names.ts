import { sha256, sha256Latin1 } from './sha256.js';
import { sha256Short } from './sha256-short.js';

/**
 * kube-proxy's per-service chain names: a prefix and the first 16 characters of the RFC 4648
 * base32 encoding of the SHA-256 of the service port name and protocol (and, for endpoint
 * chains, the endpoint).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The first 16 base32 characters of sha256(input): exactly the first 80 bits of the hash. */
export function hash16(input: string): string {
  return hashedName('', input);
}

/**
 * `prefix` followed by hash16(input), made as one flat string: chain names are compared, sorted
 * and used as map keys hundreds of thousands of times in a large cluster, and a name built by
 * concatenation is a tree that every look at a character walks.
 */
export function hashedName(prefix: string, input: string): string {
  return withPrefix(prefix, hashCodes(input));
}

const CODES = new Array<number>(16).fill(0);

/** The character codes of hash16(input) (valid until the next call). */
function hashCodes(input: string): readonly number[] {
  const digest = sha256Head(input);
  const codes = CODES;
  let at = 0;
  // 80 bits = two groups of 5 bytes (40 bits), each eight base32 characters of 5 bits.
  for (let g = 0; g < 10; g += 5) {
    const hi = ((digest[g] as number) << 12) | ((digest[g + 1] as number) << 4) | ((digest[g + 2] as number) >>> 4);
    const lo = (((digest[g + 2] as number) & 15) << 16) | ((digest[g + 3] as number) << 8) | (digest[g + 4] as number);
    for (let half = 0; half < 2; half++) {
      const v = half === 0 ? hi : lo;
      codes[at++] = ALPHABET_CODES[(v >>> 15) & 31] as number;
      codes[at++] = ALPHABET_CODES[(v >>> 10) & 31] as number;
      codes[at++] = ALPHABET_CODES[(v >>> 5) & 31] as number;
      codes[at++] = ALPHABET_CODES[v & 31] as number;
    }
  }
  return codes;
}

/** Arrays of character codes by length, reused from name to name. */
const NAME_CODES: number[][] = [];

function withPrefix(prefix: string, codes: readonly number[]): string {
  const n = prefix.length + codes.length;
  const all = (NAME_CODES[n] ??= new Array<number>(n).fill(0));
  for (let i = 0; i < prefix.length; i++) all[i] = prefix.charCodeAt(i);
  for (let i = 0; i < codes.length; i++) all[prefix.length + i] = codes[i] as number;
  return String.fromCharCode.apply(null, all);
}

const oneShot = sha256Latin1;

const WORDS = new Int32Array(8);
const HEAD = new Uint8Array(10);

/**
 * The first 10 bytes of sha256(input), the 80 bits a chain name's 16 base32 characters carry
 * (valid until the next call). Node's one-shot hash with its digest as a latin1 string is the
 * cheapest way there; a Buffer digest costs twice as much, and `createHash` four times.
 */
export function sha256Head(input: string): Uint8Array {
  if (!oneShot) return sha256HeadInJs(input);
  const digest = oneShot(input);
  for (let i = 0; i < 10; i++) HEAD[i] = digest.charCodeAt(i);
  return HEAD;
}

/**
 * `sha256Head` where Node has no one-shot hash (before 20.12): a one-block SHA-256 in
 * JavaScript for the short ASCII inputs chain names come from, `createHash` for the rest.
 */
export function sha256HeadInJs(input: string): Uint8Array {
  if (!sha256Short(input, WORDS)) return sha256(input);
  for (let i = 0; i < 10; i++) HEAD[i] = ((WORDS[i >> 2] as number) >>> (24 - 8 * (i & 3))) & 255;
  return HEAD;
}

const ALPHABET_CODES = [...ALPHABET].map((c) => c.charCodeAt(0));


export type ServiceChainKind = 'SVC' | 'SVL' | 'EXT' | 'FW' | 'XLB';

/** `KUBE-SVC-…` and friends for a service port (`ns/name:port` or `ns/name`) and protocol. */
export function serviceChainName(kind: ServiceChainKind, servicePortName: string, protocol: string): string {
  return hashedName(`KUBE-${kind}-`, servicePortName + protocol.toLowerCase());
}

/** A service port's KUBE-SVC, KUBE-SVL, KUBE-EXT and KUBE-FW chain names, from one hash. */
export function serviceChainNames(servicePortName: string, protocol: string): Record<'svc' | 'svl' | 'ext' | 'fw', string> {
  const codes = hashCodes(servicePortName + protocol.toLowerCase());
  return { svc: withPrefix('KUBE-SVC-', codes), svl: withPrefix('KUBE-SVL-', codes), ext: withPrefix('KUBE-EXT-', codes), fw: withPrefix('KUBE-FW-', codes) };
}

/** `KUBE-SEP-…` for one endpoint (`IP:port` or `[IP]:port`) of a service port. */
export function endpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return hashedName('KUBE-SEP-', servicePortName + protocol.toLowerCase() + endpoint);
}

/** The chain prefixes kube-proxy treats as its own per-service chains. */
export const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-SEP-', 'KUBE-FW-', 'KUBE-EXT-'] as const;

export function isServiceChainName(name: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => name.startsWith(p));
}
