import type { RuleSet } from '../../ast/types.js';
import { hasErrors, type Diagnostic } from '../../diagnostics.js';
import { loadRules, type LoadOptions, type LoadedRules } from '../input/load-rules.js';
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
 * side (IPVS mode against an IPVS dump, nftables mode against an nftables listing; without the
 * built-in chains against a dump that has none, such as kube-proxy's restore text), dumps are read
 * as they are, nftables tables included.
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
    const wantNft = !options.mode && other.mode === 'nftables' && manifests.mode !== 'nftables';
    const iptables = other.ruleSets.filter((r) => r.kind === 'iptables');
    const noHooks = iptables.length > 0 && iptables.every((r) => r.kind === 'iptables' && !hasBuiltinChains(r));
    if (!wantIpvs && !wantNft && !noHooks) return manifests;
    return loadRules(paths, { ...options, ...(wantIpvs ? { mode: 'ipvs' } : wantNft ? { mode: 'nftables' } : {}), ...(noHooks ? { withoutHooks: true } : {}) });
  };
  la = adapt(la, lb, a);
  lb = adapt(lb, la, b);
  return { a: [...relevantRuleSets(la), ...la.nft], b: [...relevantRuleSets(lb), ...lb.nft], diagnostics: [...la.diagnostics, ...lb.diagnostics] };
}
