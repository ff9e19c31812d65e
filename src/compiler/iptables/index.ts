import { canonicalizeIptables } from '../../ast/canonical-order.js';
import type { IptablesRuleSet } from '../../ast/types.js';
import type { Cluster } from '../../model/cluster.js';
import type { ProxySettings } from '../../model/settings.js';
import { SliceIndex, handledServices, serviceEndpoints, sortedServicePorts } from '../endpoints.js';
import { writeLeadingFixedRules, writeTrailingFixedRules } from './fixed-rules.js';
import { hookRulesFor } from './hooks.js';
import { RestoreTextWriter } from './restore-text-writer.js';
import type { IptablesSink } from '../xtables/rule-sink.js';
import { compileServicePort } from './service-port.js';
import { TablesBuilder } from '../xtables/tables-builder.js';
import { planServicePort } from '../service-port-plan.js';

/** Above this many endpoints kube-proxy leaves the per-endpoint comments out. */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

const TABLES = ['filter', 'nat'];

/** Compiles the cluster into the iptables rule set kube-proxy writes, in canonical order. */
export function compileIptables(cluster: Cluster, settings: ProxySettings): IptablesRuleSet {
  const out = new TablesBuilder(TABLES);
  writeIptablesRules(out, cluster, settings);
  return canonicalizeIptables(out.build(settings.family));
}

/**
 * The same rule set as `iptables-restore` text, written as it is decided: byte for byte what
 * printing `compileIptables`' AST gives (with `withHooks`, after `addHooks`), in a fraction of
 * the time and memory for a large cluster.
 */
export function compileIptablesText(cluster: Cluster, settings: ProxySettings, options: { withHooks?: boolean } = {}): Buffer {
  return restoreText(cluster, settings).bytes(options.withHooks ? hookRulesFor(settings.profile) : undefined);
}

/**
 * `compileIptablesText`'s bytes handed to `sink` in chunks of about `chunkBytes` once every rule
 * is decided. Each chunk is valid only while `sink` runs (the next is made in the same buffer):
 * a sink writes it out or copies it.
 */
export function compileIptablesTextTo(
  sink: (chunk: Buffer) => void,
  cluster: Cluster,
  settings: ProxySettings,
  options: { withHooks?: boolean; chunkBytes?: number } = {},
): void {
  restoreText(cluster, settings).writeTo(sink, options.withHooks ? hookRulesFor(settings.profile) : undefined, options.chunkBytes);
}

/**
 * `compileIptablesTextTo`'s chunks, one at a time: every rule is decided before this returns,
 * and each chunk is made when asked for and valid until the next is (the same buffer is filled
 * again). A writer may wait between chunks.
 */
export function compileIptablesTextChunks(
  cluster: Cluster,
  settings: ProxySettings,
  options: { withHooks?: boolean; chunkBytes?: number } = {},
): Iterable<Buffer> {
  return restoreText(cluster, settings).chunks(options.withHooks ? hookRulesFor(settings.profile) : undefined, options.chunkBytes);
}

/** Every rule written as restore text, not yet put in canonical order. */
function restoreText(cluster: Cluster, settings: ProxySettings): RestoreTextWriter {
  const out = new RestoreTextWriter(TABLES, expectedTextBytes(cluster));
  writeIptablesRules(out, cluster, settings);
  return out;
}

/** At most this much is set aside (2 GiB; beyond, the text grows as it fills). */
const MAX_TEXT_RESERVE = 2 ** 31;

/** The room set aside for a cluster's rule text: its `estimatedTextBytes`, at most 2 GiB. */
export function expectedTextBytes(cluster: Cluster): number {
  return Math.min(estimatedTextBytes(cluster), MAX_TEXT_RESERVE);
}

/**
 * More than the rule text of a cluster takes, from its size: an endpoint's chain and jump take
 * a few hundred bytes per port (with comments), a service port's chains a few more hundred.
 */
export function estimatedTextBytes(cluster: Cluster): number {
  let bytes = 1 << 20;
  for (const slice of cluster.slices) bytes += slice.endpoints.length * Math.max(1, slice.ports.length) * 1024;
  for (const svc of cluster.services) bytes += svc.ports.length * 4096;
  return bytes;
}

/** Writes every rule kube-proxy writes for the cluster, in its own order. */
function writeIptablesRules(out: IptablesSink, cluster: Cluster, settings: ProxySettings): void {
  writeLeadingFixedRules(out, settings);

  const slices = new SliceIndex(cluster);
  const ports = sortedServicePorts(handledServices(cluster, settings.family)).map((p) => ({
    ...p,
    endpoints: serviceEndpoints(slices.slicesOf(p.svc), p.port, settings.family, settings.nodeName),
  }));
  const total = ports.reduce((n, p) => n + p.endpoints.length, 0);
  // Comments are left out of a large cluster's rules from 1.12 (the profile's largeClusterMode).
  const ctx = { out, settings, largeCluster: settings.profile.largeClusterMode && total > LARGE_CLUSTER_ENDPOINTS };
  for (const p of ports) compileServicePort(ctx, planServicePort(p.svc, p.port, p.endpoints, settings));

  writeTrailingFixedRules(out, settings);

  // The prefixes kube-proxy of that release deletes.
  const stale = settings.profile.staleChainPrefixes;
  for (const chain of settings.existingNatChains) {
    if (stale.some((p) => chain.startsWith(p)) && !out.isDeclared('nat', chain)) out.deleteChain('nat', chain);
  }
}
