/**
 * kube-proxy's service port name, `namespace/name:port`, as it appears in chain-name hashes and
 * rule comments. A port without a name is `namespace/name` in what kube-proxy writes today; kube-proxy
 * before 1.17 wrote `namespace/name:` (an empty name after the colon), and both are read.
 */
export interface ServicePortName {
  namespace: string;
  name: string;
  /** The port's name; '' for an unnamed port. */
  port: string;
}

/** How a service port name is written: today's form, or the old one with a colon before an empty port. */
export type ServicePortNameStyle = 'current' | 'colon-always';

export function formatServicePortName(spn: ServicePortName, style: ServicePortNameStyle = 'current'): string {
  const base = `${spn.namespace}/${spn.name}`;
  return spn.port === '' && style === 'current' ? base : `${base}:${spn.port}`;
}

// A namespace is a DNS-1123 label; a service name a DNS-1035 label (Kubernetes' validation of
// those fields); a port name an IANA service name (lower case letters, digits and '-'). Names
// are read a little more widely (dots, a leading digit) so that a dump of any cluster is read.
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SERVICE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const PORT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Reads `ns/name`, `ns/name:` or `ns/name:port`; undefined for anything else. */
export function parseServicePortName(text: string): ServicePortName | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash > 63) return undefined;
  const namespace = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  const colon = rest.indexOf(':');
  const name = colon < 0 ? rest : rest.slice(0, colon);
  const port = colon < 0 ? '' : rest.slice(colon + 1);
  if (name.length === 0 || name.length > 253 || port.length > 63) return undefined;
  if (!NAMESPACE.test(namespace) || !SERVICE.test(name) || (port !== '' && !PORT.test(port))) return undefined;
  return { namespace, name, port };
}

/** `ns/name` of a service port name. */
export function serviceOf(spn: ServicePortName): string {
  return `${spn.namespace}/${spn.name}`;
}
