import type { RealServer, VirtualService } from './types.js';

/**
 * Short descriptions of a virtual service's settings, for messages that compare two of them
 * (`rulec diff`, the `ipvs-drift` lint rule). Two services schedule alike exactly when their
 * texts are equal: flag order and the default persistence netmask do not count.
 */

/** `rr`, `mh (mh-port)`: the scheduler with its flags, sorted. */
export function schedulerText(vs: VirtualService): string {
  return vs.schedulerFlags.length > 0 ? `${vs.scheduler} (${[...vs.schedulerFlags].sort().join(',')})` : vs.scheduler;
}

/** `off`, `10800 s`, `300 s (netmask 255.255.255.0)`, with the persistence engine and one-packet scheduling. */
export function persistenceText(vs: VirtualService): string {
  const parts: string[] = [];
  if (vs.persistence) {
    const mask = vs.persistence.netmask;
    const defaultMask = mask === undefined || mask === '255.255.255.255' || mask === '128';
    parts.push(`${vs.persistence.timeout} s${defaultMask ? '' : ` (netmask ${mask})`}`);
  } else parts.push('off');
  if (vs.persistenceEngine !== undefined) parts.push(`engine ${vs.persistenceEngine}`);
  if (vs.onePacket) parts.push('one-packet');
  return parts.join(', ');
}

/** How a real server is reached and loaded: `masq`, `route, thresholds 10/2`; `forwarding not shown` when unknown. */
export function forwardingText(rs: RealServer): string {
  const parts: string[] = [rs.forward ?? 'forwarding not shown'];
  if (rs.upperThreshold !== undefined || rs.lowerThreshold !== undefined) parts.push(`thresholds ${rs.upperThreshold ?? 0}/${rs.lowerThreshold ?? 0}`);
  if (rs.tunnel) parts.push(`tunnel ${rs.tunnel.type}`);
  return parts.join(', ');
}
