import type { Command } from 'commander';
import type { NodeFlagText } from '../model/node-flags.js';

/** The node flags as commander gives them. */
export interface NodeOptionValues {
  node?: string;
  nodeIp: string[];
  clusterCidr?: string;
  kubeProxyConfigmap?: string;
  serviceCidr?: string;
  serviceNodePortRange?: string;
}

/** Collects the values of a repeatable option (`--node-ip A --node-ip B`). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * Declares the node flags, once for every command that takes them: the node whose rules are
 * compiled or whose dump is read, its addresses, the pod network, and where kube-proxy's
 * configuration is. They override what the manifests say.
 */
export function addNodeOptions(cmd: Command): Command {
  return cmd
    .option('--node <name>', "the node's name: endpoints on it are local (overrides hostnameOverride and the Node object)")
    .option('--node-ip <ip>', "an address of the node (repeatable; overrides the Node's addresses): NodePort addresses, the primary node IP, what addrtype LOCAL matches", collect, [] as string[])
    .option('--cluster-cidr <cidr>', 'the pod network(s), comma separated, for local-traffic detection (overrides clusterCIDR)')
    .option('--kube-proxy-configmap <namespace/name>', 'the ConfigMap holding kube-proxy\'s configuration in data["config.conf"] (default kube-system/kube-proxy)')
    .option('--service-cidr <cidr>', 'where cluster IPs the manifests leave out are allocated from, comma separated (default: the rulec.io/service-cidrs annotation, else 10.96.0.0/12,fd00:10:96::/112)')
    .option('--service-node-port-range <min-max>', 'where NodePorts the manifests leave out are allocated from (default 30000-32767)');
}

/** The node flags' text, for `readNodeFlags`. */
export function nodeFlagText(opts: NodeOptionValues): NodeFlagText {
  const text: NodeFlagText = { nodeIPs: opts.nodeIp };
  if (opts.node !== undefined) text.node = opts.node;
  if (opts.clusterCidr !== undefined) text.clusterCIDR = opts.clusterCidr;
  if (opts.kubeProxyConfigmap !== undefined) text.kubeProxyConfigMap = opts.kubeProxyConfigmap;
  if (opts.serviceCidr !== undefined) text.serviceCIDR = opts.serviceCidr;
  if (opts.serviceNodePortRange !== undefined) text.nodePortRange = opts.serviceNodePortRange;
  return text;
}
