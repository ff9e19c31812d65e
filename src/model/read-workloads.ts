import type { Diagnostic } from '../diagnostics.js';
import { parseIp, type ParsedIp } from '../kube/ip.js';
import { locateIn, type ObjectSource } from './source-document.js';
import { INPUT_CODES, validateObject } from './validate.js';
import {
  controllerSchema,
  cronJobSchema,
  jobSchema,
  podSchema,
  podTemplateSchema,
  type PodTemplateSpecObject,
} from './schemas/workload.js';
import { READY_ANNOTATION, type Workload, type WorkloadKind, type WorkloadPort } from './workloads.js';

/**
 * The kinds of workloads read and the apiVersions read for each: the current one first (named in
 * the error for any other), then older ones repositories still hold. They are read the same way.
 */
export const WORKLOAD_APIS: ReadonlyMap<WorkloadKind, readonly string[]> = new Map<WorkloadKind, readonly string[]>([
  ['Deployment', ['apps/v1', 'apps/v1beta2', 'apps/v1beta1', 'extensions/v1beta1']],
  ['ReplicaSet', ['apps/v1', 'apps/v1beta2', 'apps/v1beta1', 'extensions/v1beta1']],
  ['StatefulSet', ['apps/v1', 'apps/v1beta2', 'apps/v1beta1', 'extensions/v1beta1']],
  ['DaemonSet', ['apps/v1', 'apps/v1beta2', 'apps/v1beta1', 'extensions/v1beta1']],
  ['Job', ['batch/v1']],
  ['CronJob', ['batch/v1', 'batch/v1beta1']],
  ['ReplicationController', ['v1']],
  ['Pod', ['v1']],
  ['PodTemplate', ['v1']],
]);

export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return WORKLOAD_APIS.has(kind as WorkloadKind);
}

/**
 * Reads one workload object (its kind and apiVersion already checked): the labels and ports of
 * the pods it makes, and how many. Invalid fields are reported, positioned, and give null.
 */
export function readWorkload(kind: WorkloadKind, v: unknown, src: ObjectSource, what: () => string, diagnostics: Diagnostic[]): Workload | null {
  switch (kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicationController': {
      const o = validateObject(controllerSchema, v, src, what, diagnostics);
      if (!o) return null;
      const replicas = kind === 'DaemonSet' ? null : (o.spec?.replicas ?? 1);
      return fromTemplate(kind, o.metadata, replicas, o.spec?.template, src, what, diagnostics);
    }
    case 'Job': {
      const o = validateObject(jobSchema, v, src, what, diagnostics);
      if (!o) return null;
      return fromTemplate(kind, o.metadata, o.spec?.parallelism ?? 1, o.spec?.template, src, what, diagnostics);
    }
    case 'CronJob': {
      const o = validateObject(cronJobSchema, v, src, what, diagnostics);
      if (!o) return null;
      const job = o.spec?.jobTemplate?.spec;
      return fromTemplate(kind, o.metadata, job?.parallelism ?? 1, job?.template, src, what, diagnostics);
    }
    case 'PodTemplate': {
      // A PodTemplate makes no pod itself; read as the one pod of its template.
      const o = validateObject(podTemplateSchema, v, src, what, diagnostics);
      if (!o) return null;
      return fromTemplate(kind, o.metadata, 1, o.template, src, what, diagnostics);
    }
    case 'Pod': {
      const o = validateObject(podSchema, v, src, what, diagnostics);
      if (!o) return null;
      const status = o.status;
      const written = status?.podIPs && status.podIPs.length > 0 ? status.podIPs.map((p) => p.ip) : status?.podIP ? [status.podIP] : [];
      const podIPs = written.map((t) => parseIp(t)).filter((ip): ip is ParsedIp => ip !== null);
      const condition = status?.conditions?.find((c) => c.type === 'Ready');
      const annotated = readyAnnotation(o.metadata.annotations, src, what, diagnostics);
      return {
        kind,
        namespace: o.metadata.namespace ?? 'default',
        name: o.metadata.name,
        replicas: 1,
        labels: o.metadata.labels ?? {},
        ports: podPorts(o.spec),
        nodeName: o.spec?.nodeName ?? null,
        podIPs,
        ready: condition ? condition.status === 'True' : annotated,
        src,
      };
    }
  }
}

function fromTemplate(
  kind: WorkloadKind,
  metadata: { name: string; namespace?: string | undefined; annotations?: Record<string, string> | null | undefined },
  replicas: number | null,
  template: PodTemplateSpecObject | null | undefined,
  src: ObjectSource,
  what: () => string,
  diagnostics: Diagnostic[],
): Workload {
  return {
    kind,
    namespace: metadata.namespace ?? 'default',
    name: metadata.name,
    replicas,
    labels: template?.metadata?.labels ?? {},
    ports: podPorts(template?.spec),
    nodeName: template?.spec?.nodeName ?? null,
    podIPs: [],
    ready: readyAnnotation(metadata.annotations, src, what, diagnostics),
    src,
  };
}

type PodSpec = NonNullable<PodTemplateSpecObject['spec']>;

/**
 * The ports a named targetPort is looked up in, in the endpoint controller's order: every
 * container's, then those of sidecars (init containers with `restartPolicy: Always`).
 */
function podPorts(spec: PodSpec | null | undefined): WorkloadPort[] {
  const out: WorkloadPort[] = [];
  const add = (c: NonNullable<PodSpec['containers']>[number]) => {
    for (const p of c.ports ?? []) out.push({ name: p.name ?? '', containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' });
  };
  for (const c of spec?.containers ?? []) add(c);
  for (const c of spec?.initContainers ?? []) if (c.restartPolicy === 'Always') add(c);
  return out;
}

/** `rulec.io/ready`: "false" makes the pods not ready, "true" (or none) ready; anything else is an error (and reads as ready). */
function readyAnnotation(annotations: Record<string, string> | null | undefined, src: ObjectSource, what: () => string, diagnostics: Diagnostic[]): boolean {
  const value = annotations?.[READY_ANNOTATION];
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  diagnostics.push({
    ...locateIn(src, ['metadata', 'annotations', READY_ANNOTATION]),
    severity: 'error',
    code: INPUT_CODES.fieldValue,
    message: `${what()}: annotation ${READY_ANNOTATION}: expected "true" or "false", got ${JSON.stringify(value.slice(0, 40))}`,
  });
  return true;
}

/** Where a workload's pod spec is in its object (`['spec', 'template', 'spec']` for a Deployment). */
export function podSpecPath(kind: WorkloadKind): (string | number)[] {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'PodTemplate':
      return ['template', 'spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return ['spec', 'template', 'spec'];
  }
}

/** Where the field its `replicas` was read from is (`spec.parallelism` of a Job), or null for kinds that have none. */
export function replicasPath(kind: WorkloadKind): (string | number)[] | null {
  switch (kind) {
    case 'Pod':
    case 'PodTemplate':
    case 'DaemonSet':
      return null;
    case 'Job':
      return ['spec', 'parallelism'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'parallelism'];
    default:
      return ['spec', 'replicas'];
  }
}
