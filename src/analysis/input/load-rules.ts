import { pushAll } from '../push-all.js';
import { detectInputKind } from '../../model/input-kind.js';
import type { Chain, IpFamily, IptablesRuleSet, Rule, RuleSet } from '../../ast/types.js';
import { ruleComment, ruleTargetName } from '../../ast/rule-view.js';
import { addHooks, compileIptables, loadCluster } from '../../compiler/index.js';
import { addIpvsHooks, compileIpvs } from '../../compiler/ipvs/index.js';
import { compileNftables } from '../../compiler/nftables/index.js';
import type { NftRuleSet } from '../../ast/nft-types.js';
import { hasErrors, type Diagnostic } from '../../diagnostics.js';
import type { Cluster } from '../../model/cluster.js';
import { isLoopback, parseCidr, parseIp, type ParsedCidr, type ParsedIp } from '../../kube/ip.js';
import { expandPaths, MANIFEST_FILE } from '../../model/read-documents.js';
import { AUTO_KUBE_PROXY_VERSION, resolveSettings, type ProxySettings, type SettingFlags } from '../../model/settings.js';
import { parseDumpText } from './parse-dumps.js';
import { chooseKubeProxyVersion } from '../../ast/infer-kube-proxy-version.js';
import { readFailure, readTextFile } from '../../read-text-file.js';
import { flagError, readNodeFlags, type NodeFlags, type NodeFlagText } from '../../model/node-flags.js';
import type { DeferredReading } from '../../grammar/iptables-save/deferred-rules.js';
import { kubeChainKind } from '../../kube/chain-kind.js';

/**
 * The rules an analysis reads, from manifests (compiled on the fly, with kube-proxy's jumps from
 * the built-in chains as on a node) or from dumps of a node, or both.
 */
export interface LoadedRules {
  ruleSets: RuleSet[];
  /**
   * The node's addresses: `--node-ip`, else the Node object's and interface addresses, else (for
   * dumps) those the rules name as the node's (`-d IP -j KUBE-NODEPORTS`, see `nodeIPsFromRules`).
   */
  nodeIPs: ParsedIp[];
  /** Pod networks: `--cluster-cidr`, the configuration, the Node's podCIDRs, or read off the rules. */
  podCIDRs: ParsedCidr[];
  /** Where each of `nodeIPs` (by its text) was learnt, in words: `--node-ip`, `the Node object`, … */
  nodeIPOrigins: Map<string, string>;
  /** Where each of `podCIDRs` (by its text) was learnt, in words. */
  podCIDROrigins: Map<string, string>;
  /** Present when manifests were among the inputs. */
  cluster: Cluster | null;
  /** The settings of each family the manifests were compiled for. */
  settings: Partial<Record<IpFamily, ProxySettings>>;
  /** The family the manifests ask for (`rulec.io/ip-family`, else IPv4); both are compiled. */
  primaryFamily: IpFamily;
  /** The family each compiled rule set was compiled for. */
  compiledFamily: Map<RuleSet, IpFamily>;
  mode: 'iptables' | 'ipvs' | 'nftables';
  /** kube-proxy's nftables tables: read from dumps, or compiled from manifests in nftables mode (both families). */
  nft: NftRuleSet[];
  /** What the inputs were. */
  kind: 'manifests' | 'dump' | 'mixed' | 'none';
  diagnostics: Diagnostic[];
}

export interface LoadOptions extends NodeFlagText {
  /** The node flags already read, by a caller that loads several rule sets with them: the text is then not read again. */
  nodeFlags?: NodeFlags;
  mode?: string;
  /** Compile manifests without the built-in chains (the restore text alone). */
  withoutHooks?: boolean;
  /**
   * Read the rules of each chain of an iptables-save dump when the analysis first uses them (for
   * one that reads a few chains: trace, explain --chain). Diagnostics of lines read late go here:
   * the caller checks them before it prints.
   */
  deferRules?: DeferredReading;
  /**
   * `--kube-proxy-version`: `1.N`, or `auto` for the release the dumps among the same inputs
   * were written by (`inferKubeProxyVersion`); manifests alone are then compiled as the newest.
   */
  kubeProxyVersion?: string;
  /** The rules are one side of a comparison: `auto` may be resolved from the other side. */
  paired?: boolean;
  readStdin: () => string;
}

/** `auto` without a dump to read, reported at the flags. */
export function autoWithoutDumpError(why: string): Diagnostic {
  return flagError(`--kube-proxy-version ${AUTO_KUBE_PROXY_VERSION}: ${why}; give 1.N`);
}

/** Reads RULES arguments: manifest files/directories and dump files, `-` for stdin (sniffed). */
export function loadRules(paths: readonly string[], options: LoadOptions): LoadedRules {
  const diagnostics: Diagnostic[] = [];
  const files = expandPaths(paths.length > 0 ? paths : ['-'], diagnostics);
  const manifestPaths: string[] = [];
  const ruleSets: RuleSet[] = [];
  let stdinText: string | null = null;
  let dumps = 0;
  /** The nftables tables of the dumps, for a caller that reads them. */
  const nftTables: NftRuleSet[] = [];
  for (const f of files) {
    if (f === '-') {
      stdinText = options.readStdin();
      if (detectInputKind(stdinText) === 'manifests') manifestPaths.push('-');
      else {
        dumps++;
        const r = parseDumpText(stdinText, '<stdin>', undefined, options.deferRules);
        pushAll(ruleSets, withoutNft(r.ruleSets, nftTables));
        pushAll(diagnostics, r.diagnostics);
      }
      continue;
    }
    if (MANIFEST_FILE.test(f)) {
      manifestPaths.push(f);
      continue;
    }
    let text: string;
    try {
      text = readTextFile(f);
    } catch (err) {
      diagnostics.push(readFailure(f, err));
      continue;
    }
    if (detectInputKind(text) === 'manifests') {
      manifestPaths.push(f);
      continue;
    }
    dumps++;
    const r = parseDumpText(text, f, undefined, options.deferRules);
    pushAll(ruleSets, withoutNft(r.ruleSets, nftTables));
    pushAll(diagnostics, r.diagnostics);
  }

  const out: LoadedRules = {
    ruleSets,
    nodeIPs: [],
    podCIDRs: [],
    nodeIPOrigins: new Map(),
    podCIDROrigins: new Map(),
    cluster: null,
    settings: {},
    primaryFamily: 'ipv4',
    compiledFamily: new Map(),
    mode: 'iptables',
    nft: nftTables,
    kind: 'none',
    diagnostics,
  };
  const flagDiagnostics: Diagnostic[] = [];
  const nodeFlags = options.nodeFlags ?? readNodeFlags(options, flagDiagnostics);
  pushAll(diagnostics, flagDiagnostics);
  for (const ip of nodeFlags.nodeIPs) addNodeIP(out, ip, ORIGIN.nodeIPFlag);
  for (const c of nodeFlags.clusterCIDRs) addPodCIDR(out, c, ORIGIN.clusterCIDRFlag);

  if (manifestPaths.length > 0 && !hasErrors(flagDiagnostics)) compileManifests(manifestPaths, options, nodeFlags, stdinText, out);
  out.kind = manifestPaths.length > 0 ? (dumps > 0 ? 'mixed' : 'manifests') : dumps > 0 ? 'dump' : 'none';
  if (out.kind === 'dump' || out.kind === 'mixed') {
    if (ruleSets.some((r) => r.kind === 'ipvs')) out.mode = 'ipvs';
    else if (nftTables.length > 0 && !ruleSets.some((r) => r.kind === 'iptables')) out.mode = 'nftables';
    if (out.podCIDRs.length === 0) for (const c of podCIDRsFromRules(ruleSets)) addPodCIDR(out, c, ORIGIN.rulesPodCIDR);
    if (out.nodeIPs.length === 0) for (const ip of nodeIPsFromRules(ruleSets)) addNodeIP(out, ip, ORIGIN.rulesNodeIP);
  }
  return out;
}

/** The rule sets without kube-proxy's nftables tables, which go to `nft`. */
function withoutNft(ruleSets: readonly RuleSet[], nft: NftRuleSet[]): RuleSet[] {
  const kept: RuleSet[] = [];
  for (const rs of ruleSets) {
    if (rs.kind === 'nft') nft.push(rs);
    else kept.push(rs);
  }
  return kept;
}

/** Where a node IP or a pod network was learnt, as the trace's notes say it. */
export const ORIGIN = {
  nodeIPFlag: 'given with --node-ip',
  nodeObject: 'from the Node object',
  interfaceAddresses: 'from the rulec.io/interface-addresses annotation',
  rulesNodeIP: 'read off the rules: the -d of a jump to KUBE-NODEPORTS',
  clusterCIDRFlag: 'given with --cluster-cidr',
  clusterCIDRConfig: "from kube-proxy's clusterCIDR",
  nodePodCIDRs: "from the Node's podCIDRs",
  rulesPodCIDR: "read off the rules: the local-traffic detector's -s CIDR",
} as const;

function addNodeIP(out: LoadedRules, ip: ParsedIp, origin: string): void {
  if (out.nodeIPOrigins.has(ip.text)) return;
  out.nodeIPOrigins.set(ip.text, origin);
  out.nodeIPs.push(ip);
}

function addPodCIDR(out: LoadedRules, c: ParsedCidr, origin: string): void {
  if (out.podCIDROrigins.has(c.text)) return;
  out.podCIDROrigins.set(c.text, origin);
  out.podCIDRs.push(c);
}

function compileManifests(paths: string[], options: LoadOptions, nodeFlags: NodeFlags, stdinText: string | null, out: LoadedRules): void {
  const flags: SettingFlags = { ...nodeFlags };
  if (options.mode) flags.mode = options.mode;
  if (options.kubeProxyVersion === AUTO_KUBE_PROXY_VERSION) {
    // The dumps read so far are all this load's rule sets: nothing is compiled yet.
    // Older layouts are compiled in iptables mode only: an IPVS or nftables node's dump tells nothing here.
    const iptablesNode = (options.mode === undefined || options.mode === 'iptables') && out.nft.length === 0 && !out.ruleSets.some((r) => r.kind === 'ipvs');
    const chosen = iptablesNode ? chooseKubeProxyVersion(out.ruleSets) : undefined;
    if (chosen) {
      flags.kubeProxyVersion = `1.${chosen.minor}`;
      out.diagnostics.push(chosen.note);
    } else if (!options.paired) {
      out.diagnostics.push(autoWithoutDumpError('no iptables-mode dump among the inputs to infer the kube-proxy release from'));
      return;
    }
  } else if (options.kubeProxyVersion !== undefined) flags.kubeProxyVersion = options.kubeProxyVersion;
  const loaded = loadCluster(paths, flags, () => stdinText ?? options.readStdin());
  pushAll(out.diagnostics, loaded.diagnostics);
  if (hasErrors(loaded.diagnostics)) return;
  const { cluster } = loaded;
  out.cluster = cluster;
  const mode = loaded.settings.mode;
  out.mode = mode;
  out.primaryFamily = loaded.settings.family;
  // A node runs one proxier per family: compile both, the requested family's settings first.
  const families: IpFamily[] = loaded.settings.family === 'ipv6' ? ['ipv6', 'ipv4'] : ['ipv4', 'ipv6'];
  for (const family of families) {
    const settings = family === loaded.settings.family ? loaded.settings : resolveSettings(cluster, { ...flags, family }, []);
    out.settings[family] = settings;
    const compiled: RuleSet[] = [];
    if (mode === 'nftables') {
      out.nft.push(compileNftables(cluster, settings));
    } else if (mode === 'ipvs') {
      const c = compileIpvs(cluster, settings);
      compiled.push(options.withoutHooks ? c.iptables : addIpvsHooks(c.iptables, c.profile), c.ipvs, c.ipsets);
    } else {
      const rs: IptablesRuleSet = compileIptables(cluster, settings);
      compiled.push(options.withoutHooks ? rs : addHooks(rs, settings.profile));
    }
    for (const rs of compiled) {
      out.ruleSets.push(rs);
      out.compiledFamily.set(rs, family);
    }
    if (settings.localDetector.kind === 'cidr') {
      const { cidr } = settings.localDetector;
      const fromNode = (cluster.node?.podCIDRs ?? []).some((c) => c.text === cidr.text);
      addPodCIDR(out, cidr, fromNode ? ORIGIN.nodePodCIDRs : ORIGIN.clusterCIDRConfig);
    }
  }
  if (out.nodeIPs.length === 0) {
    for (const a of cluster.node?.addresses ?? []) if (a.type === 'InternalIP' || a.type === 'ExternalIP') addNodeIP(out, a.ip, ORIGIN.nodeObject);
    for (const ip of loaded.settings.interfaceAddresses) addNodeIP(out, ip, ORIGIN.interfaceAddresses);
  }
  for (const c of cluster.node?.podCIDRs ?? []) addPodCIDR(out, c, ORIGIN.nodePodCIDRs);
}

function addUnique(list: ParsedCidr[], c: ParsedCidr): void {
  if (!list.some((x) => x.text === c.text)) list.push(c);
}

/**
 * The node addresses a dump names: with `nodePortAddresses` set, kube-proxy writes one
 * `-A KUBE-SERVICES -d IP -m comment --comment "kubernetes service nodeports; …" -j KUBE-NODEPORTS`
 * per node address (loopback aside, which is always the node's).
 */
export function nodeIPsFromRules(ruleSets: readonly RuleSet[]): ParsedIp[] {
  const out: ParsedIp[] = [];
  for (const { rule: r } of natRules(ruleSets, (c) => c.name === 'KUBE-SERVICES')) {
    if (ruleTargetName(r) !== 'KUBE-NODEPORTS') continue;
    const dst = r.args.find((a) => a.flag === '-d' || a.flag === '--destination');
    if (!dst || dst.negated) continue;
    const text = dst.values[0] ?? '';
    const cidr = parseCidr(text);
    // `-d IP` in restore text, `-d IP/32` as iptables-save prints it.
    const ip = cidr ? (cidr.prefix === cidr.network.bytes.length * 8 ? cidr.network : null) : parseIp(text);
    if (!ip || isLoopback(ip)) continue;
    if (!out.some((x) => x.text === ip.text)) out.push(ip);
  }
  return out;
}

/** Every rule of the nat tables of the iptables rule sets, with its chain; only the chains `which` takes. */
function* natRules(ruleSets: readonly RuleSet[], which: (c: Chain) => boolean = () => true): Generator<{ chain: Chain; rule: Rule }> {
  for (const rs of ruleSets) {
    if (rs.kind !== 'iptables') continue;
    for (const t of rs.tables) {
      if (t.name !== 'nat') continue;
      for (const chain of t.chains) if (which(chain)) for (const rule of chain.rules) yield { chain, rule };
    }
  }
}

/**
 * The pod network a dump reveals: kube-proxy's local-traffic detector writes `! -s CIDR` on the
 * rules that jump to KUBE-MARK-MASQ (and `-s CIDR` on the "pod traffic" short-circuit). It writes
 * the same network (one per family) on every such rule, so the chains are read in the order they
 * hold them — KUBE-SERVICES (before 1.22), the KUBE-SVC chains, the KUBE-EXT/KUBE-XLB chains,
 * then the rest — and reading stops after the first chain that shows one in each nat table: a
 * trace of a large dump need not read every rule for it.
 */
export function podCIDRsFromRules(ruleSets: readonly RuleSet[]): ParsedCidr[] {
  const out: ParsedCidr[] = [];
  for (const rs of ruleSets) {
    if (rs.kind !== 'iptables') continue;
    for (const t of rs.tables) {
      if (t.name !== 'nat') continue;
      const byOrder: Chain[][] = [[], [], [], []];
      for (const chain of t.chains) (byOrder[detectorOrder(chain.name)] as Chain[]).push(chain);
      search: for (const chains of byOrder) {
        for (const chain of chains) {
          const before = out.length;
          for (const r of chain.rules) {
            const cidr = detectorCIDR(r);
            if (cidr) addUnique(out, cidr);
          }
          if (out.length > before) break search;
        }
      }
    }
  }
  return out;
}

/** Where a chain comes in the search for the local-traffic detector's network: 0 first, 3 last. */
function detectorOrder(name: string): 0 | 1 | 2 | 3 {
  if (name.charCodeAt(0) !== 75 /* K */) return 3;
  if (name === 'KUBE-SERVICES') return 0;
  const kind = kubeChainKind(name);
  return kind === 'SVC' ? 1 : kind === 'EXT' || kind === 'XLB' ? 2 : 3;
}

/** The pod network of a detector rule (`! -s CIDR … -j KUBE-MARK-MASQ`, `-s CIDR` "pod traffic for …"). */
function detectorCIDR(r: Rule): ParsedCidr | null {
  const src = r.args.find((a) => a.flag === '-s' || a.flag === '--source');
  if (!src) return null;
  const masq = src.negated && ruleTargetName(r) === 'KUBE-MARK-MASQ';
  const podShortCut = !src.negated && (ruleComment(r) ?? '').startsWith('pod traffic for ');
  if (!masq && !podShortCut) return null;
  const cidr = parseCidr(src.values[0] ?? '');
  return cidr && cidr.prefix < cidr.network.bytes.length * 8 ? cidr : null;
}
