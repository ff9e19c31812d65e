import type { IpFamily, IpsetRuleSet, IptablesRuleSet, IpvsRuleSet, RuleSet } from '../../ast/types.js';
import type { NftRuleSet } from '../../ast/nft-types.js';
import { NftTable } from './nft-walker.js';
import { bytesToIp, cidrContains, parseCidr, parseIp, type ParsedCidr, type ParsedIp } from '../../kube/ip.js';
import type { Branch } from './branch.js';
import { IndexedTable } from './chain-walker.js';
import { IpsetIndex } from './ipset-index.js';
import { IpvsIndex } from './ipvs-lookup.js';
import { withImpliedHooks } from './implied-hooks.js';
import { traceThroughKernel, type FamilyRules } from './kernel-path.js';
import { LocalAddresses } from './local-addresses.js';
import type { TraceNote, TraceOptions } from './match-context.js';
import { formatHostPort, parseHostPort, type Packet, type TraceOrigin, type TraceProtocol } from './packet.js';
import { summarise, type TraceResult } from './result.js';

/** The rules of a node and what the trace needs to know about the node. */
export interface NodeRules {
  /** iptables (both families), IPVS and ipset rule sets, in any mix. */
  ruleSets: readonly RuleSet[];
  /** kube-proxy's nftables tables (nftables mode), of either family. */
  nft?: readonly NftRuleSet[];
  /** The node's own addresses (`addrtype LOCAL`); loopback is always local. */
  nodeIPs: readonly ParsedIp[];
  /** Pod networks, to tell a pod source from an external one and to pick a default pod source. */
  podCIDRs?: readonly ParsedCidr[];
  /** Where each node IP was learnt (by its text, in words: `given with --node-ip`, …), for the note on a source chosen from it. */
  nodeIPOrigins?: ReadonlyMap<string, string>;
  /** Where each pod network was learnt (by its text, in words), for the note on a source chosen from it. */
  podCIDROrigins?: ReadonlyMap<string, string>;
}

/**
 * The sources a trace takes when none is given and the node tells it nothing better: a pod
 * address in the pod network flannel and kind use by default, a documentation address (RFC 5737,
 * RFC 3849) for the node and one for any external client.
 */
export const ASSUMED_SOURCES = {
  podNetwork: { ipv4: '10.244.0.0/16', ipv6: 'fd00:10:244::/56' },
  podNetworkIs: { ipv4: "flannel's and kind's default pod network", ipv6: "kind's default IPv6 pod network" },
  node: { ipv4: '192.0.2.1', ipv6: '2001:db8::1' },
  external: { ipv4: '203.0.113.2', ipv6: '2001:db8:ffff::2' },
} as const;

/** One packet to trace: the first packet of a new connection. */
export interface PacketQuery {
  /** `IP:PORT`, `[IPv6]:PORT`, or a bare IP for ICMP. */
  destination: string;
  protocol?: TraceProtocol;
  /** `IP` or `IP:PORT`; a default is chosen from `from` when absent. */
  source?: string;
  /** Where the packet starts; derived from the source when absent. */
  from?: TraceOrigin;
  /** The interface it arrives on (for rules with `-i`). */
  inIface?: string;
}

export type TraceAnswer = { ok: true; result: TraceResult } | { ok: false; error: string };

/**
 * Traces packets through the rules of one node. Built once per rule set (chains indexed, hooks
 * implied where a dump lacks the built-in chains), then `trace` answers any number of packets.
 */
export class Tracer {
  private readonly families = new Map<IpFamily, FamilyRules>();
  private readonly setupNotes = new Map<IpFamily, TraceNote[]>();
  private readonly local: LocalAddresses;
  private readonly ipvs: IpvsIndex;

  constructor(
    private readonly node: NodeRules,
    private readonly options: TraceOptions = {},
  ) {
    const ipsetSets = node.ruleSets.filter((r): r is IpsetRuleSet => r.kind === 'ipset');
    const ipvsSets = node.ruleSets.filter((r): r is IpvsRuleSet => r.kind === 'ipvs');
    const ipsets = ipsetSets.length > 0 ? new IpsetIndex(ipsetSets) : null;
    this.ipvs = new IpvsIndex(ipvsSets);
    // IPVS binds every virtual service address to kube-ipvs0 (node IPs are already local).
    const bound = ipsets?.has('KUBE-IPVS-IPS') ? ipsets.addresses('KUBE-IPVS-IPS') : this.ipvs.addresses();
    this.local = new LocalAddresses(node.nodeIPs, this.ipvs.size > 0 ? bound : []);
    for (const family of ['ipv4', 'ipv6'] as const) {
      const notes: TraceNote[] = [];
      const tables = new Map<string, IndexedTable>();
      for (const rs of node.ruleSets.filter((r): r is IptablesRuleSet => r.kind === 'iptables' && r.family === family)) {
        const { ruleSet, added } = withImpliedHooks(rs);
        if (added) notes.push({ kind: 'assumption', message: `the ${family === 'ipv4' ? 'iptables' : 'ip6tables'} rules have no built-in chains; kube-proxy's jumps into its chains (PREROUTING/OUTPUT -> KUBE-SERVICES, …) are assumed` });
        if (rs.fidelity === 'lossy') notes.push({ kind: 'assumption', message: `the rules come from a lossy listing (${rs.origin}); names and dropped options cannot be judged exactly` });
        for (const t of ruleSet.tables) {
          const existing = tables.get(t.name);
          // Several dumps of one table: chains of later ones are added to the first.
          if (existing) for (const c of t.chains) existing.chains.set(c.name, existing.chains.get(c.name) ?? c);
          else tables.set(t.name, new IndexedTable(t));
        }
      }
      const ipvsFamily = new IpvsIndex(ipvsSets.map((r) => ({ ...r, services: r.services.filter((s) => s.family === family) })));
      const nft = (node.nft ?? []).map((rs) => new NftTable(rs)).filter((t) => t.family === family);
      for (const t of nft) {
        if (t.assumedHooks) notes.push({ kind: 'assumption', message: `the nftables table ${t.ruleSet.family} ${t.ruleSet.table} has no base chains; kube-proxy's jumps into services (prerouting, output) and masquerading (postrouting) are assumed` });
      }
      this.families.set(family, { tables, ipvs: ipvsFamily, ipsets, nft });
      this.setupNotes.set(family, notes);
    }
  }

  /** Whether any rules of this family were given. */
  hasRules(family: IpFamily): boolean {
    const f = this.families.get(family);
    return Boolean(f && (f.tables.size > 0 || f.ipvs.size > 0 || f.nft.length > 0));
  }

  trace(query: PacketQuery): TraceAnswer {
    const protocol = query.protocol ?? 'tcp';
    const dst = parseHostPort(query.destination);
    if (!dst) return { ok: false, error: `destination ${JSON.stringify(query.destination)} is not IP:PORT, [IPv6]:PORT or an IP address` };
    if (protocol !== 'icmp' && dst.port === null) return { ok: false, error: `destination ${query.destination}: a ${protocol} packet needs a port (IP:PORT)` };
    const family = dst.ip.family;
    let src = query.source !== undefined ? parseHostPort(query.source) : null;
    if (query.source !== undefined && !src) return { ok: false, error: `source ${JSON.stringify(query.source)} is not an IP address (or IP:PORT)` };
    const notes: TraceNote[] = [...(this.setupNotes.get(family) ?? [])];
    let from = query.from;
    let local = this.local;
    if (!src) {
      from ??= 'pod';
      const chosen = this.defaultSource(from, family);
      src = { ip: chosen.ip, port: null };
      // An assumed node IP is the node's own for this packet (addrtype --src-type LOCAL).
      if (chosen.assumedNodeIP) local = local.withNodeIP(chosen.ip);
      notes.push({ kind: 'assumption', message: `source ${chosen.ip.text} (${chosen.why}); ${chosen.instead}` });
    }
    if (src.ip.family !== family) return { ok: false, error: `source ${src.ip.text} and destination ${dst.ip.text} are of different IP families` };
    from ??= this.originOf(src.ip);
    if (!this.hasRules(family)) notes.push({ kind: 'info', message: `no ${family === 'ipv4' ? 'IPv4' : 'IPv6'} rules were given; the packet meets none` });

    const packet: Packet = {
      family,
      protocol,
      src: src.ip,
      srcPort: protocol === 'icmp' ? null : src.port,
      dst: dst.ip,
      dstPort: protocol === 'icmp' ? null : dst.port,
      mark: 0,
      inIface: from === 'node' ? null : (query.inIface ?? null),
      outIface: null,
      origDst: dst.ip,
      origDstPort: protocol === 'icmp' ? null : dst.port,
      dnat: false,
      snat: false,
    };
    const start: Branch = { packet, probability: 1, steps: [], notes, markedForMasquerade: false, masqueraded: false, dnatTo: null };
    const rules = this.families.get(family) as FamilyRules;
    const finals = traceThroughKernel(rules, start, from, local, this.options);
    const result = summarise(finals, {
      source: formatHostPort(src.ip, packet.srcPort),
      destination: formatHostPort(dst.ip, packet.dstPort),
      protocol,
      from,
      family,
      enters: from === 'node' ? 'OUTPUT' : 'PREROUTING',
    });
    if (protocol === 'icmp') result.icmp = icmpAnswer(result, dst.ip, local);
    return { ok: true, result };
  }

  /** A node source is one of the node's addresses; a pod source is in a pod network. */
  originOf(ip: ParsedIp): TraceOrigin {
    if (this.local.isLocal(ip) && !this.local.isExtra(ip)) return 'node';
    if ((this.node.podCIDRs ?? []).some((c) => cidrContains(c, ip))) return 'pod';
    return 'external';
  }

  /**
   * The source of a packet given without one: for a pod, an address of the first pod network of
   * the family (else of `ASSUMED_SOURCES.podNetwork`); for the node, its first IP of the family
   * (else `ASSUMED_SOURCES.node`, then taken as the node's own); for an external client,
   * `ASSUMED_SOURCES.external`. `why` says which and why, `instead` how to choose another.
   */
  private defaultSource(from: TraceOrigin, family: IpFamily): { ip: ParsedIp; why: string; instead: string; assumedNodeIP: boolean } {
    const ofFamily = (texts: { ipv4: string; ipv6: string }): string => (family === 'ipv4' ? texts.ipv4 : texts.ipv6);
    const instead = 'pass --src to choose another';
    if (from === 'node') {
      const ip = this.local.firstOf(family);
      if (ip) return { ip, why: `the node IP${origin(this.node.nodeIPOrigins, ip.text)}`, instead, assumedNodeIP: false };
      const assumed = parseIp(ofFamily(ASSUMED_SOURCES.node)) as ParsedIp;
      return {
        ip: assumed,
        why: `no ${familyName(family)} node IP is known: none given with --node-ip, in a Node object or read off the rules; ${assumed.text}, a documentation address, stands for it and counts as the node's own in this trace`,
        instead: 'pass --node-ip or --src to choose another',
        assumedNodeIP: true,
      };
    }
    if (from === 'external') {
      const ip = parseIp(ofFamily(ASSUMED_SOURCES.external)) as ParsedIp;
      return { ip, why: 'a documentation address standing for any external client', instead, assumedNodeIP: false };
    }
    const known = (this.node.podCIDRs ?? []).find((c) => c.family === family);
    const cidr = known ?? (parseCidr(ofFamily(ASSUMED_SOURCES.podNetwork)) as ParsedCidr);
    const bytes = [...cidr.network.bytes];
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) | 2;
    const ip = bytesToIp(bytes);
    if (known) return { ip, why: `an address of the pod network ${cidr.text}${origin(this.node.podCIDROrigins, cidr.text)}`, instead, assumedNodeIP: false };
    return {
      ip,
      why: `no ${familyName(family)} pod network is known: none given with --cluster-cidr, in kube-proxy's clusterCIDR or the Node's podCIDRs, or read off the rules; ${cidr.text}, ${ofFamily(ASSUMED_SOURCES.podNetworkIs)}, is assumed`,
      instead: 'pass --cluster-cidr or --src to choose another',
      assumedNodeIP: false,
    };
  }
}

function familyName(family: IpFamily): string {
  return family === 'ipv4' ? 'IPv4' : 'IPv6';
}

/** `, ORIGIN` when the origin of a node IP or pod network is known. */
function origin(origins: ReadonlyMap<string, string> | undefined, text: string): string {
  const o = origins?.get(text);
  return o ? `, ${o}` : '';
}

function icmpAnswer(result: TraceResult, dst: ParsedIp, local: LocalAddresses): { answered: boolean; reason: string } {
  if (result.verdict === 'DROP' || result.verdict === 'REJECT') {
    const last = [...result.path, ...(result.outcomes[0]?.path ?? [])].filter((s) => s.action.startsWith(result.verdict)).pop();
    const where = last ? ` (${last.table} ${last.chain}${last.rule !== null ? ` #${last.rule}` : ''})` : '';
    const why =
      last?.chain === 'KUBE-IPVS-FILTER'
        ? `: kube-proxy refuses new connections to kube-ipvs0 addresses other than their service ports, pings included, although the address is bound to the node`
        : '';
    return { answered: false, reason: `a rule ${result.verdict === 'DROP' ? 'drops' : 'rejects'} it${where}${why}` };
  }
  if (result.verdict === 'DNAT') return { answered: true, reason: 'it is DNATed to an endpoint, which answers' };
  if (local.isLocal(dst)) {
    return {
      answered: true,
      reason: local.isExtra(dst)
        ? `${dst.text} is bound to kube-ipvs0 (IPVS mode), so the node's own stack answers the echo request`
        : `${dst.text} is an address of the node, which answers the echo request`,
    };
  }
  return {
    answered: false,
    reason: `no rule handles ICMP to ${dst.text} and no interface of the node holds it: a service IP in iptables or nftables mode is virtual, so the ping goes unanswered`,
  };
}

/** Traces one packet (building the tracer for a single question). */
export function tracePacket(node: NodeRules, query: PacketQuery, options: TraceOptions = {}): TraceAnswer {
  return new Tracer(node, options).trace(query);
}
