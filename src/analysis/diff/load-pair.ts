import type { RuleSet } from '../../ast/types.js';
import { hasErrors, type Diagnostic } from '../../diagnostics.js';
import { NFT_SKIPPED_CODE, loadRules, type LoadOptions, type LoadedRules } from '../input/load-rules.js';
import { relevantRuleSets } from '../input/relevant.js';
import { hasBuiltinChains } from '../trace/implied-hooks.js';
import { readNodeFlags } from '../../model/node-flags.js';

export interface LoadedPair {
  a: RuleSet[];
  b: RuleSet[];
  diagnostics: Diagnostic[];
}

/**
 * Loads the two sides of a diff so that they are comparable: manifests are compiled like the other
 * side (IPVS mode against an IPVS dump; without the built-in chains against a dump that has none,
 * such as kube-proxy's restore text), dumps are read as they are.
 */
export function loadPair(a: readonly string[], b: readonly string[], given: LoadOptions): LoadedPair {
  const flagDiagnostics: Diagnostic[] = [];
  const options: LoadOptions = { ...given, nodeFlags: given.nodeFlags ?? readNodeFlags(given, flagDiagnostics) };
  if (hasErrors(flagDiagnostics)) return { a: [], b: [], diagnostics: flagDiagnostics };
  let la = loadRules(a, options);
  let lb = loadRules(b, options);
  const adapt = (manifests: LoadedRules, other: LoadedRules, paths: readonly string[]): LoadedRules => {
    if (manifests.kind !== 'manifests' || other.kind !== 'dump') return manifests;
    const wantIpvs = !options.mode && other.ruleSets.some((r) => r.kind === 'ipvs') && manifests.mode !== 'ipvs';
    const iptables = other.ruleSets.filter((r) => r.kind === 'iptables');
    const noHooks = iptables.length > 0 && iptables.every((r) => r.kind === 'iptables' && !hasBuiltinChains(r));
    if (!wantIpvs && !noHooks) return manifests;
    return loadRules(paths, { ...options, ...(wantIpvs ? { mode: 'ipvs' } : {}), ...(noHooks ? { withoutHooks: true } : {}) });
  };
  la = adapt(la, lb, a);
  lb = adapt(lb, la, b);
  // A side without its nftables tables is no side to compare: skipping them is an error here.
  const diagnostics = [...la.diagnostics, ...lb.diagnostics].map((d) =>
    d.code === NFT_SKIPPED_CODE ? { ...d, severity: 'error' as const, message: d.message.replace(/ skipped: this command does not read nftables rules yet .*$/, ': diff does not compare nftables rules yet') } : d,
  );
  return { a: relevantRuleSets(la), b: relevantRuleSets(lb), diagnostics };
}
