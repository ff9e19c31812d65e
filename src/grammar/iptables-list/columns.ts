import { unbang } from './items.js';

/**
 * The fixed columns of a listing row as iptables-save arguments: addresses (`-s`/`-d`),
 * interfaces (`-i`/`-o`). `anywhere`, `0.0.0.0/0`, `::/0`, `*` and `any` mean "no match".
 */

/** `anywhere`: a negated `anywhere` (`!anywhere`), whose address depends on the family. */
export type AddressKind = 'none' | 'ipv4' | 'ipv6' | 'name' | 'anywhere';

export interface AddressColumn {
  kind: AddressKind;
  negated: boolean;
  /** The value in iptables-save form: a bare address gets `/32` or `/128`. */
  value: string;
}

const IPV4 = /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/;
const V4_MASK = /^([0-9]{1,2}|[0-9]{1,3}(\.[0-9]{1,3}){3})$/;
const V6_MASK = /^[0-9]{1,3}$/;
const HOST = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Reads a source or destination column; undefined when it is not an address or host name. */
const NO_ADDRESS: AddressColumn = Object.freeze({ kind: 'none', negated: false, value: '' });
const NO_INTERFACE: InterfaceColumn = Object.freeze({ negated: false });

export function readAddress(text: string): AddressColumn | undefined {
  if (text === '0.0.0.0/0' || text === '::/0' || text === 'anywhere') return NO_ADDRESS;
  const { negated, value } = unbang(text);
  if (value === 'anywhere' || value === '0.0.0.0/0' || value === '::/0') {
    if (!negated) return { kind: 'none', negated, value };
    // `!anywhere` is 0.0.0.0/0 or ::/0, as the listing's family tells.
    if (value === 'anywhere') return { kind: 'anywhere', negated, value: '0.0.0.0/0' };
    return { kind: value === '::/0' ? 'ipv6' : 'ipv4', negated, value };
  }
  const slash = value.indexOf('/');
  const addr = slash < 0 ? value : value.slice(0, slash);
  const mask = slash < 0 ? undefined : value.slice(slash + 1);
  if (IPV4.test(addr)) {
    if (mask !== undefined && !(V4_MASK.test(mask) && (mask.includes('.') || Number(mask) <= 32))) return undefined;
    return { kind: 'ipv4', negated, value: mask === undefined ? `${addr}/32` : value };
  }
  if (isIpv6Literal(addr)) {
    if (mask !== undefined && !(V6_MASK.test(mask) && Number(mask) <= 128)) return undefined;
    return { kind: 'ipv6', negated, value: mask === undefined ? `${addr}/128` : value };
  }
  if (HOST.test(addr) && (mask === undefined || V4_MASK.test(mask))) return { kind: 'name', negated, value };
  return undefined;
}

/** Hex digits, dots and at least one colon (checked without a regex, in one pass). */
function isIpv6Literal(s: string): boolean {
  let colon = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) colon = true;
    else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46)) return false;
  }
  return colon;
}

export interface InterfaceColumn {
  negated: boolean;
  /** Undefined for `*` (numeric listings) and `any` (listings without `-n`). */
  name?: string;
}

export function readInterface(text: string): InterfaceColumn {
  if (text === '*' || text === 'any') return NO_INTERFACE;
  const { negated, value } = unbang(text);
  if (value === '*' || value === 'any') return { negated };
  return { negated, name: value };
}

/** Extension targets whose own text follows the matches in a row (`LOG …`, `to:…`). */
export const TARGET_EXTENSIONS: ReadonlySet<string> = new Set([
  'AUDIT', 'CHECKSUM', 'CLASSIFY', 'CLUSTERIP', 'CONNMARK', 'CONNSECMARK', 'CT', 'DNAT', 'DNPT', 'DSCP',
  'ECN', 'HL', 'HMARK', 'IDLETIMER', 'LED', 'LOG', 'MARK', 'MASQUERADE', 'NETMAP', 'NFLOG', 'NFQUEUE',
  'NOTRACK', 'RATEEST', 'REDIRECT', 'REJECT', 'SECMARK', 'SET', 'SNAT', 'SNPT', 'SYNPROXY', 'TCPMSS',
  'TCPOPTSTRIP', 'TEE', 'TOS', 'TPROXY', 'TRACE', 'TTL', 'ULOG',
]);
