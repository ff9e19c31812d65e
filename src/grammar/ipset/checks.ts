import { isIpv4Literal, isIpv6Literal } from '../ip-literal.js';
import { own } from '../../records.js';
import { protocolNameOf, protocolNumberOf } from '../../ast/xtables/netdb.js';

/**
 * What ipset accepts: set types, their creation options, member options, and the shape of a
 * member for each type (`hash:ip,port` takes `IP,[PROTO:]PORT`, ...). Each check returns a
 * message for the first problem, or null.
 */

export const SET_TYPES: readonly string[] = [
  'bitmap:ip',
  'bitmap:ip,mac',
  'bitmap:port',
  'hash:ip',
  'hash:ip,mac',
  'hash:ip,mark',
  'hash:ip,port',
  'hash:ip,port,ip',
  'hash:ip,port,net',
  'hash:mac',
  'hash:net',
  'hash:net,iface',
  'hash:net,net',
  'hash:net,port',
  'hash:net,port,net',
  'list:set',
];

/** Creation options; `true` when the option takes a value. */
const CREATE_OPTIONS: Record<string, boolean> = {
  family: true,
  '-4': false,
  '-6': false,
  hashsize: true,
  maxelem: true,
  timeout: true,
  counters: false,
  comment: false,
  forceadd: false,
  skbinfo: false,
  bucketsize: true,
  initval: true,
  netmask: true,
  bitmask: true,
  range: true,
  size: true,
  markmask: true,
};

/** Per-member options; `true` when the option takes a value. */
const MEMBER_OPTIONS: Record<string, boolean> = {
  timeout: true,
  packets: true,
  bytes: true,
  comment: true,
  skbmark: true,
  skbprio: true,
  skbqueue: true,
  nomatch: false,
  before: true,
  after: true,
};

const NUMERIC_OPTIONS = new Set(['hashsize', 'maxelem', 'timeout', 'bucketsize', 'size', 'packets', 'bytes', 'skbqueue']);

export type SetFamily = 'inet' | 'inet6';

export interface OptionProblem {
  /** Index of the word the problem is about. */
  index: number;
  message: string;
  code: 'syntax' | 'badNumber';
}

/**
 * Checks option words (`family inet hashsize 1024 ...` or `timeout 5 comment x`). `-exist` and
 * `-!` have been removed before. Returns the first problem, or null.
 */
export function checkOptions(words: readonly string[], what: 'create' | 'member'): OptionProblem | null {
  const table = what === 'create' ? CREATE_OPTIONS : MEMBER_OPTIONS;
  for (let i = 0; i < words.length; i++) {
    const name = words[i] ?? '';
    const takesValue = own(table, name);
    if (takesValue === undefined) {
      return { index: i, code: 'syntax', message: `unknown ${what === 'create' ? 'create' : 'member'} option '${name}'` };
    }
    if (!takesValue) continue;
    const value = words[i + 1];
    if (value === undefined) return { index: i, code: 'syntax', message: `option '${name}' needs a value` };
    if (name === 'family' && value !== 'inet' && value !== 'inet6') {
      return { index: i + 1, code: 'syntax', message: `family '${value}' is neither inet nor inet6` };
    }
    if (NUMERIC_OPTIONS.has(name) && !/^\d+$/.test(value)) {
      return { index: i + 1, code: 'badNumber', message: `'${value}' after '${name}' is not a number` };
    }
    i++;
  }
  return null;
}

/** The family a set was created with: `family inet6` or `-6` make it IPv6; bitmap and list sets have none. */
export function setFamily(type: string, options: readonly string[]): SetFamily | undefined {
  if (!type.startsWith('hash:') || type === 'hash:mac') return undefined;
  for (let i = 0; i < options.length; i++) {
    if (options[i] === '-6') return 'inet6';
    if (options[i] === '-4') return 'inet';
    if (options[i] === 'family') return options[i + 1] === 'inet6' ? 'inet6' : 'inet';
  }
  return 'inet';
}

/** The data types of a set type, e.g. `hash:ip,port,net` -> `['ip', 'port', 'net']`. */
export function dataTypes(type: string): string[] {
  const colon = type.indexOf(':');
  return type.slice(colon + 1).split(',');
}

type Family = 'ipv4' | 'ipv6';

function ipFamily(text: string): Family | null {
  return isIpv4Literal(text) ? 'ipv4' : isIpv6Literal(text) ? 'ipv6' : null;
}

function familyMismatch(found: Family, family: SetFamily | undefined, part: string): string | null {
  if (family === undefined) return null;
  if (found === 'ipv4' && family === 'inet6') return `'${part}' is an IPv4 address in an inet6 set`;
  if (found === 'ipv6' && family === 'inet') return `'${part}' is an IPv6 address in an inet set`;
  return null;
}

/** `IP`, `IP/LEN` or an IPv4 range `A-B`. */
function checkAddress(part: string, family: SetFamily | undefined, allowPrefix: boolean, bitmap: boolean): string | null {
  const dash = part.indexOf('-');
  if (dash > 0 && !part.includes(':')) {
    const a = ipFamily(part.slice(0, dash));
    const b = ipFamily(part.slice(dash + 1));
    if (a !== 'ipv4' || b !== 'ipv4') return `'${part}' is not an IPv4 address range`;
    return familyMismatch('ipv4', family, part);
  }
  const slash = part.indexOf('/');
  const host = slash < 0 ? part : part.slice(0, slash);
  const fam = ipFamily(host);
  if (!fam) return `'${host}' is not an IP address`;
  if (bitmap && fam === 'ipv6') return `'${part}': bitmap sets hold IPv4 addresses only`;
  if (slash >= 0) {
    const len = part.slice(slash + 1);
    const max = fam === 'ipv4' ? 32 : 128;
    if (!/^\d{1,3}$/.test(len) || Number(len) > max || Number(len) === 0) return `'/${len}' is not a prefix length from 1 to ${max}`;
    if (!allowPrefix && fam === 'ipv6') return `'${part}': IPv6 members of this type take no prefix length`;
  }
  return familyMismatch(fam, family, part);
}

const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'udplite', 'tcpudp']);

function checkPortNumber(text: string): string | null {
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) {
    if (Number(range[1]) > 65535 || Number(range[2]) > 65535) return `port range '${text}' goes beyond 65535`;
    return null;
  }
  if (/^\d+$/.test(text)) return Number(text) > 65535 ? `port ${text} is out of range 0-65535` : null;
  // ipset resolves service names from /etc/services; `ipset save` prints numbers.
  if (/^[A-Za-z][A-Za-z0-9._+-]*$/.test(text)) return null;
  return `'${text}' is not a port`;
}

/**
 * `[PROTO:]PORT[-PORT]`; ICMP members are `icmp:TYPE/CODE` or a type name (ICMPv6 ones
 * `icmpv6:`, as ipset reads them, or `ipv6-icmp:`, as it prints them from /etc/protocols).
 */
function checkPort(part: string): string | null {
  const colon = part.indexOf(':');
  if (colon < 0) return checkPortNumber(part);
  const proto = part.slice(0, colon).toLowerCase();
  const rest = part.slice(colon + 1);
  if (rest === '') return `'${part}' has no port after '${proto}:'`;
  if (PORT_PROTOCOLS.has(proto)) return checkPortNumber(rest);
  const icmp = proto === 'icmpv6' || protocolNumberOf(proto) === 1 || protocolNumberOf(proto) === 58;
  if (icmp) return /^(\d+\/\d+|[a-z-]+)$/.test(rest) ? null : `'${rest}' is not an ICMP type`;
  if (/^[a-z0-9-]+$/.test(proto)) return rest === '0' ? null : `protocol '${proto}' takes port 0 only`;
  return `'${proto}' is not a protocol`;
}

/**
 * The member with each numeric protocol of its `port` parts named as netdb names it: ipset prints
 * the number (`10.96.0.10,17:53`) when the host it runs on has no /etc/protocols, and the name
 * (`udp:53`) otherwise; both are the same member. Numbers netdb has no name for stay numbers.
 */
export function withProtocolNames(type: string, value: string): string {
  if (type === 'list:set' || !/,\d+:|^\d+:/.test(value)) return value;
  const types = dataTypes(type);
  const parts = value.split(',');
  if (parts.length !== types.length) return value;
  return parts
    .map((part, i) => {
      const m = types[i] === 'port' ? /^(\d{1,3}):(.*)$/.exec(part) : null;
      const name = m ? protocolNameOf(Number(m[1])) : undefined;
      return m && name !== undefined ? `${name}:${m[2] ?? ''}` : part;
    })
    .join(',');
}

/**
 * Whether `value` can be a member of a set of `type` (created with `family`). Returns the
 * problem, or null when it fits.
 */
export function checkMember(type: string, family: SetFamily | undefined, value: string): string | null {
  const types = dataTypes(type);
  const bitmap = type.startsWith('bitmap:');
  const parts = type === 'list:set' ? [value] : value.split(',');
  if (parts.length !== types.length) {
    return `'${value}' does not fit a ${type} set, whose members look like ${types.map(example).join(',')}`;
  }
  for (const [i, t] of types.entries()) {
    const part = parts[i] ?? '';
    let problem: string | null;
    switch (t) {
      case 'ip':
        problem = checkAddress(part, family, true, bitmap);
        break;
      case 'net':
        problem = checkAddress(part, family, true, bitmap);
        break;
      case 'port':
        problem = checkPort(part);
        break;
      case 'mac':
        problem = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(part) ? null : `'${part}' is not a MAC address`;
        break;
      case 'mark':
        problem = /^(0x[0-9A-Fa-f]{1,8}|\d+)$/.test(part) ? null : `'${part}' is not a mark`;
        break;
      case 'iface': {
        const name = part.startsWith('physdev:') ? part.slice('physdev:'.length) : part;
        problem = /^[^\s/]{1,15}$/.test(name) ? null : `'${part}' is not an interface name`;
        break;
      }
      case 'set':
        problem = checkSetName(part);
        break;
      default:
        problem = null;
    }
    if (problem) return problem;
  }
  return null;
}

function example(t: string): string {
  switch (t) {
    case 'ip':
      return 'IP';
    case 'net':
      return 'IP/CIDR';
    case 'port':
      return 'PROTO:PORT';
    case 'mac':
      return 'MAC';
    case 'mark':
      return 'MARK';
    case 'iface':
      return 'IFACE';
    default:
      return 'SETNAME';
  }
}

/** ipset names are 1 to 31 characters (IPSET_MAXNAMELEN is 32 with the terminating NUL). */
export function checkSetName(name: string): string | null {
  if (name === '') return 'a set name cannot be empty';
  if (name.length > 31) return `set name '${name}' is longer than 31 characters`;
  return null;
}
