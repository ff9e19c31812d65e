import type { Diagnostic } from '../diagnostics.js';
import { FLAGS_POSITION, flagError } from './node-flags.js';
import type { IpFamily } from '../kube/ip.js';
import { parseCidr, parseIp, type ParsedCidr, type ParsedIp } from '../kube/ip.js';
import type { Cluster } from './cluster.js';
import { locateIn } from './source-document.js';
import { INPUT_CODES } from './validate.js';
import type { NodeFlags } from './node-flags.js';
import { NEWEST_MINOR, OLDEST_MINOR, SUPPORTED_VERSIONS, kubeProxyProfile, minorOfVersion, parseKubeProxyVersion, type KubeProxyProfile } from '../kube/kube-proxy-profiles.js';
import { NEWEST_IPVS_PROFILE, ipvsVersionProblem, kubeProxyIpvsProfile, parseIpvsModeVersion, type KubeProxyIpvsProfile } from '../kube/kube-proxy-ipvs-profiles.js';

/**
 * Everything about the node and kube-proxy that decides the rules, for one IP family: read from
 * the KubeProxyConfiguration (fields and `rulec.io/` annotations) and the Node, overridden by
 * command-line flags, with kube-proxy's defaults where neither says anything.
 */
export interface ProxySettings {
  mode: 'iptables' | 'ipvs' | 'nftables';
  family: IpFamily;
  /** The node's name (`hostnameOverride`, else the Node's name); '' makes no endpoint local. */
  nodeName: string;
  /** The node's zone label, for topology hints. */
  nodeZone: string | null;
  /**
   * The PreferSameTrafficDistribution feature gate: node hints (`hints.forNodes`) narrow the
   * endpoints before zone hints do. Off by default, as in kube-proxy 1.33 (on from 1.34).
   */
  preferSameNode: boolean;
  primaryNodeIP: ParsedIp | null;
  /** Addresses on the node's interfaces, in order (for nodePortAddresses). */
  interfaceAddresses: ParsedIp[];
  localDetector: LocalDetector;
  masqueradeBit: number;
  /** The literal mark text written in MARK and mark rules. */
  masqueradeMark: string;
  masqueradeAll: boolean;
  /** The configured value; the effective one is decided per family in the backend. */
  localhostNodePorts: boolean;
  /** nodePortAddresses CIDRs (all families, as given), or the special `primary`. */
  nodePortAddresses: string[];
  randomFully: boolean;
  nfacct: boolean;
  kubeFirewallChain: boolean;
  tcpBeLiberal: boolean;
  existingNatChains: string[];
  serviceCIDRs: ParsedCidr[];
  ipvsScheduler: string;
  /** The kube-proxy release whose iptables-mode layout is written, `1.N` (default the newest). */
  kubeProxyVersion: string;
  /** What that release writes differently: chosen once, here, from kubeProxyVersion. */
  profile: KubeProxyProfile;
  /** What that release's IPVS proxier writes differently (IPVS mode), from the same version. */
  ipvsProfile: KubeProxyIpvsProfile;
}

export type LocalDetector =
  | { kind: 'none' }
  | { kind: 'cidr'; cidr: ParsedCidr }
  | { kind: 'bridge'; name: string }
  | { kind: 'prefix'; prefix: string };

/** Values given on the command line; they win over the objects. */
/** What the command line says over the objects: the mode, the family, and the node flags as read. */
export interface SettingFlags extends Partial<NodeFlags> {
  mode?: string;
  family?: IpFamily;
  /** `--kube-proxy-version`, as typed. */
  kubeProxyVersion?: string;
}

export const ANNOTATIONS = {
  ipFamily: 'rulec.io/ip-family',
  masqueradeMark: 'rulec.io/masquerade-mark',
  randomFully: 'rulec.io/random-fully',
  nfacct: 'rulec.io/nfacct',
  kubeFirewallChain: 'rulec.io/kube-firewall-chain',
  tcpBeLiberal: 'rulec.io/conntrack-tcp-be-liberal',
  localDetector: 'rulec.io/local-detector',
  interfaceAddresses: 'rulec.io/interface-addresses',
  primaryNodeIP: 'rulec.io/primary-node-ip',
  serviceCIDRs: 'rulec.io/service-cidrs',
  existingNatChains: 'rulec.io/existing-nat-chains',
  kubeProxyVersion: 'rulec.io/kube-proxy-version',
  /** Read by completionOptions (complete-cluster.ts); checked here with the others. */
  allocate: 'rulec.io/allocate',
} as const;

/** The entries of a comma-separated setting (`a, b,c`), blanks left out. */
export function commaList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `--kube-proxy-version auto`: the release is inferred from the dump the manifests are compared with. */
export const AUTO_KUBE_PROXY_VERSION = 'auto';

/**
 * The diagnostic for a `--kube-proxy-version` that names no release rulec compiles (every command
 * that compiles reports it so). `auto`, where a command takes it, is read before this.
 */
export function kubeProxyVersionFlagProblem(text: string): Diagnostic {
  return flagError(`--kube-proxy-version ${JSON.stringify(text.slice(0, 40))}: ${versionProblem(text)}`);
}

/** Why a version text is not one rulec compiles, in words. */
function versionProblem(text: string): string {
  const minor = minorOfVersion(text) ?? undefined;
  if (minor !== undefined && minor < OLDEST_MINOR) return `kube-proxy 1.${minor} is older than the releases rulec compiles (${SUPPORTED_VERSIONS})`;
  if (minor !== undefined && minor > NEWEST_MINOR) return `kube-proxy 1.${minor} is newer than the releases rulec compiles (${SUPPORTED_VERSIONS})`;
  return `expected 1.N, a kube-proxy release rulec compiles (${SUPPORTED_VERSIONS})`;
}

/** The families the inputs ask for: the flag, else the annotation, else IPv4. */
export function requestedFamily(cluster: Cluster, flags: SettingFlags): IpFamily {
  if (flags.family) return flags.family;
  const a = cluster.config?.value.metadata?.annotations?.[ANNOTATIONS.ipFamily];
  // Any other value is reported by resolveSettings, so nothing is compiled for a guess.
  return a === 'IPv6' ? 'ipv6' : 'ipv4';
}

const KNOWN_ANNOTATIONS: ReadonlySet<string> = new Set(Object.values(ANNOTATIONS));

/** `0xHEX` with exactly one bit set, as `1 << masqueradeBit` is. */
function isOneBitMark(text: string): boolean {
  if (!/^0[xX][0-9a-fA-F]{1,8}$/.test(text)) return false;
  const v = Number.parseInt(text.slice(2), 16);
  return v !== 0 && (v & (v - 1)) === 0;
}

/** An interface address as `rulec.io/interface-addresses` lists it: `IP` or `IP/LENGTH`. */
function parseInterfaceAddress(text: string): ParsedIp | null {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip || slash < 0) return ip;
  const len = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(len) || Number(len) > ip.bytes.length * 8) return null;
  return ip;
}

export function resolveSettings(cluster: Cluster, flags: SettingFlags, diagnostics: Diagnostic[]): ProxySettings {
  const cfg = cluster.config?.value;
  const ann = cfg?.metadata?.annotations ?? {};
  const family = requestedFamily(cluster, flags);
  const where = (path: (string | number)[]) =>
    cluster.config ? locateIn(cluster.config.src, path) : FLAGS_POSITION;
  const bad = (path: (string | number)[], message: string) =>
    diagnostics.push({ ...where(path), severity: 'error', code: INPUT_CODES.fieldValue, message });

  const bool = (key: string, dflt: boolean): boolean => {
    const v = ann[key];
    if (v === undefined) return dflt;
    if (v === 'true' || v === 'false') return v === 'true';
    bad(['metadata', 'annotations', key], `annotation ${key}: expected "true" or "false", got ${JSON.stringify(v.slice(0, 40))}`);
    return dflt;
  };
  for (const key of Object.keys(ann)) {
    if (key.startsWith('rulec.io/') && !KNOWN_ANNOTATIONS.has(key)) {
      bad(['metadata', 'annotations', key], `annotation ${JSON.stringify(key.slice(0, 60)).slice(1, -1)}: not an annotation rulec reads (${[...KNOWN_ANNOTATIONS].join(', ')})`);
    }
  }
  const familyAnn = ann[ANNOTATIONS.ipFamily];
  if (familyAnn !== undefined && familyAnn !== 'IPv4' && familyAnn !== 'IPv6') {
    bad(['metadata', 'annotations', ANNOTATIONS.ipFamily], `annotation ${ANNOTATIONS.ipFamily}: expected "IPv4" or "IPv6", got ${JSON.stringify(familyAnn.slice(0, 40))}`);
  }
  const list = (key: string): string[] => commaList(ann[key]);

  const nodeName = flags.node ?? (cfg?.hostnameOverride || cluster.node?.name || '');

  // Node IPs: --node-ip flags, else the Node's addresses.
  const nodeIPFlags = flags.nodeIPs !== undefined && flags.nodeIPs.length > 0;
  const nodeIPs: ParsedIp[] = nodeIPFlags
    ? [...(flags.nodeIPs ?? [])]
    : (cluster.node?.addresses ?? []).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.ip);

  let primaryNodeIP: ParsedIp | null = null;
  const primaryText = ann[ANNOTATIONS.primaryNodeIP];
  if (primaryText !== undefined) {
    const ip = parseIp(primaryText);
    if (!ip) bad(['metadata', 'annotations', ANNOTATIONS.primaryNodeIP], `annotation ${ANNOTATIONS.primaryNodeIP}: ${JSON.stringify(primaryText.slice(0, 40))} is not an IP address`);
    else if (ip.family === family) primaryNodeIP = ip;
  }
  if (!primaryNodeIP) {
    if (nodeIPFlags) primaryNodeIP = nodeIPs.find((ip) => ip.family === family) ?? null;
    else {
      const addrs = cluster.node?.addresses ?? [];
      primaryNodeIP =
        addrs.find((a) => a.type === 'InternalIP' && a.ip.family === family)?.ip ??
        addrs.find((a) => a.type === 'ExternalIP' && a.ip.family === family)?.ip ??
        null;
    }
  }

  let interfaceAddresses: ParsedIp[];
  if (ann[ANNOTATIONS.interfaceAddresses] !== undefined) {
    interfaceAddresses = [];
    for (const t of list(ANNOTATIONS.interfaceAddresses)) {
      const ip = parseInterfaceAddress(t);
      if (ip) interfaceAddresses.push(ip);
      else bad(['metadata', 'annotations', ANNOTATIONS.interfaceAddresses], `annotation ${ANNOTATIONS.interfaceAddresses}: ${JSON.stringify(t.slice(0, 40))} is not an address (IP or IP/LENGTH)`);
    }
  } else {
    interfaceAddresses = nodeIPFlags ? nodeIPs : (cluster.node?.addresses ?? []).map((a) => a.ip);
  }

  // Local traffic detector.
  let localDetector: LocalDetector = { kind: 'none' };
  const clusterCIDRs: ParsedCidr[] = [];
  if (flags.clusterCIDRs !== undefined && flags.clusterCIDRs.length > 0) clusterCIDRs.push(...flags.clusterCIDRs);
  else {
    for (const t of (cfg?.clusterCIDR ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const c = parseCidr(t);
      if (c) clusterCIDRs.push(c);
      else bad(['clusterCIDR'], `KubeProxyConfiguration: clusterCIDR: ${JSON.stringify(t.slice(0, 40))} is not a CIDR`);
    }
  }
  const mode = cfg?.detectLocalMode || 'ClusterCIDR';
  const detectorAnn = ann[ANNOTATIONS.localDetector];
  if (detectorAnn !== undefined && detectorAnn !== 'none') {
    bad(['metadata', 'annotations', ANNOTATIONS.localDetector], `annotation ${ANNOTATIONS.localDetector}: only "none" is understood, got ${JSON.stringify(detectorAnn.slice(0, 40))}`);
  }
  if (detectorAnn !== 'none') {
    if (mode === 'ClusterCIDR') {
      const c = clusterCIDRs.find((x) => x.family === family);
      if (c) localDetector = { kind: 'cidr', cidr: c };
    } else if (mode === 'NodeCIDR') {
      const c = cluster.node?.podCIDRs.find((x) => x.family === family);
      if (c) localDetector = { kind: 'cidr', cidr: c };
    } else if (mode === 'BridgeInterface') {
      const name = cfg?.detectLocal?.bridgeInterface;
      if (name) localDetector = { kind: 'bridge', name };
    } else if (mode === 'InterfaceNamePrefix') {
      const prefix = cfg?.detectLocal?.interfaceNamePrefix;
      if (prefix) localDetector = { kind: 'prefix', prefix };
    }
  }
  // As kube-proxy's validation: these modes name their interface.
  if (mode === 'BridgeInterface' && !cfg?.detectLocal?.bridgeInterface) {
    bad(['detectLocalMode'], 'KubeProxyConfiguration: detectLocalMode BridgeInterface needs detectLocal.bridgeInterface');
  }
  if (mode === 'InterfaceNamePrefix' && !cfg?.detectLocal?.interfaceNamePrefix) {
    bad(['detectLocalMode'], 'KubeProxyConfiguration: detectLocalMode InterfaceNamePrefix needs detectLocal.interfaceNamePrefix');
  }

  const modeText = flags.mode ?? (cfg?.mode || 'iptables');
  if (modeText === 'kernelspace') {
    bad(['mode'], 'KubeProxyConfiguration: mode: "kernelspace" is the Windows proxier; rulec compiles iptables, ipvs and nftables');
  }
  const proxyMode = modeText === 'ipvs' ? 'ipvs' : modeText === 'nftables' ? 'nftables' : 'iptables';
  // The nftables proxier has its own masquerade settings (kube-proxy's configuration conversion
  // takes them from the `nftables` section alone in that mode).
  const nft = proxyMode === 'nftables';
  const masqueradeBit = (nft ? cfg?.nftables?.masqueradeBit : cfg?.iptables?.masqueradeBit) ?? 14;
  const masqueradeAll = (nft ? cfg?.nftables?.masqueradeAll : cfg?.iptables?.masqueradeAll) ?? false;
  const markAnn = ann[ANNOTATIONS.masqueradeMark];
  let masqueradeMark = `0x${(2 ** masqueradeBit).toString(16).padStart(8, '0')}`;
  if (markAnn !== undefined) {
    // One bit, as masqueradeBit gives: `--mark 0x0/0x0` would match every packet.
    if (isOneBitMark(markAnn)) masqueradeMark = markAnn;
    else bad(['metadata', 'annotations', ANNOTATIONS.masqueradeMark], `annotation ${ANNOTATIONS.masqueradeMark}: expected one mark bit in hexadecimal, like "0x4000", got ${JSON.stringify(markAnn.slice(0, 40))}`);
  }

  // nftables mode's default is the primary node IP, not every local address.
  const nodePortAddresses = cfg?.nodePortAddresses?.length ? cfg.nodePortAddresses : nft ? ['primary'] : [];
  nodePortAddresses.forEach((t, i) => {
    if (t === 'primary') {
      if (nodePortAddresses.length > 1) bad(['nodePortAddresses', i], `KubeProxyConfiguration: nodePortAddresses[${i}]: "primary" must be the only entry`);
    } else if (!parseCidr(t)) bad(['nodePortAddresses', i], `KubeProxyConfiguration: nodePortAddresses[${i}]: ${JSON.stringify(t.slice(0, 40))} is not a CIDR`);
  });

  const serviceCIDRs: ParsedCidr[] = [];
  for (const t of list(ANNOTATIONS.serviceCIDRs)) {
    const c = parseCidr(t);
    if (c) serviceCIDRs.push(c);
    else bad(['metadata', 'annotations', ANNOTATIONS.serviceCIDRs], `annotation ${ANNOTATIONS.serviceCIDRs}: ${JSON.stringify(t.slice(0, 40))} is not a CIDR`);
  }

  // Whether the cluster is completed (allocations) is read by completionOptions; the value is checked here.
  bool(ANNOTATIONS.allocate, true);

  const existingNatChains = list(ANNOTATIONS.existingNatChains);
  existingNatChains.forEach((c) => {
    if (!/^[A-Za-z0-9_.-]{1,28}$/.test(c)) bad(['metadata', 'annotations', ANNOTATIONS.existingNatChains], `annotation ${ANNOTATIONS.existingNatChains}: ${JSON.stringify(c.slice(0, 40))} is not a chain name`);
  });

  // The kube-proxy release: the flag, else the annotation, else the newest.
  let minor = NEWEST_MINOR;
  const versionAnn = ann[ANNOTATIONS.kubeProxyVersion];
  // In IPVS mode the release is judged by the IPVS table (it reaches releases older than the
  // iptables-mode profiles), below.
  const parseVersion = (text: string) => (proxyMode === 'ipvs' ? parseIpvsModeVersion(text) : parseKubeProxyVersion(text));
  if (flags.kubeProxyVersion !== undefined) {
    const m = parseVersion(flags.kubeProxyVersion);
    if (m !== null) minor = m;
    else diagnostics.push(kubeProxyVersionFlagProblem(flags.kubeProxyVersion));
  } else if (versionAnn !== undefined) {
    const m = parseVersion(versionAnn);
    if (m !== null) minor = m;
    else bad(['metadata', 'annotations', ANNOTATIONS.kubeProxyVersion], `annotation ${ANNOTATIONS.kubeProxyVersion}: expected 1.N, a kube-proxy release rulec compiles (${SUPPORTED_VERSIONS}), got ${JSON.stringify(versionAnn.slice(0, 40))}`);
  }
  // Looked up only for a diagnostic: finding a path in a large input's text costs.
  const versionAt = () => (flags.kubeProxyVersion !== undefined ? FLAGS_POSITION : where(['metadata', 'annotations', ANNOTATIONS.kubeProxyVersion]));
  if (minor !== NEWEST_MINOR && proxyMode === 'nftables') {
    diagnostics.push({
      ...versionAt(),
      severity: 'error',
      code: INPUT_CODES.settings,
      message: `kube-proxy version 1.${minor}: older layouts are compiled in iptables and IPVS mode only; nftables mode is compiled as 1.${NEWEST_MINOR} writes it`,
    });
  }
  const ipvsProfile = proxyMode === 'ipvs' ? kubeProxyIpvsProfile(minor) : NEWEST_IPVS_PROFILE;
  if (ipvsProfile === null) {
    diagnostics.push({
      ...versionAt(),
      severity: 'error',
      code: INPUT_CODES.settings,
      message: ipvsVersionProblem(minor),
    });
  }

  return {
    mode: proxyMode,
    family,
    nodeName,
    nodeZone: cluster.node?.labels['topology.kubernetes.io/zone'] ?? null,
    preferSameNode: cfg?.featureGates?.['PreferSameTrafficDistribution'] ?? false,
    primaryNodeIP,
    interfaceAddresses,
    localDetector,
    masqueradeBit,
    masqueradeMark,
    masqueradeAll,
    localhostNodePorts: cfg?.iptables?.localhostNodePorts ?? true,
    nodePortAddresses,
    randomFully: bool(ANNOTATIONS.randomFully, true),
    nfacct: bool(ANNOTATIONS.nfacct, true),
    kubeFirewallChain: bool(ANNOTATIONS.kubeFirewallChain, true),
    tcpBeLiberal: bool(ANNOTATIONS.tcpBeLiberal, false),
    existingNatChains,
    serviceCIDRs,
    ipvsScheduler: cfg?.ipvs?.scheduler || 'rr',
    kubeProxyVersion: `1.${minor}`,
    // IPVS layouts older than the iptables-mode profiles take the oldest one's endpoint selection
    // (ready endpoints; local ones for externalTrafficPolicy: Local; no internalTrafficPolicy).
    profile: kubeProxyProfile(Math.max(minor, OLDEST_MINOR)),
    ipvsProfile: ipvsProfile ?? NEWEST_IPVS_PROFILE,
  };
}
