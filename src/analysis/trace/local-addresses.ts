import { isLoopback, parseIp, type ParsedIp } from '../../kube/ip.js';

/**
 * The addresses the kernel treats as its own (`-m addrtype --dst-type LOCAL`, the routing decision
 * between INPUT and FORWARD): the node IPs, the loopback networks (127.0.0.0/8 and ::1), and any
 * address bound to a dummy interface (IPVS mode binds service IPs to `kube-ipvs0`).
 */
export class LocalAddresses {
  private readonly texts: Set<string>;

  constructor(
    readonly nodeIPs: readonly ParsedIp[],
    readonly extra: readonly ParsedIp[] = [],
  ) {
    this.texts = new Set([...nodeIPs, ...extra].map((ip) => ip.text));
  }

  static fromTexts(nodeIPs: readonly string[], extra: readonly string[] = []): LocalAddresses {
    const parse = (list: readonly string[]) => list.map((t) => parseIp(t)).filter((ip): ip is ParsedIp => ip !== null);
    return new LocalAddresses(parse(nodeIPs), parse(extra));
  }

  isLocal(ip: ParsedIp): boolean {
    return isLoopback(ip) || this.texts.has(ip.text);
  }

  /** Whether the address is bound to a dummy interface rather than being a node IP. */
  isExtra(ip: ParsedIp): boolean {
    return this.extra.some((e) => e.text === ip.text) && !this.nodeIPs.some((n) => n.text === ip.text);
  }

  /** These addresses and one more node IP. */
  withNodeIP(ip: ParsedIp): LocalAddresses {
    return new LocalAddresses([...this.nodeIPs, ip], this.extra);
  }

  with(extra: readonly ParsedIp[]): LocalAddresses {
    return new LocalAddresses(this.nodeIPs, [...this.extra, ...extra]);
  }

  /** The first node IP of a family, for a default source. */
  firstOf(family: ParsedIp['family']): ParsedIp | null {
    return this.nodeIPs.find((ip) => ip.family === family && !isLoopback(ip)) ?? null;
  }
}

/** The kernel's address types (`-m addrtype`), as far as they can be judged offline. */
export function addressType(ip: ParsedIp, local: LocalAddresses): 'LOCAL' | 'UNICAST' | 'MULTICAST' | 'BROADCAST' | 'UNSPEC' {
  if (ip.bytes.every((b) => b === 0)) return 'UNSPEC';
  if (local.isLocal(ip)) return 'LOCAL';
  if (ip.family === 'ipv4') {
    const first = ip.bytes[0] ?? 0;
    if (first >= 224 && first <= 239) return 'MULTICAST';
    if (ip.bytes.every((b) => b === 255)) return 'BROADCAST';
    return 'UNICAST';
  }
  if (ip.bytes[0] === 0xff) return 'MULTICAST';
  return 'UNICAST';
}
