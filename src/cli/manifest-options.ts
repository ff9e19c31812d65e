import { Option, type Command } from 'commander';
import { addNodeOptions, type NodeOptionValues } from './node-options.js';
import { addKubeProxyVersionOption, type KubeProxyVersionOptionValues } from './kube-proxy-version-option.js';

/** Flags of the commands that compile manifests on the fly (trace, explain, diff, graph). */
export interface ManifestFlags extends NodeOptionValues, KubeProxyVersionOptionValues {
  mode?: 'iptables' | 'ipvs';
}

export function addManifestOptions(cmd: Command): Command {
  return addKubeProxyVersionOption(addNodeOptions(cmd.addOption(new Option('--mode <mode>', 'proxy mode, when compiling manifests').choices(['iptables', 'ipvs', 'nftables']))), { auto: true });
}
