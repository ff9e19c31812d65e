import { loadRules, type LoadOptions } from '../../src/analysis/input/load-rules.js';
import { Tracer } from '../../src/analysis/trace/tracer.js';
import type { TraceOptions } from '../../src/analysis/trace/match-context.js';
import type { PacketQuery } from '../../src/analysis/trace/tracer.js';
import type { TraceResult } from '../../src/analysis/trace/result.js';

export { CONFORMANCE } from './vectors.js';

/** A tracer over manifests or dumps, for tests. Throws on input errors (tests want them loud). */
export function tracerFor(paths: string[], options: Partial<LoadOptions> = {}, traceOptions: TraceOptions = {}): Tracer {
  const loaded = loadRules(paths, { readStdin: () => '', ...options });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  return new Tracer({ ruleSets: loaded.ruleSets, nodeIPs: loaded.nodeIPs, podCIDRs: loaded.podCIDRs }, traceOptions);
}

export function traced(tracer: Tracer, query: PacketQuery): TraceResult {
  const a = tracer.trace(query);
  if (!a.ok) throw new Error(a.error);
  return a.result;
}

/** `table CHAIN #n action`, a compact form of a path for assertions. */
export function pathText(steps: TraceResult['path']): string[] {
  return steps.map((s) => `${s.table} ${s.chain}${s.rule === null ? '' : ` #${s.rule}`}: ${s.action}`);
}
