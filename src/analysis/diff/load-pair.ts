import type { RuleSet } from '../../ast/types.js';
import { hasErrors, type Diagnostic } from '../../diagnostics.js';
import { autoWithoutDumpError, loadRules, type LoadOptions, type LoadedRules } from '../input/load-rules.js';
import { chooseKubeProxyVersion, type ChosenKubeProxyVersion } from '../../ast/infer-kube-proxy-version.js';
import { AUTO_KUBE_PROXY_VERSION } from '../../model/settings.js';
import { relevantRuleSets } from '../input/relevant.js';
import { hasBuiltinChains } from '../trace/implied-hooks.js';
import { readNodeFlags } from '../../model/node-flags.js';
import { diffSide, type DiffSide } from './diff.js';

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
  const options: LoadOptions = { ...given, paired: true, nodeFlags: given.nodeFlags ?? readNodeFlags(given, flagDiagnostics) };
  if (hasErrors(flagDiagnostics)) return { a: [], b: [], diagnostics: flagDiagnostics };
  let la = loadRules(a, options);
  let lb = loadRules(b, options);
  const fa = sideFacts(la, options);
  const fb = sideFacts(lb, options);
  la = adapt(la, fb, a, options);
  lb = adapt(lb, fa, b, options);
  return { a: sideRuleSets(la), b: sideRuleSets(lb), diagnostics: [...la.diagnostics, ...lb.diagnostics, ...autoWithoutDump(fa, fb, options)] };
}

/**
 * `diffSide` of both sides as `loadPair` loads them. When A is a dump, it is read and let go
 * before B is read, so that a diff of two large dumps holds one AST at a time; `between` runs
 * then (a garbage collection, say). `readStdinB`, when given, supplies side B's `-` (the
 * playground diffs two texts, each standard input of its side).
 */
export function loadSides(
  a: readonly string[],
  b: readonly string[],
  given: LoadOptions,
  between?: () => void,
  readStdinB?: () => string,
): { a?: DiffSide; b?: DiffSide; diagnostics: Diagnostic[] } {
  const flagDiagnostics: Diagnostic[] = [];
  const options: LoadOptions = { ...given, paired: true, nodeFlags: given.nodeFlags ?? readNodeFlags(given, flagDiagnostics) };
  if (hasErrors(flagDiagnostics)) return { diagnostics: flagDiagnostics };
  const optionsB: LoadOptions = readStdinB ? { ...options, readStdin: readStdinB } : options;
  const first = readFirst(a, options);
  if (first.loaded !== undefined) {
    // Manifests on side A are compiled like side B: both sides are held, as in loadPair.
    let la = first.loaded;
    let lb = loadRules(b, optionsB);
    const fa = sideFacts(la, options);
    const fb = sideFacts(lb, optionsB);
    la = adapt(la, fb, a, options);
    lb = adapt(lb, fa, b, optionsB);
    const diagnostics = [...la.diagnostics, ...lb.diagnostics, ...autoWithoutDump(fa, fb, options)];
    if (hasErrors(diagnostics)) return { diagnostics };
    return { a: diffSide(sideRuleSets(la)), b: diffSide(sideRuleSets(lb)), diagnostics };
  }
  between?.();
  const lb = adapt(loadRules(b, optionsB), first.facts, b, optionsB);
  const diagnostics = [...first.diagnostics, ...lb.diagnostics, ...autoWithoutDump(first.facts, sideFacts(lb, optionsB), options)];
  if (first.side === undefined || hasErrors(diagnostics)) return { diagnostics };
  return { a: first.side, b: diffSide(sideRuleSets(lb)), diagnostics };
}

/** Side A read: a dump as its `DiffSide` (its AST let go), anything else as loaded. */
function readFirst(
  paths: readonly string[],
  options: LoadOptions,
): { loaded: LoadedRules; facts?: undefined; diagnostics?: undefined; side?: undefined } | { loaded?: undefined; facts: SideFacts; diagnostics: Diagnostic[]; side: DiffSide | undefined } {
  const loaded = loadRules(paths, options);
  if (loaded.kind !== 'dump') return { loaded };
  return { facts: sideFacts(loaded, options), diagnostics: loaded.diagnostics, side: hasErrors(loaded.diagnostics) ? undefined : diffSide(sideRuleSets(loaded)) };
}

function sideRuleSets(loaded: LoadedRules): RuleSet[] {
  return [...relevantRuleSets(loaded), ...loaded.nft];
}

/** What the other side of a diff says about how to compile manifests like it. */
interface SideFacts {
  dump: boolean;
  ipvs: boolean;
  nftables: boolean;
  /** Its iptables rule sets have no built-in chains (kube-proxy's restore text). */
  noHooks: boolean;
  /** With `--kube-proxy-version auto`, a dump's: the release it was written by, and the note saying so. */
  kubeProxy?: ChosenKubeProxyVersion;
}

function sideFacts(loaded: LoadedRules, options: LoadOptions): SideFacts {
  const iptables = loaded.ruleSets.filter((r) => r.kind === 'iptables');
  const ipvs = loaded.ruleSets.some((r) => r.kind === 'ipvs');
  const nftables = loaded.mode === 'nftables';
  const dump = loaded.kind === 'dump';
  const auto = options.kubeProxyVersion === AUTO_KUBE_PROXY_VERSION && dump && !ipvs && !nftables && (options.mode === undefined || options.mode === 'iptables');
  const kubeProxy = auto ? chooseKubeProxyVersion(iptables) : undefined;
  return {
    dump,
    ipvs,
    nftables,
    noHooks: iptables.length > 0 && iptables.every((r) => r.kind === 'iptables' && !hasBuiltinChains(r)),
    ...(kubeProxy ? { kubeProxy } : {}),
  };
}

/** `--kube-proxy-version auto` on a diff with no dump on either side: nothing to infer from. */
function autoWithoutDump(a: SideFacts, b: SideFacts, options: LoadOptions): Diagnostic[] {
  if (options.kubeProxyVersion !== AUTO_KUBE_PROXY_VERSION || a.dump || b.dump) return [];
  return [autoWithoutDumpError('neither side is a dump to infer the kube-proxy release from')];
}

/** Manifests compiled again to compare with a dump: in its mode, without hooks if it has none. */
function adapt(manifests: LoadedRules, other: SideFacts, paths: readonly string[], options: LoadOptions): LoadedRules {
  if (manifests.kind !== 'manifests' || !other.dump) return manifests;
  const wantIpvs = !options.mode && other.ipvs && manifests.mode !== 'ipvs';
  const wantNft = !options.mode && other.nftables && manifests.mode !== 'nftables';
  const noHooks = other.noHooks;
  const version = other.kubeProxy;
  if (!wantIpvs && !wantNft && !noHooks && !version) return manifests;
  const again = loadRules(paths, {
    ...options,
    ...(wantIpvs ? { mode: 'ipvs' } : wantNft ? { mode: 'nftables' } : {}),
    ...(noHooks ? { withoutHooks: true } : {}),
    ...(version ? { kubeProxyVersion: `1.${version.minor}` } : {}),
  });
  if (version) again.diagnostics.unshift(version.note);
  return again;
}
