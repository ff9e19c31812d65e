import { existsSync, readFileSync } from 'node:fs';
import { MANIFEST_FILE } from '../../model/read-documents.js';
import { basename, dirname, join, resolve } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import type { Diagnostic } from '../../diagnostics.js';

/**
 * The golden files a manifest can have beside it (`app.yaml` → `app.iptables`, …), each the exact
 * output of one `rulec compile`:
 * - `iptables`: `rulec compile app.yaml` (iptables mode, the family the manifests ask for);
 * - `ip6tables`: `rulec compile app.yaml --family ipv6`;
 * - `ipvs`, `ipset`, `ipvs-iptables`: `rulec compile --mode ipvs --emit ipvsadm|ipset|iptables`;
 * - `nft`: `rulec compile --mode nftables` (the family the manifests ask for).
 */
export const GOLDEN_KINDS = ['iptables', 'ip6tables', 'ipvs', 'ipset', 'ipvs-iptables', 'nft'] as const;
export type GoldenKind = (typeof GOLDEN_KINDS)[number];

export function isGoldenKind(s: string): s is GoldenKind {
  return (GOLDEN_KINDS as readonly string[]).includes(s);
}

/** Settings of a check, from `.rulec-check.yaml` (the nearest one above a manifest) and flags. */
export interface CheckConfig {
  /** Goldens every manifest gets (default: `iptables`, the IPVS three or `nft` as its configuration's mode says). */
  goldens?: GoldenKind[];
  withHooks?: boolean;
  node?: string;
  nodeIPs?: string[];
  clusterCIDR?: string;
  /**
   * Manifests compiled together with every manifest under the config's folder (a Node, a
   * KubeProxyConfiguration shared by the folder), absolute paths. They get no goldens themselves.
   */
  context?: string[];
}

export const CONFIG_FILE = '.rulec-check.yaml';

/** The golden file of a manifest: the manifest's name with its extension replaced (and the node's name before it, for one node of several). */
export function goldenPath(manifest: string, kind: GoldenKind, node?: string): string {
  const base = basename(manifest).replace(MANIFEST_FILE, '');
  return join(dirname(manifest), `${base}${node === undefined ? '' : `.${node}`}.${kind}`);
}

/** The goldens that already exist beside a manifest (for one node of several). */
export function existingGoldens(manifest: string, node?: string): GoldenKind[] {
  return GOLDEN_KINDS.filter((k) => existsSync(goldenPath(manifest, k, node)));
}

/**
 * Reads the nearest `.rulec-check.yaml` from the manifest's folder up to `root` (included; up to the
 * filesystem's root for a manifest outside `root`).
 * Bad files give diagnostics and are ignored.
 */
export function configFor(manifest: string, root: string, diagnostics: Diagnostic[], cache: Map<string, CheckConfig | null>): CheckConfig {
  const top = resolve(root);
  let dir = resolve(dirname(manifest));
  for (;;) {
    const file = join(dir, CONFIG_FILE);
    let cfg = cache.get(file);
    if (cfg === undefined) {
      cfg = existsSync(file) ? readConfig(file, diagnostics) : null;
      cache.set(file, cfg);
    }
    if (cfg) return cfg;
    if (dir === top || dirname(dir) === dir) return {};
    dir = dirname(dir);
  }
}

export function readConfig(file: string, diagnostics: Diagnostic[]): CheckConfig | null {
  const bad = (message: string) => diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'RC620', message });
  let doc: unknown;
  try {
    doc = loadYaml(readFileSync(file, 'utf8'));
  } catch {
    bad('not valid YAML');
    return null;
  }
  if (doc === undefined || doc === null) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    bad('expected a mapping with goldens, withHooks, node, nodeIPs, clusterCIDR, context');
    return null;
  }
  const d = doc as Record<string, unknown>;
  const cfg: CheckConfig = {};
  const known = ['goldens', 'withHooks', 'node', 'nodeIPs', 'clusterCIDR', 'context'];
  for (const key of Object.keys(d)) {
    if (!known.includes(key)) bad(`unknown key ${JSON.stringify(key.slice(0, 40))}; known: ${known.join(', ')}`);
  }
  if (d.goldens !== undefined) {
    if (!Array.isArray(d.goldens) || !d.goldens.every((g) => typeof g === 'string' && isGoldenKind(g))) bad(`goldens: a list of ${GOLDEN_KINDS.join(', ')}`);
    else cfg.goldens = d.goldens as GoldenKind[];
  }
  if (d.withHooks !== undefined) {
    if (typeof d.withHooks !== 'boolean') bad('withHooks: true or false');
    else cfg.withHooks = d.withHooks;
  }
  if (d.node !== undefined) {
    if (typeof d.node !== 'string') bad('node: a node name');
    else cfg.node = d.node;
  }
  if (d.nodeIPs !== undefined) {
    if (!Array.isArray(d.nodeIPs) || !d.nodeIPs.every((x) => typeof x === 'string')) bad('nodeIPs: a list of IP addresses');
    else cfg.nodeIPs = d.nodeIPs as string[];
  }
  if (d.clusterCIDR !== undefined) {
    if (typeof d.clusterCIDR !== 'string') bad('clusterCIDR: a CIDR (comma list)');
    else cfg.clusterCIDR = d.clusterCIDR;
  }
  if (d.context !== undefined) {
    if (!Array.isArray(d.context) || !d.context.every((x) => typeof x === 'string')) bad('context: a list of manifest files, relative to this file');
    else cfg.context = (d.context as string[]).map((x) => resolve(dirname(file), x));
  }
  return cfg;
}
