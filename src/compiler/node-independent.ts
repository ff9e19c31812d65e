import type { IpFamily } from '../ast/types.js';
import type { Cluster, Service, ServicePort } from '../model/cluster.js';
import { endpointChainName, serviceChainNames } from '../kube/chain-names.js';
import { SliceIndex, handledServices, serviceEndpoints, servicePortsByName, sortedServicePorts, type PortItem, type ServiceEndpoint } from './endpoints.js';

/** A service port's endpoints as no node sees them (none local), and the node each runs on. */
interface NodelessEndpoints {
  endpoints: ServiceEndpoint[];
  nodes: (string | null)[];
  /** Whether an endpoint has topology hints (which the node's zone or name may follow). */
  hinted: boolean;
}

/**
 * What a compile reads that is the same on every node: the service ports in their processing
 * orders, each port's endpoints (sorted, merged), and the chain names hashed from service port
 * names and endpoints. Made once for a cluster and handed to the compile of each of its nodes
 * (`rulec compile --all-nodes`); a compile given none makes its own. Only the node's own view
 * is made per node: which endpoints are local (`endpointsOn`). The cluster must not change while
 * one is in use.
 */
export class NodeIndependentParts {
  private readonly slices: SliceIndex;
  private readonly sorted = new Map<IpFamily, { svc: Service; port: ServicePort; spn: string }[]>();
  private readonly byName = new Map<IpFamily, PortItem[]>();
  private readonly endpoints = new Map<IpFamily, Map<ServicePort, NodelessEndpoints>>();
  private readonly serviceNames = new Map<string, Record<'svc' | 'svl' | 'ext' | 'fw', string>>();
  private readonly endpointNames = new Map<string, Map<string, string>>();
  private readonly kept = new Map<string, unknown>();

  /**
   * `keepRules`: the compiles keep each service port's rules, as written for one node, and
   * write them again for each later node whose view of the port is the same (the backend says
   * what that view is): for a cluster compiled for many nodes.
   */
  constructor(
    readonly cluster: Cluster,
    readonly keepRules = false,
  ) {
    this.slices = new SliceIndex(cluster);
  }

  /** What a backend keeps from node to node under `key`, made by `make` the first time. */
  keep<T>(key: string, make: () => T): T {
    if (this.kept.has(key)) return this.kept.get(key) as T;
    const value = make();
    this.kept.set(key, value);
    return value;
  }

  /** The service ports kube-proxy handles in a family, in the iptables backend's order (`sortedServicePorts`). */
  sortedPorts(family: IpFamily): readonly { svc: Service; port: ServicePort; spn: string }[] {
    let ports = this.sorted.get(family);
    if (!ports) this.sorted.set(family, (ports = sortedServicePorts(handledServices(this.cluster, family))));
    return ports;
  }

  /** The same ports by service port name (`servicePortsByName`). */
  portsByName(family: IpFamily): readonly PortItem[] {
    let ports = this.byName.get(family);
    if (!ports) this.byName.set(family, (ports = servicePortsByName(handledServices(this.cluster, family))));
    return ports;
  }

  /**
   * `serviceEndpoints` of a port as node `nodeName` sees them. Lists are shared between nodes
   * (an endpoint local to the node is a copy): callers read them and never change them.
   */
  endpointsOn(svc: Service, port: ServicePort, family: IpFamily, nodeName: string): readonly ServiceEndpoint[] {
    const found = this.nodeless(svc, port, family);
    if (nodeName === '') return found.endpoints;
    let out = found.endpoints;
    for (let i = 0; i < out.length; i++) {
      if (found.nodes[i] !== nodeName) continue;
      if (out === found.endpoints) out = out.slice();
      out[i] = { ...(out[i] as ServiceEndpoint), local: true };
    }
    return out;
  }

  /**
   * Whether a node that sees a port's endpoints as `endpoints` (from `endpointsOn`) sees the
   * port as any node does: none of them is its own, and none has topology hints. Every choice
   * kube-proxy makes among the endpoints is then the same as on another such node.
   */
  seenAsAnywhere(svc: Service, port: ServicePort, family: IpFamily, endpoints: readonly ServiceEndpoint[]): boolean {
    const found = this.nodeless(svc, port, family);
    return endpoints === found.endpoints && !found.hinted;
  }

  /** Whether some endpoint of the port has topology hints. */
  hinted(svc: Service, port: ServicePort, family: IpFamily): boolean {
    return this.nodeless(svc, port, family).hinted;
  }

  private nodeless(svc: Service, port: ServicePort, family: IpFamily): NodelessEndpoints {
    let byPort = this.endpoints.get(family);
    if (!byPort) this.endpoints.set(family, (byPort = new Map()));
    let found = byPort.get(port);
    if (!found) {
      const nodeOf = new Map<ServiceEndpoint, string | null>();
      const endpoints = serviceEndpoints(this.slices.slicesOf(svc), port, family, '', nodeOf);
      const hinted = endpoints.some((e) => e.zoneHints !== null || e.nodeHints !== null);
      found = { endpoints, nodes: endpoints.map((e) => nodeOf.get(e) ?? null), hinted };
      byPort.set(port, found);
    }
    return found;
  }

  /** `serviceChainNames`, each made once. */
  serviceChainNames(spn: string, protocol: string): Record<'svc' | 'svl' | 'ext' | 'fw', string> {
    const key = `${spn} ${protocol}`;
    let names = this.serviceNames.get(key);
    if (!names) this.serviceNames.set(key, (names = serviceChainNames(spn, protocol)));
    return names;
  }

  /** `KUBE-SEP-…` names of one service port's endpoints, each made once. */
  endpointChainNamer(spn: string, protocol: string): (ep: ServiceEndpoint) => string {
    const key = `${spn} ${protocol}`;
    let names = this.endpointNames.get(key);
    if (!names) this.endpointNames.set(key, (names = new Map()));
    const known = names;
    return (ep) => {
      let name = known.get(ep.text);
      if (name === undefined) {
        name = endpointChainName(spn, protocol, ep.text);
        known.set(ep.text, name);
      }
      return name;
    };
  }
}
