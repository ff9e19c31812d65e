import type { IpFamily } from '../../ast/types.js';
import type { LocalDetector } from '../../model/settings.js';
import { nftInterfaceName, nftInterfacePrefix } from '../../kube/nft-interface-name.js';

/** The words that differ between the IPv4 and the IPv6 proxier. */
export interface FamilyWords {
  /** `ip` or `ip6`, before `saddr` / `daddr`, and the table's family. */
  ipX: 'ip' | 'ip6';
  /** `ipv4_addr` or `ipv6_addr`. */
  addrType: string;
  /** The loopback range NodePorts never answer on: `127.0.0.0/8` or `::1`. */
  loopback: string;
}

export function familyWords(family: IpFamily): FamilyWords {
  return family === 'ipv4'
    ? { ipX: 'ip', addrType: 'ipv4_addr', loopback: '127.0.0.0/8' }
    : { ipX: 'ip6', addrType: 'ipv6_addr', loopback: '::1' };
}

export { nftInterfaceName, nftInterfacePrefix };

/** "The packet comes from a local pod", as nft words (none without a detector). */
export function ifLocalWords(d: LocalDetector, ipX: string): string[] {
  if (d.kind === 'cidr') return [ipX, 'saddr', d.cidr.text];
  // By name, as the prefix form: `iif` resolves the interface when the rule is loaded.
  if (d.kind === 'bridge') return ['iifname', nftInterfaceName(d.name)];
  if (d.kind === 'prefix') return ['iifname', nftInterfacePrefix(d.prefix)];
  return [];
}

/** "The packet does not come from a local pod", as nft words (none without a detector). */
export function ifNotLocalWords(d: LocalDetector, ipX: string): string[] {
  if (d.kind === 'cidr') return [ipX, 'saddr', '!=', d.cidr.text];
  if (d.kind === 'bridge') return ['iifname', '!=', nftInterfaceName(d.name)];
  if (d.kind === 'prefix') return ['iifname', '!=', nftInterfacePrefix(d.prefix)];
  return [];
}
