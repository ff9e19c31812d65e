import type { ParsedIp } from '../kube/ip.js';
import type { Protocol } from './cluster.js';
import type { ObjectSource } from './source-document.js';

/**
 * Pods and the objects that make them, as a repository holds them: what the endpoint controller
 * would turn into endpoints when the input has no EndpointSlice or Endpoints for a Service.
 */
export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'ReplicationController' | 'Pod' | 'PodTemplate';

export interface WorkloadPort {
  /** The container port's name ('' when unnamed). */
  name: string;
  containerPort: number;
  protocol: Protocol;
}

export interface Workload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  /** Pods it makes: `spec.replicas` (default 1); for a DaemonSet, null: one per Node. */
  replicas: number | null;
  /** The labels of its pods (the pod template's, or the Pod's own). */
  labels: Record<string, string>;
  /** Every container's ports, in order. */
  ports: WorkloadPort[];
  /** `spec.nodeName` of the pod (template), or null. */
  nodeName: string | null;
  /** `status.podIPs` of a Pod (empty when not written). */
  podIPs: ParsedIp[];
  /** Whether its pods count as ready: a Pod's Ready condition, else `rulec.io/ready`, else true. */
  ready: boolean;
  src: ObjectSource;
}
