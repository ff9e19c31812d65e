import { isLinkLocal, isLoopback, type ParsedIp } from '../../kube/ip.js';
import type { ProxySettings } from '../../model/settings.js';
import { cidrContains } from '../../kube/ip.js';
import type { NodePortAddresses } from '../node-port-addresses.js';

/**
 * The node addresses the IPVS proxier works with. Real kube-proxy reads them from the node's
 * interfaces; rulec reads them from `rulec.io/interface-addresses`, `--node-ip` or the Node.
 */

/**
 * Every local address of the family on an interface other than kube-ipvs0, without loopback
 * and (IPv6) link-local addresses, each once, in interface order: the NodePort addresses in
 * match-all mode, and the addresses that external and load-balancer IPs are not bound over.
 */
export function localAddresses(settings: ProxySettings): ParsedIp[] {
  const out: ParsedIp[] = [];
  const seen = new Set<string>();
  for (const ip of settings.interfaceAddresses) {
    if (ip.family !== settings.family || seen.has(ip.text)) continue;
    if (isLoopback(ip) || (ip.family === 'ipv6' && isLinkLocal(ip))) continue;
    seen.add(ip.text);
    out.push(ip);
  }
  return out;
}

/**
 * The addresses NodePort virtual servers listen on. Match-all: every local address. Otherwise
 * the interface addresses inside a `nodePortAddresses` CIDR, kube-ipvs0's addresses included
 * (kube-proxy lists them from its second sync on; rulec models that steady state), minus
 * loopback addresses (kept up to 1.21, and in match-all mode up to 1.22: the profile's
 * `nodePortsOnLoopback`).
 */
export function nodePortIPs(settings: ProxySettings, npa: NodePortAddresses, local: readonly ParsedIp[], bound: readonly ParsedIp[]): ParsedIp[] {
  const onLoopback = settings.ipvsProfile.nodePortsOnLoopback;
  if (npa.matchAll) {
    if (onLoopback === 'never') return [...local];
    // Up to 1.22: the local routes' addresses, loopback ones included.
    const loopback = settings.interfaceAddresses.filter((ip) => ip.family === settings.family && isLoopback(ip));
    return [...new Map([...loopback, ...local].map((ip) => [ip.text, ip])).values()];
  }
  const out: ParsedIp[] = [];
  const seen = new Set<string>();
  for (const ip of [...settings.interfaceAddresses, ...bound]) {
    if (ip.family !== settings.family || seen.has(ip.text) || (isLoopback(ip) && onLoopback !== 'always')) continue;
    if (!npa.cidrs.some((c) => cidrContains(c, ip))) continue;
    seen.add(ip.text);
    out.push(ip);
  }
  return out;
}
