import { Option, type Command } from 'commander';

/** Flags of the commands that compile manifests on the fly (trace, explain, diff, graph). */
export interface ManifestFlags {
  mode?: 'iptables' | 'ipvs';
  nodeIp: string[];
  node?: string;
  clusterCidr?: string;
}

export function addManifestOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--mode <mode>', 'proxy mode, when compiling manifests').choices(['iptables', 'ipvs']))
    .option('--node-ip <ip>', 'a node IP, when compiling manifests (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--node <name>', 'node name, when compiling manifests')
    .option('--cluster-cidr <cidr>', 'pod network(s), when compiling manifests');
}
