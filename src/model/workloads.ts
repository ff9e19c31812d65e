import type { ParsedIp } from '../kube/ip.js';
import type { Protocol } from './cluster.js';
import type { ObjectSource } from './source-document.js';

/**
 * Pods and the objects that make them, as a repository holds them: what the endpoint controller
 * would turn into endpoints when the input has no EndpointSlice or Endpoints for a Service.
 */
export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'ReplicationController' | 'Pod' | 'PodTemplate';

/** The annotation that makes a workload's pods not ready: `rulec.io/ready: "false"`. */
export const READY_ANNOTATION = 'rulec.io/ready';

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

/** Whether a Service's selector picks pods with these labels: every key with its value (an empty selector picks none, as for endpoints). */
export function selectorMatches(selector: Readonly<Record<string, string>> | null, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  return keys.every((k) => Object.hasOwn(labels, k) && labels[k] === selector[k]);
}

/**
 * The pod port a Service port sends to, as the endpoint controller finds it: a number is itself
 * (unset: the Service port); a name is the first container port of that name and protocol, or
 * null when the pod has none (the endpoint is then left out for that port).
 */
export function resolveTargetPort(targetPort: number | string | null, servicePort: number, protocol: Protocol, ports: readonly WorkloadPort[]): number | null {
  if (targetPort === null) return servicePort;
  if (typeof targetPort === 'number') return targetPort;
  return ports.find((p) => p.name === targetPort && p.protocol === protocol)?.containerPort ?? null;
}
