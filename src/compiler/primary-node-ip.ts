import { parseIp, type ParsedIp } from '../kube/ip.js';
import type { Cluster } from '../model/cluster.js';
import { ANNOTATIONS, type ProxySettings } from '../model/settings.js';

/**
 * The primary node IP of the IPVS and nftables proxiers, in their family:
 * `rulec.io/primary-node-ip`, else a specified `bindAddress`, else the Node's first InternalIP,
 * then ExternalIP (or the first `--node-ip`), else the loopback address.
 */
export function proxierPrimaryNodeIP(cluster: Cluster, settings: ProxySettings): ParsedIp {
  const family = settings.family;
  const cfg = cluster.config?.value;
  const annotated = cfg?.metadata?.annotations?.[ANNOTATIONS.primaryNodeIP];
  const fromAnnotation = annotated !== undefined ? parseIp(annotated) : null;
  if (fromAnnotation && fromAnnotation.family === family) return fromAnnotation;
  const bind = cfg?.bindAddress ? parseIp(cfg.bindAddress) : null;
  if (bind && bind.family === family && !bind.bytes.every((b) => b === 0)) return bind;
  if (settings.primaryNodeIP && settings.primaryNodeIP.family === family) return settings.primaryNodeIP;
  return family === 'ipv4' ? { family, text: '127.0.0.1', bytes: [127, 0, 0, 1] } : { family, text: '::1', bytes: [...Array<number>(15).fill(0), 1] };
}

