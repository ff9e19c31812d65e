import { DEFAULT_NODE_PORT_RANGE } from '../../model/complete-cluster.js';
import type { SeveritySetting } from '../types.js';

/** The node and cluster facts lint rules may need, from the configuration file and flags. */
export interface LintSettings {
  /** The node the dumps were taken on (decides which endpoints are local). */
  nodeName?: string;
  nodeIPs?: string[];
  /** Pod CIDR(s), comma separated as kube-proxy's clusterCIDR. */
  clusterCIDR?: string;
  /** Service CIDRs; cluster IPs outside them are reported. */
  serviceCIDRs?: string[];
  /** `NAMESPACE/NAME` of the ConfigMap holding kube-proxy's configuration (default kube-system/kube-proxy). */
  kubeProxyConfigMap?: string;
  /** The NodePort range, inclusive. */
  nodePortRange: { min: number; max: number };
  /**
   * `--kube-proxy-version`: the release whose layout the manifests are compiled in to compare with
   * a dump (`1.N`), or `auto` for the release each dump was written by.
   */
  kubeProxyVersion?: string;
}

/** A configuration as the user wrote it, validated. */
export interface LintConfig {
  rules: Record<string, SeveritySetting>;
  settings: LintSettings;
}

/** The API server's default, as the compiler allocates from it. */
export { DEFAULT_NODE_PORT_RANGE };

export function defaultConfig(): LintConfig {
  return { rules: {}, settings: { nodePortRange: { ...DEFAULT_NODE_PORT_RANGE } } };
}
