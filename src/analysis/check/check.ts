import { existsSync, readFileSync } from 'node:fs';
import { pushAll } from '../push-all.js';
import { basename, resolve } from 'node:path';
import type { RuleSet } from '../../ast/types.js';
import { printIptablesRestore } from '../../ast/print-iptables.js';
import { addHooks, compileIptables, loadCluster, type LoadResult } from '../../compiler/index.js';
import { compileIpvs, type IpvsCompilation } from '../../compiler/ipvs/index.js';
import { ipvsEmitText } from '../../compiler/ipvs/emit.js';
import { compileNftables } from '../../compiler/nftables/index.js';
import { printNft } from '../../ast/print-nft.js';
import { hasErrors, type Diagnostic } from '../../diagnostics.js';
import { expandPaths } from '../../model/read-documents.js';
import type { SettingFlags } from '../../model/settings.js';
import { diffRuleSets } from '../diff/diff.js';
import { parseDumpText } from '../input/parse-dumps.js';
import { CONFIG_FILE, configFor, existingGoldens, goldenPath, type CheckConfig, type GoldenKind } from './goldens.js';
import { unifiedDiff } from './unified-diff.js';
import { escapeControlsKeepingLines } from '../../display-text.js';
import { readNodeFlags } from '../../model/node-flags.js';

export interface CheckOptions {
  /** Rewrite the golden files instead of comparing. */
  update?: boolean;
  /** Overrides of the configuration files. */
  goldens?: GoldenKind[];
  withHooks?: boolean;
  node?: string;
  nodeIPs?: string[];
  clusterCIDR?: string;
  /** `NAMESPACE/NAME` of the ConfigMap holding kube-proxy's configuration. */
  kubeProxyConfigMap?: string;
  /** `--kube-proxy-version 1.N`: the release whose layout the goldens hold (default: the annotation, else the newest). */
  kubeProxyVersion?: string;
  /** Where configuration files are looked for, upwards from each manifest (default: the current folder). */
  root?: string;
}

export interface GoldenResult {
  manifest: string;
  golden: string;
  kind: GoldenKind;
  /** `ok` equal; `differs`/`missing` a finding; `updated`/`created` written by --update. */
  status: 'ok' | 'differs' | 'missing' | 'updated' | 'created';
  /** Unified diff, golden → compiled. */
  diff?: string;
  /** What the difference means: services, ports and endpoints gained or lost. */
  summary?: string[];
}

export interface CheckResult {
  results: GoldenResult[];
  /** Manifests that were checked. */
  manifests: string[];
  diagnostics: Diagnostic[];
}

/**
 * Renders the golden kinds of one manifest: the text `rulec compile` prints for each. The
 * manifests are read once per mode and family, and compiled once in IPVS mode for its three kinds.
 */
function renderer(files: string[], cfg: CheckConfig, configMap: string | undefined, kubeProxyVersion: string | undefined, diagnostics: Diagnostic[]): (kind: GoldenKind) => string | null {
  const loads = new Map<string, LoadResult | null>();
  let ipvs: IpvsCompilation | undefined;
  const nodeFlags = readNodeFlags({ node: cfg.node, nodeIPs: cfg.nodeIPs, clusterCIDR: cfg.clusterCIDR, kubeProxyConfigMap: configMap }, diagnostics);
  const load = (mode: 'iptables' | 'ipvs' | 'nftables', family: 'ipv4' | 'ipv6' | undefined): LoadResult | null => {
    const key = `${mode} ${family}`;
    if (!loads.has(key)) {
      const flags: SettingFlags = { ...nodeFlags, mode };
      if (family) flags.family = family;
      if (kubeProxyVersion !== undefined) flags.kubeProxyVersion = kubeProxyVersion;
      const loaded = loadCluster(files, flags, () => '');
      pushAll(diagnostics, loaded.diagnostics);
      loads.set(key, hasErrors(loaded.diagnostics) ? null : loaded);
    }
    return loads.get(key) ?? null;
  };
  return (kind) => {
    if (kind === 'iptables' || kind === 'ip6tables') {
      const loaded = load('iptables', kind === 'ip6tables' ? 'ipv6' : 'ipv4');
      if (!loaded) return null;
      let rs = compileIptables(loaded.cluster, loaded.settings);
      if (cfg.withHooks) rs = addHooks(rs, loaded.settings.profile);
      return printIptablesRestore(rs);
    }
    if (kind === 'nft') {
      // The family the manifests ask for, as `rulec compile --mode nftables` does.
      const loaded = load('nftables', undefined);
      return loaded ? printNft(compileNftables(loaded.cluster, loaded.settings)) : null;
    }
    const loaded = load('ipvs', 'ipv4');
    if (!loaded) return null;
    ipvs ??= compileIpvs(loaded.cluster, loaded.settings);
    return ipvsEmitText(ipvs, kind === 'ipvs' ? 'ipvsadm' : kind === 'ipset' ? 'ipset' : 'iptables', { withHooks: Boolean(cfg.withHooks) });
  };
}

/**
 * The goldens a manifest is checked against: configured or flagged, plus any that exist; and the
 * nodes they are for: with several Nodes among the files and no node chosen, one golden of each
 * kind per node (`app.worker-1.iptables`), else one (`app.iptables`).
 */
function goldensOf(manifest: string, cfg: CheckConfig, configMap: string | undefined, diagnostics: Diagnostic[]): { kinds: GoldenKind[]; nodes: (string | undefined)[] } | null {
  const probe: Diagnostic[] = [];
  const loaded = loadCluster([...(cfg.context ?? []), manifest], readNodeFlags({ kubeProxyConfigMap: configMap }, probe), () => '', true);
  pushAll(probe, loaded.diagnostics);
  if (hasErrors(probe)) {
    pushAll(diagnostics, probe);
    return null;
  }
  const nodes = cfg.node === undefined && loaded.cluster.nodes.length > 1 ? loaded.cluster.nodes.map((n) => n.name).sort() : [undefined];
  const existing = [...new Set(nodes.flatMap((n) => existingGoldens(manifest, n)))];
  if (cfg.goldens) return { kinds: [...new Set([...cfg.goldens, ...existing])], nodes };
  // Without configuration: every manifest with a Service gets the golden of its mode.
  if (loaded.cluster.services.length === 0 && existing.length === 0) return { kinds: [], nodes };
  const mode = loaded.cluster.config ? loaded.settings.mode : 'iptables';
  const fallback: GoldenKind[] = mode === 'ipvs' ? ['ipvs', 'ipset', 'ipvs-iptables'] : mode === 'nftables' ? ['nft'] : ['iptables'];
  return { kinds: existing.length > 0 ? existing : fallback, nodes };
}

function parseGolden(text: string, file: string, kind: GoldenKind): RuleSet[] {
  const format = kind === 'ipvs' ? 'ipvsadm-save' : kind === 'ipset' ? 'ipset-save' : kind === 'nft' ? 'nft' : 'iptables-save';
  return parseDumpText(text, file, format).ruleSets;
}

/**
 * The golden-file workflow: recompiles every manifest under `paths` and compares the output with
 * the golden files beside it (or writes them with `update`).
 */
export function checkGoldens(paths: readonly string[], options: CheckOptions, write: (file: string, text: string) => void): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const root = options.root ?? process.cwd();
  const files = expandPaths(paths.length > 0 ? paths : ['.'], diagnostics).filter((f) => f !== '-' && basename(f) !== CONFIG_FILE);
  const cache = new Map<string, CheckConfig | null>();
  const results: GoldenResult[] = [];
  const manifests: string[] = [];
  const contextFiles = new Set<string>();
  const configs = files.map((f) => {
    const cfg = configFor(f, root, diagnostics, cache);
    for (const c of cfg.context ?? []) contextFiles.add(c);
    return cfg;
  });
  files.forEach((manifest, i) => {
    if (contextFiles.has(resolve(manifest))) return;
    const fileCfg = configs[i] as CheckConfig;
    const cfg: CheckConfig = {
      ...fileCfg,
      ...(options.goldens ? { goldens: options.goldens } : {}),
      ...(options.withHooks !== undefined ? { withHooks: options.withHooks } : {}),
      ...(options.node ? { node: options.node } : {}),
      ...(options.nodeIPs?.length ? { nodeIPs: options.nodeIPs } : {}),
      ...(options.clusterCIDR ? { clusterCIDR: options.clusterCIDR } : {}),
    };
    const goldens = goldensOf(manifest, cfg, options.kubeProxyConfigMap, diagnostics);
    if (!goldens || goldens.kinds.length === 0) return;
    manifests.push(manifest);
    for (const node of goldens.nodes) {
      const render = renderer([...(cfg.context ?? []), manifest], node === undefined ? cfg : { ...cfg, node }, options.kubeProxyConfigMap, options.kubeProxyVersion, diagnostics);
      checkKinds(manifest, goldens.kinds, node, render);
    }
  });
  return { results, manifests, diagnostics };

  function checkKinds(manifest: string, kinds: readonly GoldenKind[], node: string | undefined, render: (kind: GoldenKind) => string | null): void {
    for (const kind of kinds) {
      const golden = goldenPath(manifest, kind, node);
      const text = render(kind);
      if (text === null) return;
      const exists = existsSync(golden);
      const old = exists ? readFileSync(golden, 'utf8') : null;
      if (old === text) {
        results.push({ manifest, golden, kind, status: 'ok' });
        continue;
      }
      if (options.update) {
        write(golden, text);
        results.push({ manifest, golden, kind, status: exists ? 'updated' : 'created' });
        continue;
      }
      if (old === null) {
        results.push({ manifest, golden, kind, status: 'missing' });
        continue;
      }
      const diff = unifiedDiff(old, text, golden, `${golden} (compiled)`);
      const summary = diffRuleSets(parseGolden(old, golden, kind), parseGolden(text, `${golden} (compiled)`, kind)).summary;
      results.push({ manifest, golden, kind, status: 'differs', diff, summary });
    }
  }
}

/** The report for a terminal: per golden its status, the semantic summary and the unified diff. */
export function formatCheckText(r: CheckResult): string {
  const out: string[] = [];
  for (const g of r.results) {
    switch (g.status) {
      case 'ok':
        break;
      case 'missing':
        out.push(`${g.golden}: missing (run rulec check --update to write it)`);
        break;
      case 'created':
        out.push(`${g.golden}: written`);
        break;
      case 'updated':
        out.push(`${g.golden}: updated`);
        break;
      case 'differs':
        out.push(`${g.golden}: differs from what ${g.manifest} compiles to`);
        for (const s of g.summary ?? []) out.push(`  ${s}`);
        out.push(g.diff?.trimEnd() ?? '');
        break;
    }
  }
  const count = (s: GoldenResult['status']) => r.results.filter((g) => g.status === s).length;
  const parts = [`${count('ok')} ok`];
  if (count('differs')) parts.push(`${count('differs')} differ`);
  if (count('missing')) parts.push(`${count('missing')} missing`);
  if (count('created') + count('updated')) parts.push(`${count('created') + count('updated')} written`);
  out.push(`rulec check: ${r.manifests.length} manifest${r.manifests.length === 1 ? '' : 's'}, ${r.results.length} golden file${r.results.length === 1 ? '' : 's'}: ${parts.join(', ')}`);
  return escapeControlsKeepingLines(`${out.join('\n')}\n`);
}
