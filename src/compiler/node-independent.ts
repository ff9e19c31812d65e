import type { IpFamily } from '../ast/types.js';
import type { Cluster, Service, ServicePort } from '../model/cluster.js';
import { endpointChainName, serviceChainNames } from '../kube/chain-names.js';
import { SliceIndex, handledServices, serviceEndpoints, servicePortsByName, sortedServicePorts, type PortItem, type ServiceEndpoint } from './endpoints.js';

/** A service port's endpoints as no node sees them (none local), and the node each runs on. */
interface NodelessEndpoints {
  endpoints: ServiceEndpoint[];
  nodes: (string | null)[];
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

  constructor(readonly cluster: Cluster) {
    this.slices = new SliceIndex(cluster);
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
    let byPort = this.endpoints.get(family);
    if (!byPort) this.endpoints.set(family, (byPort = new Map()));
    let found = byPort.get(port);
    if (!found) {
      const nodeOf = new Map<ServiceEndpoint, string | null>();
      const endpoints = serviceEndpoints(this.slices.slicesOf(svc), port, family, '', nodeOf);
      found = { endpoints, nodes: endpoints.map((e) => nodeOf.get(e) ?? null) };
      byPort.set(port, found);
    }
    if (nodeName === '') return found.endpoints;
    let out = found.endpoints;
    for (let i = 0; i < out.length; i++) {
      if (found.nodes[i] !== nodeName) continue;
      if (out === found.endpoints) out = out.slice();
      out[i] = { ...(out[i] as ServiceEndpoint), local: true };
    }
    return out;
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
