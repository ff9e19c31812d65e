import type { RuleSet } from '../../ast/types.js';
import type { LoadedRules } from './load-rules.js';

/**
 * The rule sets worth showing: every dump, and of the compiled rule sets those of the family the
 * manifests ask for, plus the other family's when some Service has a cluster IP of it (a
 * dual-stack cluster). Tracing uses all of them; printing the other family's fixed rules for an
 * IPv4-only cluster would only be noise.
 */
export function relevantRuleSets(loaded: LoadedRules): RuleSet[] {
  const families = new Set([loaded.primaryFamily]);
  for (const s of loaded.cluster?.services ?? []) for (const f of ['ipv4', 'ipv6'] as const) if (s.clusterIPs[f]) families.add(f);
  return loaded.ruleSets.filter((rs) => {
    const family = loaded.compiledFamily.get(rs);
    return family === undefined || families.has(family);
  });
}
