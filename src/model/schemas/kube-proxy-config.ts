import { z } from 'zod';
import { cidr, dns1123Subdomain, goDuration, interfaceName, interfaceNamePrefix, ipAddress, objectMeta, stringMap } from './fields.js';

/** Every field rulec reads from a `kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration`. */
export const kubeProxyConfigSchema = z.object({
  apiVersion: z.literal('kubeproxy.config.k8s.io/v1alpha1'),
  kind: z.literal('KubeProxyConfiguration'),
  metadata: objectMeta.partial({ name: true }).extend({ annotations: stringMap.nullish() }).nullish(),
  mode: z.enum(['', 'iptables', 'ipvs', 'nftables', 'kernelspace']).nullish(),
  hostnameOverride: dns1123Subdomain.or(z.literal('')).nullish(),
  bindAddress: z.literal('').or(ipAddress).nullish(),
  clusterCIDR: z.string().nullish(),
  detectLocalMode: z.enum(['', 'ClusterCIDR', 'NodeCIDR', 'BridgeInterface', 'InterfaceNamePrefix']).nullish(),
  detectLocal: z
    .object({
      bridgeInterface: z.literal('').or(interfaceName).nullish(),
      interfaceNamePrefix: z.literal('').or(interfaceNamePrefix).nullish(),
    })
    .nullish(),
  nodePortAddresses: z.array(z.string()).nullish(),
  /** Feature gates by name; rulec reads PreferSameTrafficDistribution and ignores the rest. */
  featureGates: z.record(z.string(), z.boolean()).nullish(),
  iptables: z
    .object({
      masqueradeBit: z.number().int().min(0).max(31).nullish(),
      masqueradeAll: z.boolean().nullish(),
      localhostNodePorts: z.boolean().nullish(),
      syncPeriod: goDuration.nullish(),
      minSyncPeriod: goDuration.nullish(),
    })
    .nullish(),
  ipvs: z
    .object({
      /** The schedulers kube-proxy's validation accepts; '' means rr. */
      scheduler: z.enum(['', 'rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'sh', 'dh', 'sed', 'nq', 'mh']).nullish(),
      strictARP: z.boolean().nullish(),
      excludeCIDRs: z.array(cidr).nullish(),
      tcpTimeout: goDuration.nullish(),
      tcpFinTimeout: goDuration.nullish(),
      udpTimeout: goDuration.nullish(),
    })
    .nullish(),
  nftables: z.object({ masqueradeBit: z.number().int().min(0).max(31).nullish(), masqueradeAll: z.boolean().nullish() }).nullish(),
});

export type KubeProxyConfigObject = z.infer<typeof kubeProxyConfigSchema>;
