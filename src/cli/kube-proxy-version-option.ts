import type { Command } from 'commander';
import { flagError } from '../model/node-flags.js';
import type { Diagnostic } from '../diagnostics.js';
import { NEWEST_MINOR, SUPPORTED_VERSIONS, parseKubeProxyVersion } from '../kube/kube-proxy-profiles.js';
import { SUPPORTED_IPVS_VERSIONS } from '../kube/kube-proxy-ipvs-profiles.js';
import { AUTO_KUBE_PROXY_VERSION, kubeProxyVersionFlagProblem } from '../model/settings.js';
import type { CliContext } from './context.js';
import { reportDiagnostics } from './output.js';

/** `--kube-proxy-version` as commander gives it. */
export interface KubeProxyVersionOptionValues {
  kubeProxyVersion?: string;
  /** `--mode`, on the commands that take it. */
  mode?: string | null;
}

/**
 * Declares `--kube-proxy-version`, once for every command that compiles manifests: the release
 * whose layout (iptables or IPVS mode) they are compiled in. `auto` is offered by the commands that compare
 * manifests with a dump (diff, lint --manifests, trace, explain and graph with both).
 */
export function addKubeProxyVersionOption(cmd: Command, options: { auto: boolean }): Command {
  const auto = options.auto ? `, or ${AUTO_KUBE_PROXY_VERSION} to infer it from the dump the manifests are compared with` : '';
  return cmd.option(
    '--kube-proxy-version <1.N>',
    `the kube-proxy release whose layout manifests are compiled in, ${SUPPORTED_VERSIONS} (IPVS mode: ${SUPPORTED_IPVS_VERSIONS})${auto} (overrides the rulec.io/kube-proxy-version annotation; default 1.${NEWEST_MINOR})`,
  );
}

/**
 * The flag checked before anything is read: undefined when it names a release rulec compiles (or
 * `auto` where the command takes it), else the diagnostic to report (exit 2).
 */
export function kubeProxyVersionOptionProblem(value: string | undefined, options: { auto: boolean; mode?: string | null }): Diagnostic | undefined {
  // Any release of the iptables-mode profiles (the widest range); the mode's own ranges are judged
  // once the mode is known (the settings).
  if (value === undefined || parseKubeProxyVersion(value) !== null) return undefined;
  if (value.trim() === AUTO_KUBE_PROXY_VERSION) {
    if (options.auto) return undefined;
    return flagError(`--kube-proxy-version ${AUTO_KUBE_PROXY_VERSION} infers the release from a dump compared with the manifests; this command compares none: give 1.N (${SUPPORTED_VERSIONS})`);
  }
  return kubeProxyVersionFlagProblem(value);
}

/**
 * The flag as a command passes it on (`{ kubeProxyVersion }` for the loaders), or null after
 * reporting why it cannot be used: the command then exits with EXIT.usage.
 */
export function kubeProxyVersionOf(ctx: CliContext, opts: KubeProxyVersionOptionValues, options: { auto: boolean }): { kubeProxyVersion?: string } | null {
  const problem = kubeProxyVersionOptionProblem(opts.kubeProxyVersion, { ...options, mode: opts.mode ?? null });
  if (problem) {
    reportDiagnostics(ctx, [problem]);
    return null;
  }
  return opts.kubeProxyVersion === undefined ? {} : { kubeProxyVersion: opts.kubeProxyVersion.trim() };
}
