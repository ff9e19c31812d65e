import type { Diagnostic } from '../diagnostics.js';
import type { Cluster } from './cluster.js';
import type { CompletionOptions } from './complete-cluster.js';

/** Cluster IPs, NodePorts and health-check NodePorts the manifests leave out, as the API server would give them. */
export function allocateServices(_cluster: Cluster, _options: CompletionOptions, _diagnostics: Diagnostic[]): void {}
