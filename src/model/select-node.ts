import type { Diagnostic } from '../diagnostics.js';
import type { Cluster } from './cluster.js';
import { locateIn } from './source-document.js';
import { INPUT_CODES } from './validate.js';

/**
 * Picks the node the rules are for among the input's Nodes: the one named by `--node` (or by
 * the configuration's `hostnameOverride`), else the only one. With several and no name, an error
 * names the choices (`allowMany`: the caller compiles every node and picks them itself).
 */
export function selectNode(cluster: Cluster, name: string | undefined, diagnostics: Diagnostic[], allowMany = false): void {
  // One Node is the node whatever it is called (the name may come from hostnameOverride or --node).
  if (cluster.nodes.length <= 1) {
    cluster.node = cluster.nodes[0] ?? null;
    return;
  }
  const wanted = name || cluster.config?.value.hostnameOverride || undefined;
  cluster.node = wanted === undefined ? null : (cluster.nodes.find((n) => n.name === wanted) ?? null);
  if (cluster.node || allowMany) return;
  const second = cluster.nodes[1];
  diagnostics.push({
    ...(second ? locateIn(second.src, ['metadata', 'name']) : { file: '<input>', line: 1, column: 1 }),
    severity: 'error',
    code: INPUT_CODES.nodeChoice,
    message:
      wanted === undefined
        ? `${cluster.nodes.length} Nodes given (${nodeNames(cluster)}): choose the node with --node NAME, or compile every one with --all-nodes -o DIR`
        : `no Node ${JSON.stringify(wanted.slice(0, 80))} among the ${cluster.nodes.length} given (${nodeNames(cluster)})`,
  });
}

/** The Nodes' names, sorted, the first ten. */
export function nodeNames(cluster: Cluster): string {
  const names = cluster.nodes.map((n) => n.name).sort();
  return names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
}
