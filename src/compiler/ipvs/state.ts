import type { IpvsProtocol, VirtualService } from '../../ast/types.js';
import type { ParsedIp } from '../../kube/ip.js';
import type { SetKey } from './ipset-catalogue.js';
import { sortByKey, virtualServiceKey, type SortKey } from './order.js';

/** A load-balancer ip:port:protocol the node itself must not reach (KUBE-IPVS-OUT-FILTER). */
export interface NoNodeAccessEntry {
  ip: ParsedIp;
  protocol: IpvsProtocol;
  port: number;
}

/** Which service port a virtual server serves, and through which of its addresses. */
export interface VirtualServiceOwner {
  /** `ns/name:port` (or `ns/name` for an unnamed port). */
  servicePortName: string;
  /** The address kind: `cluster IP`, `external IP`, `load-balancer IP` or `NodePort`. */
  role: 'cluster IP' | 'external IP' | 'load-balancer IP' | 'NodePort';
  /** Whether its real servers are only the node-local endpoints (a Local traffic policy). */
  onlyLocal: boolean;
}

/**
 * What one sync of the IPVS proxier leaves behind, collected while the service ports are walked:
 * the virtual servers (a later service port that produces the same virtual server replaces the
 * earlier one, as kube-proxy's update does), the members of every ipset, the addresses bound to
 * kube-ipvs0 and the load-balancer entries the node may not reach.
 */
export class IpvsState {
  private readonly services = new Map<SortKey, { vs: VirtualService; key: SortKey; owner: VirtualServiceOwner }>();
  private readonly members = new Map<SetKey, Set<string>>();
  private readonly bound = new Map<string, ParsedIp>();
  readonly noNodeAccess: NoNodeAccessEntry[] = [];

  /** Adds a virtual server (`address` is its parsed address), replacing an identical one. */
  putService(vs: VirtualService, address: ParsedIp, owner: VirtualServiceOwner): void {
    if (vs.protocol === 'fwmark') return;
    const key = virtualServiceKey(address, vs.protocol, vs.port);
    this.services.set(key, { vs, key, owner });
  }

  /** The service port behind each virtual server. */
  owners(): Map<VirtualService, VirtualServiceOwner> {
    return new Map([...this.services.values()].map((s) => [s.vs, s.owner]));
  }

  /** The virtual servers in canonical order (see order.ts). */
  virtualServices(): VirtualService[] {
    return sortByKey([...this.services.values()], (s) => s.key).map((s) => s.vs);
  }

  addMember(key: SetKey, entry: string): void {
    let set = this.members.get(key);
    if (!set) {
      set = new Set();
      this.members.set(key, set);
    }
    set.add(entry);
  }

  membersOf(key: SetKey): string[] {
    return [...(this.members.get(key) ?? [])];
  }

  hasMembers(key: SetKey): boolean {
    return (this.members.get(key)?.size ?? 0) > 0;
  }

  bind(ip: ParsedIp): void {
    this.bound.set(ip.text, ip);
  }

  boundAddresses(): ParsedIp[] {
    return [...this.bound.values()];
  }
}
