import type { NftRuleSet } from '../../ast/nft-types.js';
import type { Cluster } from '../../model/cluster.js';
import type { ProxySettings } from '../../model/settings.js';
import { NodeIndependentParts } from '../node-independent.js';
import { nodePortAddresses, nodePortHostIPs } from '../node-port-addresses.js';
import { proxierPrimaryNodeIP } from '../primary-node-ip.js';
import { NftBuilder } from './builder.js';
import { familyWords } from './family-words.js';
import { compileNftServicePort } from './service-port.js';
import { NFT, writeSkeleton } from './skeleton.js';
import { planServicePort } from '../service-port-plan.js';

/**
 * Compiles the cluster into the table kube-proxy's nftables proxier writes for the settings'
 * family (`ip kube-proxy` or `ip6 kube-proxy`): a fresh full sync, with only live objects.
 */
export function compileNftables(cluster: Cluster, settings: ProxySettings, parts = new NodeIndependentParts(cluster)): NftRuleSet {
  const primaryNodeIP = proxierPrimaryNodeIP(cluster, settings);
  const npa = nodePortAddresses({ ...settings, primaryNodeIP });
  const w = familyWords(settings.family);
  const b = new NftBuilder(w.ipX, NFT.table, NFT.tableComment);
  writeSkeleton(b, settings, w, npa, npa.matchAll ? [] : nodePortHostIPs(settings, npa, false));
  const ctx = { b, settings, w, primaryNodeIP };
  for (const p of parts.portsByName(settings.family)) {
    compileNftServicePort(ctx, planServicePort(p.svc, p.port, parts.endpointsOn(p.svc, p.port, settings.family, settings.nodeName), settings));
  }
  return b.build();
}
