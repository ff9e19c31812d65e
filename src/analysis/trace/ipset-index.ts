import type { IpSet, IpsetRuleSet } from '../../ast/types.js';
import { cidrContains, type ParsedIp } from '../../kube/ip.js';
import { parsePortRange } from '../../ast/xtables/values.js';
import { parseAddressSpec, portInRange } from './address-spec.js';
import type { Packet } from './packet.js';

/** One dimension of a set member, already parsed. */
type Part =
  | { kind: 'ip'; cidrs: ReturnType<typeof parseAddressSpec> }
  | { kind: 'port'; protocol: string | null; range: [number, number] }
  | { kind: 'other'; text: string };

interface Member {
  parts: Part[];
  nomatch: boolean;
}

interface IndexedSet {
  set: IpSet;
  dims: string[];
  members: Member[];
}

/**
 * The ipsets of a node, for `-m set --match-set NAME DIRS`: a member matches when every dimension
 * of the set type (`hash:ip,port,ip` has three) matches the packet field its direction names.
 */
export class IpsetIndex {
  private readonly sets = new Map<string, IndexedSet>();

  constructor(ruleSets: readonly IpsetRuleSet[]) {
    for (const rs of ruleSets) {
      for (const set of rs.sets) {
        const dims = (set.type.split(':')[1] ?? '').split(',');
        this.sets.set(set.name, {
          set,
          dims,
          members: set.members.map((m) => ({
            parts: m.value.split(',').map((v, i) => parsePart(dims[i] ?? '', v)),
            nomatch: m.options.includes('nomatch'),
          })),
        });
      }
    }
  }

  has(name: string): boolean {
    return this.sets.has(name);
  }

  get(name: string): IpSet | undefined {
    return this.sets.get(name)?.set;
  }

  names(): string[] {
    return [...this.sets.keys()];
  }

  /**
   * Whether the packet is in the set, with `dirs` the comma list of `src`/`dst` of the match.
   * Returns null when the set is unknown or a dimension cannot be judged.
   */
  test(name: string, dirs: readonly string[], packet: Packet): boolean | null {
    const s = this.sets.get(name);
    if (!s) return null;
    let unknown = false;
    for (const m of s.members) {
      let all = true;
      for (let i = 0; i < s.dims.length; i++) {
        const part = m.parts[i];
        const dir = dirs[i] ?? dirs[dirs.length - 1] ?? 'src';
        const r = part ? partMatches(part, dir, packet) : null;
        if (r === null) unknown = true;
        if (r !== true) {
          all = false;
          break;
        }
      }
      if (all) return !m.nomatch;
    }
    return unknown ? null : false;
  }

  /** Every address of a `hash:ip` set (e.g. KUBE-IPVS-IPS, the addresses bound to kube-ipvs0). */
  addresses(name: string): ParsedIp[] {
    const s = this.sets.get(name);
    if (!s) return [];
    const out: ParsedIp[] = [];
    for (const m of s.members) {
      const p = m.parts[0];
      if (p?.kind === 'ip' && p.cidrs) for (const c of p.cidrs) if (c.prefix === c.network.bytes.length * 8) out.push(c.network);
    }
    return out;
  }
}

function parsePart(dim: string, text: string): Part {
  if (dim === 'ip' || dim === 'net') return { kind: 'ip', cidrs: parseAddressSpec(text) };
  if (dim === 'port') {
    const colon = text.lastIndexOf(':');
    const protocol = colon >= 0 ? text.slice(0, colon).toLowerCase() : null;
    const range = parsePortRange(colon >= 0 ? text.slice(colon + 1) : text, protocol ?? 'tcp');
    if (range) return { kind: 'port', protocol, range };
    // bitmap:port ranges are written `a-b`
    const dash = /^(\d+)-(\d+)$/.exec(text);
    if (dash) return { kind: 'port', protocol: null, range: [Number(dash[1]), Number(dash[2])] };
  }
  return { kind: 'other', text };
}

function partMatches(part: Part, dir: string, p: Packet): boolean | null {
  const src = dir === 'src';
  if (part.kind === 'ip') {
    if (!part.cidrs) return null;
    const ip = src ? p.src : p.dst;
    return part.cidrs.some((c) => cidrContains(c, ip));
  }
  if (part.kind === 'port') {
    const port = src ? p.srcPort : p.dstPort;
    if (part.protocol !== null && part.protocol !== p.protocol) return false;
    if (port === null) return p.protocol === 'icmp' ? false : null;
    return portInRange(port, part.range);
  }
  return null;
}
