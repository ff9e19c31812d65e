import { Option, type Command } from 'commander';
import { addNodeOptions, type NodeOptionValues } from './node-options.js';

/** Flags of the commands that compile manifests on the fly (trace, explain, diff, graph). */
export interface ManifestFlags extends NodeOptionValues {
  mode?: 'iptables' | 'ipvs';
}

export function addManifestOptions(cmd: Command): Command {
  return addNodeOptions(cmd.addOption(new Option('--mode <mode>', 'proxy mode, when compiling manifests').choices(['iptables', 'ipvs', 'nftables'])));
}
