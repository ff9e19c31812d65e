import { hash16 } from '../../kube/chain-names.js';
import { protocolLower } from '../endpoints.js';
import type { Service, ServicePort } from '../../model/cluster.js';
import type { ServiceEndpoint } from '../endpoints.js';

/**
 * kube-proxy's nftables object names for a service port. Unlike iptables mode the name keeps the
 * readable base after the hash: `service-ULMVA6XW-ns1/svc1/tcp/p80`, with the hash the first 8
 * base32 characters of the base's SHA-256. Endpoint names add `__IP/port` (an IPv6 address with
 * its colons as dots).
 */

/** The longest base kept whole; longer ones are cut and end in `...`. */
const BASE_LENGTH_MAX = 240;

function hashed(base: string): string {
  const name = `${hash16(base).slice(0, 8)}-${base}`;
  return name.length > BASE_LENGTH_MAX ? `${name.slice(0, BASE_LENGTH_MAX - 3)}...` : name;
}

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
