import { nftHashedName } from '../../kube/nft-chain-names.js';
import { protocolLower } from '../endpoints.js';
import type { Service, ServicePort } from '../../model/cluster.js';
import type { ServiceEndpoint } from '../endpoints.js';

/**
 * kube-proxy's nftables object names for a service port. Unlike iptables mode the name keeps the
 * readable base after the hash: `service-ULMVA6XW-ns1/svc1/tcp/p80`, with the hash the first 8
 * base32 characters of the base's SHA-256. Endpoint names add `__IP/port` (an IPv6 address with
 * its colons as dots).
 */

const hashed = nftHashedName;

/** `ns/name/proto/portName` (the port name may be empty). */
export function servicePortBase(svc: Service, port: ServicePort): string {
  return `${svc.namespace}/${svc.name}/${protocolLower(port.protocol)}/${port.name}`;
}

export interface ServicePortChains {
  service: string;
  local: string;
  external: string;
  firewall: string;
}

export function servicePortChains(base: string): ServicePortChains {
  const h = hashed(base);
  return { service: `service-${h}`, local: `local-${h}`, external: `external-${h}`, firewall: `firewall-${h}` };
}

/** The endpoint chain and affinity set names of one endpoint of a service port. */
export function endpointNames(base: string, ep: ServiceEndpoint): { chain: string; affinitySet: string } {
  const h = hashed(`${base}__${ep.ip.text.replaceAll(':', '.')}/${ep.port}`);
  return { chain: `endpoint-${h}`, affinitySet: `affinity-${h}` };
}
