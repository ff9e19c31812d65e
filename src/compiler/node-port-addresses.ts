import type { IpFamily } from '../ast/types.js';
import { cidrContains, isLoopback, isZeroCidr, parseCidr, type ParsedCidr, type ParsedIp } from '../kube/ip.js';
import type { ProxySettings } from '../model/settings.js';

/**
 * kube-proxy's reading of `nodePortAddresses` for one family: either "every local address"
 * (match-all) or the CIDRs of this family, with `primary` standing for the node's primary IP.
 */
export interface NodePortAddresses {
  matchAll: boolean;
  /** This family's CIDRs (empty when match-all). */
  cidrs: ParsedCidr[];
}

export function nodePortAddresses(settings: ProxySettings): NodePortAddresses {
  const family: IpFamily = settings.family;
  let texts = settings.nodePortAddresses;
  if (texts.length === 1 && texts[0] === 'primary') {
    const p = settings.primaryNodeIP;
    texts = p && !isLoopback(p) ? [`${p.text}/${p.family === 'ipv4' ? 32 : 128}`] : [];
  }
  const cidrs = texts
    .map((t) => parseCidr(t))
    .filter((c): c is ParsedCidr => c !== null && c.family === family);
  if (cidrs.length === 0 || cidrs.some(isZeroCidr)) return { matchAll: true, cidrs: [] };
  return { matchAll: false, cidrs };
}

/**
 * Whether NodePorts answer on 127.0.0.1: only IPv4, only when configured, and only when the
 * nodePortAddresses allow a loopback address.
 */
export function localhostNodePortsEffective(settings: ProxySettings): boolean {
  if (settings.family !== 'ipv4' || !settings.localhostNodePorts) return false;
  const npa = nodePortAddresses(settings);
  if (npa.matchAll) return true;
  return npa.cidrs.some((c) => c.network.bytes[0] === 127 || cidrContains(c, { family: 'ipv4', text: '127.0.0.0', bytes: [127, 0, 0, 0] }));
}

/**
 * Whether kube-proxy before 1.27 found any NodePort address (`GetNodeAddresses` not empty): no
 * nodePortAddresses, a zero CIDR, or an interface address of either family in one of the CIDRs.
 * Without one it writes no NodePort rules at all.
 */
export function nodePortAddressFound(settings: ProxySettings): boolean {
  const texts = settings.nodePortAddresses;
  if (texts.length === 0) return true;
  if (texts.length === 1 && texts[0] === 'primary') return settings.primaryNodeIP !== null;
  const cidrs = texts.map((t) => parseCidr(t)).filter((c): c is ParsedCidr => c !== null);
  if (cidrs.some(isZeroCidr)) return true;
  return settings.interfaceAddresses.some((ip) => cidrs.some((c) => c.family === ip.family && cidrContains(c, ip)));
}

/**
 * Whether a loopback address in the nodePortAddresses list is a NodePort address: IPv4 with
 * localhost NodePorts on; in both families before kube-proxy had the setting (1.26).
 */
export function nodePortsKeepLoopback(settings: ProxySettings): boolean {
  return !settings.profile.localhostNodePortsSetting || (settings.family === 'ipv4' && localhostNodePortsEffective(settings));
}

/**
 * The node's addresses that NodePorts listen on when nodePortAddresses is not match-all: the
 * interface addresses of this family inside one of the CIDRs, in interface order, each once.
 * Loopback addresses are left out on IPv6 and when localhost NodePorts are off.
 */
export function nodePortHostIPs(settings: ProxySettings, npa: NodePortAddresses, keepLoopback: boolean): ParsedIp[] {
  const out: ParsedIp[] = [];
  const seen = new Set<string>();
  for (const ip of settings.interfaceAddresses) {
    if (ip.family !== settings.family || seen.has(ip.text)) continue;
    if (isLoopback(ip) && !keepLoopback) continue;
    if (!npa.cidrs.some((c) => cidrContains(c, ip))) continue;
    seen.add(ip.text);
    out.push(ip);
  }
  return out;
}
