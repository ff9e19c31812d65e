import type { IpsetRuleSet, IpvsRuleSet, VirtualService } from '../../ast/types.js';
import { parseIp } from '../../kube/ip.js';
import { forwardingText, persistenceText, schedulerText } from '../../ast/ipvs-text.js';
import { formatHostPort } from '../trace/packet.js';

export interface VirtualServiceChange {
  service: string;
  kind: 'added' | 'removed' | 'scheduler' | 'persistence' | 'real-server-added' | 'real-server-removed' | 'weight' | 'forwarding';
  detail?: string;
  summary: string;
}

export interface IpsetChange {
  set: string;
  kind: 'added' | 'removed' | 'type' | 'member-added' | 'member-removed';
  member?: string;
  summary: string;
}

function key(vs: VirtualService): string {
  if (vs.protocol === 'fwmark') return `FWM ${vs.fwmark ?? 0}${vs.family === 'ipv6' ? ' IPv6' : ''}`;
  const ip = parseIp(vs.address);
  return `${vs.protocol.toUpperCase()} ${ip ? formatHostPort(ip, vs.port) : `${vs.address}:${vs.port}`}`;
}

function serverKey(address: string, port: number): string {
  const ip = parseIp(address);
  return ip ? formatHostPort(ip, port) : `${address}:${port}`;
}

/** Virtual services and real servers of A against B (order and formatting ignored). */
export function diffIpvs(a: readonly IpvsRuleSet[], b: readonly IpvsRuleSet[]): VirtualServiceChange[] {
  const index = (sets: readonly IpvsRuleSet[]) => new Map(sets.flatMap((s) => s.services).map((v) => [key(v), v]));
  const ma = index(a);
  const mb = index(b);
  const out: VirtualServiceChange[] = [];
  for (const [k, va] of ma) {
    const vb = mb.get(k);
    if (!vb) {
      out.push({ service: k, kind: 'removed', summary: `IPVS service ${k} is only in A (removed)` });
      continue;
    }
    const sa = schedulerText(va);
    const sb = schedulerText(vb);
    if (sa !== sb) out.push({ service: k, kind: 'scheduler', detail: `${sa} -> ${sb}`, summary: `IPVS service ${k}: scheduler ${sa} in A, ${sb} in B` });
    const pa = persistenceText(va);
    const pb = persistenceText(vb);
    if (pa !== pb) out.push({ service: k, kind: 'persistence', detail: `${pa} -> ${pb}`, summary: `IPVS service ${k}: persistence ${pa} in A, ${pb} in B` });
    const ra = new Map(va.realServers.map((r) => [serverKey(r.address, r.port), r]));
    const rb = new Map(vb.realServers.map((r) => [serverKey(r.address, r.port), r]));
    for (const [s, r] of rb) {
      const old = ra.get(s);
      if (!old) {
        out.push({ service: k, kind: 'real-server-added', detail: s, summary: `IPVS service ${k} gains real server ${s}` });
        continue;
      }
      if (old.weight !== undefined && r.weight !== undefined && old.weight !== r.weight) out.push({ service: k, kind: 'weight', detail: `${s} ${old.weight} -> ${r.weight}`, summary: `IPVS service ${k}: real server ${s} weight ${old.weight} in A, ${r.weight} in B` });
      const fa = forwardingText(old);
      const fb = forwardingText(r);
      if (fa !== fb) out.push({ service: k, kind: 'forwarding', detail: `${s} ${fa} -> ${fb}`, summary: `IPVS service ${k}: real server ${s} forwarding ${fa} in A, ${fb} in B` });
    }
    for (const s of ra.keys()) if (!rb.has(s)) out.push({ service: k, kind: 'real-server-removed', detail: s, summary: `IPVS service ${k} loses real server ${s}` });
  }
  for (const k of mb.keys()) if (!ma.has(k)) out.push({ service: k, kind: 'added', summary: `IPVS service ${k} is only in B (added)` });
  return out;
}

/** Sets and members of A against B. */
export function diffIpsets(a: readonly IpsetRuleSet[], b: readonly IpsetRuleSet[]): IpsetChange[] {
  const index = (sets: readonly IpsetRuleSet[]) => new Map(sets.flatMap((s) => s.sets).map((s) => [s.name, s]));
  const ma = index(a);
  const mb = index(b);
  const out: IpsetChange[] = [];
  for (const [name, sa] of ma) {
    const sb = mb.get(name);
    if (!sb) {
      out.push({ set: name, kind: 'removed', summary: `ipset ${name} is only in A (removed)` });
      continue;
    }
    if (sa.type !== sb.type) out.push({ set: name, kind: 'type', summary: `ipset ${name}: type ${sa.type} in A, ${sb.type} in B` });
    const va = new Set(sa.members.map((m) => m.value));
    const vb = new Set(sb.members.map((m) => m.value));
    for (const m of vb) if (!va.has(m)) out.push({ set: name, kind: 'member-added', member: m, summary: `ipset ${name} gains ${m}` });
    for (const m of va) if (!vb.has(m)) out.push({ set: name, kind: 'member-removed', member: m, summary: `ipset ${name} loses ${m}` });
  }
  for (const name of mb.keys()) if (!ma.has(name)) out.push({ set: name, kind: 'added', summary: `ipset ${name} is only in B (added)` });
  return out;
}
