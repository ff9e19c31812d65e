import type { Diagnostic } from '../diagnostics.js';
import { parseCidr, parseIp, type ParsedCidr, type ParsedIp } from '../kube/ip.js';
import { parseConfigMapRef, type ConfigMapRef } from './cluster.js';
import { INPUT_CODES } from './validate.js';

/**
 * The node flags as a person types them (`--node`, `--node-ip`, `--cluster-cidr`,
 * `--kube-proxy-configmap`), declared once for every command that takes them
 * (`src/cli/node-options.ts`) and read here once, into the values everything else takes.
 */
export interface NodeFlagText {
  node?: string;
  nodeIPs?: readonly string[];
  /** Comma separated, as kube-proxy's clusterCIDR. */
  clusterCIDR?: string;
  /** `NAMESPACE/NAME`. */
  kubeProxyConfigMap?: string;
  /** Comma separated, as the API server's --service-cluster-ip-range. */
  serviceCIDR?: string;
  /** `MIN-MAX`, as the API server's --service-node-port-range. */
  nodePortRange?: string;
}

/** The node flags, read and checked. An empty list is a flag not given. */
export interface NodeFlags {
  node?: string;
  nodeIPs: ParsedIp[];
  clusterCIDRs: ParsedCidr[];
  /** Set only when the flag was given. */
  kubeProxyConfigMap?: ConfigMapRef;
  serviceCIDRs: ParsedCidr[];
  /** Set only when the flag was given. */
  nodePortRange?: { min: number; max: number };
}

/** Where a diagnostic about a command-line flag points: the flags, not a file. */
export const FLAGS_POSITION = { file: '<flags>', line: 1, column: 1 } as const;

/** An RC104 error about a flag's value. */
export function flagError(message: string): Diagnostic {
  return { ...FLAGS_POSITION, severity: 'error', code: INPUT_CODES.settings, message };
}

/** Reads the node flags: one RC104 diagnostic for each value that is not what its flag takes. */
export function readNodeFlags(text: NodeFlagText, diagnostics: Diagnostic[]): NodeFlags {
  const flags: NodeFlags = { nodeIPs: [], clusterCIDRs: [], serviceCIDRs: [] };
  if (text.node !== undefined) flags.node = text.node;
  for (const t of text.nodeIPs ?? []) {
    const ip = parseIp(t);
    if (ip) flags.nodeIPs.push(ip);
    else diagnostics.push(flagError(`--node-ip ${JSON.stringify(t.slice(0, 40))} is not an IP address`));
  }
  for (const t of (text.clusterCIDR ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const c = parseCidr(t);
    if (c) flags.clusterCIDRs.push(c);
    else diagnostics.push(flagError(`--cluster-cidr ${JSON.stringify(t.slice(0, 40))} is not a CIDR`));
  }
  for (const t of (text.serviceCIDR ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const c = parseCidr(t);
    if (c) flags.serviceCIDRs.push(c);
    else diagnostics.push(flagError(`--service-cidr ${JSON.stringify(t.slice(0, 40))} is not a CIDR`));
  }
  if (text.nodePortRange !== undefined) {
    const range = parsePortRange(text.nodePortRange);
    if (range) flags.nodePortRange = range;
    else diagnostics.push(flagError(`--service-node-port-range ${JSON.stringify(text.nodePortRange.slice(0, 40))} is not MIN-MAX with 1 <= MIN <= MAX <= 65535`));
  }
  if (text.kubeProxyConfigMap !== undefined) {
    const ref = parseConfigMapRef(text.kubeProxyConfigMap);
    if (ref) flags.kubeProxyConfigMap = ref;
    else diagnostics.push(flagError(`--kube-proxy-configmap ${JSON.stringify(text.kubeProxyConfigMap.slice(0, 80))} is not NAMESPACE/NAME`));
  }
  return flags;
}

/** `30000-32767` (or `30000+2768`, as the API server also takes it), or null when it is not a range of ports. */
export function parsePortRange(text: string): { min: number; max: number } | null {
  const m = /^\s*(\d{1,5})\s*([-+])\s*(\d{1,5})\s*$/.exec(text);
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === '+' ? min + Number(m[3]) - 1 : Number(m[3]);
  return min >= 1 && min <= max && max <= 65535 ? { min, max } : null;
}
