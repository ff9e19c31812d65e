import type { Diagnostic } from '../diagnostics.js';
import { hasErrors } from '../diagnostics.js';
import type { IptablesRuleSet } from '../ast/types.js';
import { printIptablesRestore } from '../ast/print-iptables.js';
import { buildCluster, KUBE_PROXY_CONFIGMAP, type Cluster } from '../model/cluster.js';
import { readDocuments } from '../model/read-documents.js';
import { resolveSettings, type ProxySettings, type SettingFlags } from '../model/settings.js';
import { compileIptables } from './iptables/index.js';
import { addHooks } from './iptables/hooks.js';
import { locateIn } from '../model/source-document.js';
import { selectNode } from '../model/select-node.js';
import { completeCluster, completionOptions } from '../model/complete-cluster.js';
import { WORKLOAD_APIS } from '../model/read-workloads.js';

/** The kinds rulec reads, for the warning that none was given. */
const READ_KINDS = ['Service', 'EndpointSlice', 'Endpoints', 'Node', 'KubeProxyConfiguration', ...WORKLOAD_APIS.keys()].join(', ');

export interface LoadResult {
  cluster: Cluster;
  settings: ProxySettings;
  diagnostics: Diagnostic[];
}

/**
 * Reads and validates the inputs, completes the cluster as the API server and the controllers
 * would (allocations, endpoints from workloads), picks the node and resolves the settings.
 * `allNodes`: several Nodes are no error; the caller compiles each (the settings are then those
 * of no node in particular).
 */
export function loadCluster(paths: readonly string[], flags: SettingFlags, readStdin: () => string, allNodes = false): LoadResult {
  const read = readDocuments(paths, readStdin);
  const diagnostics = read.diagnostics;
  const cluster = buildCluster(read.objects, diagnostics, flags.kubeProxyConfigMap ?? KUBE_PROXY_CONFIGMAP);
  selectNode(cluster, flags.node, diagnostics, allNodes);
  if (!hasErrors(diagnostics)) completeCluster(cluster, completionOptions(cluster, flags), diagnostics);
  const first = cluster.skipped[0];
  if (first && cluster.services.length === 0 && cluster.slices.length === 0 && cluster.nodes.length === 0 && cluster.workloads.length === 0 && !cluster.config && !hasErrors(diagnostics)) {
    diagnostics.push({
      ...locateIn(first.src, []),
      severity: 'warning',
      code: 'RC006',
      message: `${cluster.skipped.length === 1 ? 'the one object read is not' : `none of the ${cluster.skipped.length} objects read is`} one rulec compiles (${READ_KINDS}): the rules have no service (--verbose lists what was skipped)`,
    });
  }
  const settings = resolveSettings(cluster, flags, diagnostics);
  return { cluster, settings, diagnostics };
}

export interface CompileOptions {
  flags?: SettingFlags;
  /** Add the built-in chains and kube-proxy's jumps into its chains. */
  withHooks?: boolean;
  readStdin?: () => string;
}

export interface CompileResult {
  /** Absent when any input was invalid. */
  ruleSet?: IptablesRuleSet;
  text?: string;
  settings?: ProxySettings;
  cluster?: Cluster;
  diagnostics: Diagnostic[];
}

/** Compiles manifest files into iptables-restore text (the library form of `rulec compile`). */
export function compileFiles(paths: readonly string[], options: CompileOptions = {}): CompileResult {
  const { cluster, settings, diagnostics } = loadCluster(paths, options.flags ?? {}, options.readStdin ?? (() => ''));
  if (hasErrors(diagnostics)) return { diagnostics };
  let ruleSet = compileIptables(cluster, settings);
  if (options.withHooks) ruleSet = addHooks(ruleSet, settings.profile);
  return { ruleSet, text: printIptablesRestore(ruleSet), settings, cluster, diagnostics };
}

export { compileIptables, addHooks };
