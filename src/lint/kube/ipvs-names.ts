import type { RealServer, VirtualService } from '../../ast/types.js';
import { joinHostPort } from '../../kube/ip.js';

/** `TCP 10.96.0.10:53`, `UDP [fd00::a]:53`, `FWM 7`, as ipvsadm -L names a virtual service. */
export function describeVirtualService(vs: VirtualService): string {
  if (vs.protocol === 'fwmark') return `FWM ${vs.fwmark ?? '?'}`;
  return `${vs.protocol.toUpperCase()} ${joinHostPort(vs.address, vs.port)}`;
}

export function describeRealServer(rs: RealServer): string {
  return joinHostPort(rs.address, rs.port);
}
