import { Option, type Command } from 'commander';

/** Flags of the commands that compile manifests on the fly (trace, explain, diff, graph). */
export interface ManifestFlags {
  mode?: 'iptables' | 'ipvs';
  nodeIp: string[];
  node?: string;
  clusterCidr?: string;
  kubeProxyConfigmap?: string;
}

/** `--kube-proxy-configmap`: the ConfigMap whose `config.conf` is read as the KubeProxyConfiguration. */
export const KUBE_PROXY_CONFIGMAP_OPTION = [
  '--kube-proxy-configmap <namespace/name>',
  'the ConfigMap holding kube-proxy\'s configuration in data["config.conf"] (default kube-system/kube-proxy)',
] as const;

/** Collects the values of a repeatable option (`--node-ip A --node-ip B`). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addManifestOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--mode <mode>', 'proxy mode, when compiling manifests').choices(['iptables', 'ipvs']))
    .option('--node-ip <ip>', 'a node IP, when compiling manifests (repeatable)', collect, [] as string[])
    .option('--node <name>', 'node name, when compiling manifests')
    .option('--cluster-cidr <cidr>', 'pod network(s), when compiling manifests')
    .option(...KUBE_PROXY_CONFIGMAP_OPTION);
}
