import { z } from 'zod';
import { containerPortName, dns1123Subdomain, ipAddress, objectMeta, portNumber, protocol, stringMap } from './fields.js';

/**
 * Pods and the objects that make them, as a repository holds them. Only what rulec reads is
 * checked (pod labels, replicas, container ports, the node name, a Pod's addresses and Ready
 * condition); every other field is left as written, whatever it holds. The apiVersion is checked
 * before (cluster.ts), so one schema serves a kind's current and older apiVersions.
 */

const containerPortSchema = z.object({
  containerPort: portNumber,
  name: containerPortName.nullish(),
  protocol: protocol.nullish(),
});

const containerSchema = z.object({
  ports: z.array(containerPortSchema).nullish(),
  /** `Always` on an init container makes it a sidecar, whose ports count as the pod's. */
  restartPolicy: z.string().nullish(),
});

const podSpecSchema = z.object({
  containers: z.array(containerSchema).nullish(),
  initContainers: z.array(containerSchema).nullish(),
  nodeName: dns1123Subdomain.nullish(),
});

const templateMeta = z.object({ labels: stringMap.nullish(), annotations: stringMap.nullish() });

export const podTemplateSpecSchema = z.object({
  metadata: templateMeta.nullish(),
  spec: podSpecSchema.nullish(),
});

const replicas = z.number().int().min(0);

/** Deployment, ReplicaSet, StatefulSet, DaemonSet and ReplicationController: `spec.template`, and `spec.replicas` (not read for a DaemonSet). */
export const controllerSchema = z.object({
  metadata: objectMeta,
  spec: z.object({ replicas: replicas.nullish(), template: podTemplateSpecSchema.nullish() }).nullish(),
});

const jobSpecSchema = z.object({ parallelism: replicas.nullish(), template: podTemplateSpecSchema.nullish() });

export const jobSchema = z.object({
  metadata: objectMeta,
  spec: jobSpecSchema.nullish(),
});

export const cronJobSchema = z.object({
  metadata: objectMeta,
  spec: z.object({ jobTemplate: z.object({ spec: jobSpecSchema.nullish() }).nullish() }).nullish(),
});

export const podSchema = z.object({
  metadata: objectMeta,
  spec: podSpecSchema.nullish(),
  status: z
    .object({
      podIP: ipAddress.or(z.literal('')).nullish(),
      podIPs: z.array(z.object({ ip: ipAddress })).nullish(),
      conditions: z.array(z.object({ type: z.string(), status: z.string() })).nullish(),
    })
    .nullish(),
});

export const podTemplateSchema = z.object({
  metadata: objectMeta,
  template: podTemplateSpecSchema.nullish(),
});

export type PodTemplateSpecObject = z.infer<typeof podTemplateSpecSchema>;
export type ControllerObject = z.infer<typeof controllerSchema>;
export type JobObject = z.infer<typeof jobSchema>;
export type CronJobObject = z.infer<typeof cronJobSchema>;
export type PodObject = z.infer<typeof podSchema>;
export type PodTemplateObject = z.infer<typeof podTemplateSchema>;
