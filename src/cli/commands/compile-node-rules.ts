import { printIptablesSave } from '../../ast/print-as-saved.js';
import { printNft } from '../../ast/print-nft.js';
import { printNftListed } from '../../ast/print-nft-listed.js';
import { addHooks, compileIptables } from '../../compiler/index.js';
import { compileIptablesText } from '../../compiler/iptables/index.js';
import { compileIpvs } from '../../compiler/ipvs/index.js';
import { ipvsEmitBytes, type IpvsEmit } from '../../compiler/ipvs/emit.js';
import { compileNftables } from '../../compiler/nftables/index.js';
import type { NodeIndependentParts } from '../../compiler/node-independent.js';
import type { Cluster } from '../../model/cluster.js';
import type { ProxySettings } from '../../model/settings.js';

/** What a compile writes, beside the settings: the flags that choose the text. */
export interface RuleTextOptions {
  /** The IPVS mode's `--emit` (checked against the mode before). */
  ipvsEmit: IpvsEmit;
  withHooks: boolean;
  asSaved: boolean;
  asListed: boolean;
}

/**
 * The rules of one node, whole, as `rulec compile` writes them: in IPVS mode what `--emit`
 * asks for, in nftables mode the table (and the IPv6 one after it with `ipv6Settings`), else the
 * iptables-restore text (`--with-hooks`, `--as-saved`). `parts`: what the compiles of the
 * cluster's nodes share.
 */
export function nodeRuleText(
  cluster: Cluster,
  settings: ProxySettings,
  ipv6Settings: ProxySettings | undefined,
  options: RuleTextOptions,
  parts?: NodeIndependentParts,
): string | Uint8Array {
  const mode = settings.mode;
  if (mode === 'ipvs') {
    return ipvsEmitBytes(compileIpvs(cluster, settings, parts), options.ipvsEmit, { withHooks: options.withHooks, asSaved: options.asSaved });
  }
  if (mode === 'nftables') {
    // Dual-stack: the IPv6 proxier's table after the IPv4 one.
    const ruleSets = [compileNftables(cluster, settings, parts), ...(ipv6Settings ? [compileNftables(cluster, ipv6Settings, parts)] : [])];
    return options.asListed ? printNftListed(ruleSets) : ruleSets.map(printNft).join('');
  }
  const iptablesSettings = { ...settings, mode: 'iptables' as const };
  if (options.asSaved) {
    let ruleSet = compileIptables(cluster, iptablesSettings, parts);
    if (options.withHooks) ruleSet = addHooks(ruleSet, settings.profile);
    return printIptablesSave(ruleSet);
  }
  return compileIptablesText(cluster, iptablesSettings, { withHooks: options.withHooks, parts });
}
