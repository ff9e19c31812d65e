import type { IpFamily } from '../ast/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { buildCluster, KUBE_PROXY_CONFIGMAP, type Cluster } from '../model/cluster.js';
import { readNodeFlags } from '../model/node-flags.js';
import { hasErrors } from '../diagnostics.js';
import { selectNode } from '../model/select-node.js';
import { completeCluster, completionOptions } from '../model/complete-cluster.js';
import { readText, type RawObject } from '../model/read-documents.js';
import { AUTO_KUBE_PROXY_VERSION, resolveSettings, type ProxySettings, type SettingFlags } from '../model/settings.js';
import type { ObjectSource } from '../model/source-document.js';
import type { LintSettings } from './config/types.js';

/**
 * Manifests as lint rules see them: the validated cluster model, and each object's raw value
 * (for fields the model normalises away, such as whether `externalTrafficPolicy` was written).
 */
export interface ManifestModel {
  cluster: Cluster;
  files: string[];
  /** Input problems (invalid YAML, invalid objects). */
  diagnostics: Diagnostic[];
  /** The object at `src` as it was written, before validation. */
  raw(src: ObjectSource): unknown;
  /** kube-proxy's settings for one IP family, from the objects and the lint settings. */
  proxySettings(family: IpFamily): ProxySettings;
  /** The same manifests compiled as kube-proxy `1.N` writes them (`--kube-proxy-version auto`, per dump). */
  atVersion(kubeProxyVersion: string): ManifestModel;
}

export interface TextInput {
  file: string;
  text: string;
}

export function loadManifests(inputs: readonly TextInput[], settings: LintSettings): ManifestModel {
  const diagnostics: Diagnostic[] = [];
  const objects: RawObject[] = [];
  for (const input of inputs) readText(input.text, input.file, objects, diagnostics);
  const nodeFlags = readNodeFlags(
    {
      node: settings.nodeName,
      nodeIPs: settings.nodeIPs,
      clusterCIDR: settings.clusterCIDR,
      kubeProxyConfigMap: settings.kubeProxyConfigMap,
      ...(settings.serviceCIDRs ? { serviceCIDR: settings.serviceCIDRs.join(',') } : {}),
    },
    diagnostics,
  );
  const cluster = buildCluster(objects, diagnostics, nodeFlags.kubeProxyConfigMap ?? KUBE_PROXY_CONFIGMAP);
  // A manifests set of several Nodes is no error here: without a node name, no endpoint is local.
  selectNode(cluster, nodeFlags.node, diagnostics, nodeFlags.node === undefined);
  if (!hasErrors(diagnostics)) completeCluster(cluster, completionOptions(cluster, { ...nodeFlags, nodePortRange: settings.nodePortRange }), diagnostics);
  const raws = new Map<ObjectSource, unknown>();
  for (const o of objects) raws.set(o.src, o.value);
  const flags: SettingFlags = { ...nodeFlags };
  if (settings.kubeProxyVersion !== undefined && settings.kubeProxyVersion !== AUTO_KUBE_PROXY_VERSION) flags.kubeProxyVersion = settings.kubeProxyVersion;
  const cache = new Map<string, ProxySettings>();
  const model = (version: string | undefined): ManifestModel => ({
    cluster,
    files: inputs.map((i) => i.file),
    diagnostics,
    raw: (src) => raws.get(src),
    proxySettings(family) {
      const key = `${family} ${version ?? ''}`;
      let s = cache.get(key);
      if (!s) {
        // Problems with the settings were reported when the objects were read.
        s = resolveSettings(cluster, { ...flags, family, ...(version !== undefined ? { kubeProxyVersion: version } : {}) }, []);
        cache.set(key, s);
      }
      return s;
    },
    atVersion: (v) => model(v),
  });
  return model(undefined);
}

/** The annotation that switches rules off for one object: `rulec.io/ignore: "rule-a, rule-b"`. */
export const IGNORE_ANNOTATION = 'rulec.io/ignore';

/** The rule ids an object's `rulec.io/ignore` annotation names (`*` for all). */
export function ignoredByAnnotation(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const meta = (raw as { metadata?: unknown }).metadata;
  if (typeof meta !== 'object' || meta === null) return [];
  const ann = (meta as { annotations?: unknown }).annotations;
  if (typeof ann !== 'object' || ann === null) return [];
  const v = (ann as Record<string, unknown>)[IGNORE_ANNOTATION];
  if (typeof v !== 'string') return [];
  return splitIds(v);
}

export function splitIds(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
