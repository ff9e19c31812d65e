import { getHeapStatistics } from 'node:v8';
import { constants } from 'node:buffer';
import { estimatedTextBytes } from '../compiler/iptables/index.js';
import type { Cluster } from '../model/cluster.js';
import { locateIn } from '../model/source-document.js';
import type { Diagnostic } from '../diagnostics.js';
import { formatSize } from '../read-text-file.js';

/** `--max-output-size` unless given: 1 GiB, some twenty times the rules of the largest real clusters. */
export const DEFAULT_MAX_OUTPUT_BYTES = 2 ** 30;

/** The code of the diagnostic for output over the limit. */
export const OUTPUT_TOO_LARGE = 'RC004';

/**
 * Text made whole in memory (`--as-saved`, IPVS and nftables modes) goes through a rule-set AST
 * that takes about four times the estimate (thirteen times the text) at its peak, and ends as
 * one string, which V8 holds up to `constants.MAX_STRING_LENGTH` characters: beyond either the
 * process would abort out of memory.
 */
const AST_BYTES_PER_ESTIMATED_BYTE = 5;

/** The largest estimate that text made whole in memory may have, for a heap of `heapLimit` bytes. */
export function inMemoryLimit(heapLimit: number = getHeapStatistics().heap_size_limit): number {
  return Math.min(Math.floor(heapLimit / AST_BYTES_PER_ESTIMATED_BYTE), constants.MAX_STRING_LENGTH);
}

/**
 * An error when the rules the cluster compiles to would be larger than `maxBytes` (as estimated
 * from its size, an upper bound: about 1 KB per endpoint and port, 4 KB per service port), or,
 * for text made whole in memory (`inMemory`), than that can hold. It points at the object that
 * weighs most: the EndpointSlice with the most endpoints × ports, or the Service with the most
 * ports.
 */
export function outputTooLarge(cluster: Cluster, maxBytes: number, inMemory?: { what: string; limit: number }): Diagnostic | undefined {
  const estimate = estimatedTextBytes(cluster);
  const memoryBound = inMemory !== undefined && inMemory.limit < maxBytes;
  const limit = memoryBound ? inMemory.limit : maxBytes;
  if (estimate <= limit) return undefined;
  let heaviest: { weight: number; at: { file: string; line: number; column: number }; what: string } | undefined;
  for (const slice of cluster.slices) {
    const weight = slice.endpoints.length * Math.max(1, slice.ports.length) * 1024;
    if (!heaviest || weight > heaviest.weight) heaviest = { weight, at: locateIn(slice.src, []), what: `EndpointSlice ${slice.namespace}/${slice.name} (${slice.endpoints.length} endpoints × ${slice.ports.length} ports)` };
  }
  for (const svc of cluster.services) {
    const weight = svc.ports.length * 4096;
    if (!heaviest || weight > heaviest.weight) heaviest = { weight, at: locateIn(svc.src, []), what: `Service ${svc.namespace}/${svc.name} (${svc.ports.length} ports)` };
  }
  const at = heaviest?.at ?? { file: '<input>', line: 1, column: 1 };
  const cause = heaviest ? `, most of it for ${heaviest.what}` : '';
  const bound = memoryBound
    ? `more than rulec can hold in memory for ${inMemory.what} (${approximately(limit)})`
    : `more than --max-output-size (${formatSize(maxBytes)})`;
  return { ...at, severity: 'error', code: OUTPUT_TOO_LARGE, message: `the rules would take up to ${approximately(estimate)}${cause}: ${bound}` };
}

function approximately(bytes: number): string {
  return bytes % 2 ** 20 === 0 ? formatSize(bytes) : `${Math.ceil(bytes / 2 ** 20)} MiB`;
}
