import { canonicalizeIptables } from '../../ast/canonical-order.js';
import type { IptablesRuleSet } from '../../ast/types.js';
import type { Cluster, Service } from '../../model/cluster.js';
import type { ProxySettings } from '../../model/settings.js';
import { NodeIndependentParts } from '../node-independent.js';
import { writeLeadingFixedRules, writeTrailingFixedRules } from './fixed-rules.js';
import { hookRulesFor } from './hooks.js';
import { RestoreTextWriter, textBuffers, type WrittenRules } from './restore-text-writer.js';
import { cidrContains } from '../../kube/ip.js';
import type { ServiceEndpoint } from '../endpoints.js';
import { localhostNodePortsEffective, nodePortAddressFound } from '../node-port-addresses.js';
import type { ServicePortPlan } from '../service-port-plan.js';
import type { IptablesSink } from '../xtables/rule-sink.js';
import { compileServicePort } from './service-port.js';
import { TablesBuilder } from '../xtables/tables-builder.js';
import { planServicePort } from '../service-port-plan.js';

/** Above this many endpoints kube-proxy leaves the per-endpoint comments out. */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

const TABLES = ['filter', 'nat'];

/** Compiles the cluster into the iptables rule set kube-proxy writes, in canonical order. */
export function compileIptables(cluster: Cluster, settings: ProxySettings, parts?: NodeIndependentParts): IptablesRuleSet {
  const out = new TablesBuilder(TABLES);
  writeIptablesRules(out, cluster, settings, parts);
  return canonicalizeIptables(out.build(settings.family));
}

/**
 * The same rule set as `iptables-restore` text, written as it is decided: byte for byte what
 * printing `compileIptables`' AST gives (with `withHooks`, after `addHooks`), in a fraction of
 * the time and memory for a large cluster. With `parts` that keep rules (many nodes), the bytes
 * are valid until the next compile with those parts, which writes into the same buffers.
 */
export function compileIptablesText(cluster: Cluster, settings: ProxySettings, options: { withHooks?: boolean; parts?: NodeIndependentParts } = {}): Buffer {
  return restoreText(cluster, settings, options.parts).bytes(options.withHooks ? hookRulesFor(settings.profile) : undefined);
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
  options: { withHooks?: boolean; chunkBytes?: number; parts?: NodeIndependentParts } = {},
): void {
  restoreText(cluster, settings, options.parts).writeTo(sink, options.withHooks ? hookRulesFor(settings.profile) : undefined, options.chunkBytes);
}

/**
 * `compileIptablesTextTo`'s chunks, one at a time: every rule is decided before this returns,
 * and each chunk is made when asked for and valid until the next is (the same buffer is filled
 * again). A writer may wait between chunks.
 */
export function compileIptablesTextChunks(
  cluster: Cluster,
  settings: ProxySettings,
  options: { withHooks?: boolean; chunkBytes?: number; parts?: NodeIndependentParts } = {},
): Iterable<Buffer> {
  return restoreText(cluster, settings, options.parts).chunks(options.withHooks ? hookRulesFor(settings.profile) : undefined, options.chunkBytes);
}

/** Every rule written as restore text, not yet put in canonical order. */
function restoreText(cluster: Cluster, settings: ProxySettings, parts?: NodeIndependentParts): RestoreTextWriter {
  // Compiles for many nodes write into the same buffers, node after node.
  const buffers = parts?.keepRules ? parts.keep('iptables buffers', () => textBuffers(expectedTextBytes(cluster))) : undefined;
  const out = new RestoreTextWriter(TABLES, buffers ? 0 : expectedTextBytes(cluster), buffers);
  writeIptablesRules(out, cluster, settings, parts);
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

/**
 * The settings a service port's rules read, but for what is the node's own and is read through
 * `portViewKey`: the node's name and zone (read through the endpoints chosen), its addresses
 * (read as whether NodePorts are written, and through the firewall's `allowFromNode`), and the
 * chains found on it (read once, after the ports).
 */
function nodeSettingsKey(settings: ProxySettings): string {
  const { nodeName: _name, nodeZone: _zone, primaryNodeIP: _ip, interfaceAddresses: _addresses, existingNatChains: _chains, ...rest } = settings;
  return JSON.stringify({ ...rest, nodePortAddressFound: nodePortAddressFound(settings), localhostNodePorts: localhostNodePortsEffective(settings) });
}

/**
 * Settings (`nodeSettingsKey`) whose ports' rules are kept, at most: nodes whose settings all
 * differ (detectLocalMode NodeCIDR: each node's own pod CIDR in every port's rules) share
 * nothing, and keeping each node's rules would only take memory.
 */
const MAX_KEPT_SETTINGS = 4;

/** The ports' rules kept for nodes of these settings, or undefined when no more are kept. */
function keptRules(parts: NodeIndependentParts, settingsKey: string): Map<string, WrittenRules> | undefined {
  const bySettings = parts.keep('iptables rules', () => new Map<string, Map<string, WrittenRules>>());
  let kept = bySettings.get(settingsKey);
  if (!kept && bySettings.size < MAX_KEPT_SETTINGS) bySettings.set(settingsKey, (kept = new Map()));
  return kept;
}

/** What of a node a service port's rules read through its plan, beside `nodeSettingsKey`: the endpoints chosen. */
function portViewKey(plan: ServicePortPlan): string {
  const texts = (list: readonly ServiceEndpoint[] | null) => (list === null ? '-' : list.map((e) => e.text).join(','));
  const cat = plan.endpoints;
  const local = plan.allEndpoints.filter((e) => e.local);
  return `${cat.hasEndpoints} ${texts(cat.cluster)} ${texts(cat.local)} ${texts(cat.reachable)} ${texts(local)}`;
}

/** Whether the node's IP is in the source ranges of a service (its load balancer firewall lets the node in). */
function allowFromNode(svc: Service, settings: ProxySettings): boolean {
  const primary = settings.primaryNodeIP;
  return primary !== null && svc.sourceRanges.some((c) => c.family === settings.family && cidrContains(c, primary));
}

/**
 * Writes every rule kube-proxy writes for the cluster, in its own order. `parts`: what does not
 * depend on the node, when several nodes of one cluster are compiled (else made here).
 */
function writeIptablesRules(out: IptablesSink, cluster: Cluster, settings: ProxySettings, parts = new NodeIndependentParts(cluster)): void {
  writeLeadingFixedRules(out, settings);

  const family = settings.family;
  const ports = parts.sortedPorts(family).map((p) => ({
    ...p,
    endpoints: parts.endpointsOn(p.svc, p.port, family, settings.nodeName),
  }));
  const total = ports.reduce((n, p) => n + p.endpoints.length, 0);
  // Comments are left out of a large cluster's rules from 1.12 (the profile's largeClusterMode).
  const ctx = { out, settings, largeCluster: settings.profile.largeClusterMode && total > LARGE_CLUSTER_ENDPOINTS, parts };
  const kept = parts.keepRules && out instanceof RestoreTextWriter ? keptRules(parts, `${ctx.largeCluster} ${nodeSettingsKey(settings)}`) : undefined;
  if (kept && out instanceof RestoreTextWriter) {
    // Each port's rules as written for an earlier node whose view of the port is the same.
    ports.forEach((p, i) => {
      const allow = allowFromNode(p.svc, settings);
      // A port no node sees otherwise needs no plan to be found among those kept.
      let plan = parts.seenAsAnywhere(p.svc, p.port, family, p.endpoints) ? undefined : planServicePort(p.svc, p.port, p.endpoints, settings);
      const key = plan === undefined ? `${i} ${allow}` : `${i} ${allow} ${portViewKey(plan)}`;
      const known = kept.get(key);
      if (known) {
        out.replay(known);
        return;
      }
      plan ??= planServicePort(p.svc, p.port, p.endpoints, settings);
      const mark = out.mark();
      compileServicePort(ctx, plan);
      kept.set(key, out.rulesSince(mark));
    });
  } else {
    for (const p of ports) compileServicePort(ctx, planServicePort(p.svc, p.port, p.endpoints, settings));
  }

  writeTrailingFixedRules(out, settings);

  // The prefixes kube-proxy of that release deletes.
  const stale = settings.profile.staleChainPrefixes;
  for (const chain of settings.existingNatChains) {
    if (stale.some((p) => chain.startsWith(p)) && !out.isDeclared('nat', chain)) out.deleteChain('nat', chain);
  }
}
