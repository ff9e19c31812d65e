import type { Cluster, Service } from '../../model/cluster.js';
import { podSpecPath } from '../../model/read-workloads.js';
import { locateIn } from '../../model/source-document.js';
import { selectorMatches, type Workload, type WorkloadPort } from '../../model/workloads.js';
import type { ManifestModel } from '../manifests.js';
import type { Span } from '../types.js';

/**
 * What the workload rules share: which workloads a Service selects (through `selectorMatches`,
 * the one matcher), whether the input itself gives a Service endpoints, and where a workload's
 * fields are.
 */

/** `Deployment ns/name`. */
export function workloadName(w: Workload): string {
  return `${w.kind} ${w.namespace}/${w.name}`;
}

/** A selector as kubectl prints one: `app=web,tier=front`. */
export function selectorText(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Whether the Service selects pods: it has a selector with a key, and is no ExternalName. */
export function selects(svc: Service): svc is Service & { selector: Record<string, string> } {
  return svc.type !== 'ExternalName' && svc.selector !== null && Object.keys(svc.selector).length > 0;
}

/** The workloads of the Service's namespace whose pods its selector picks. */
export function selectedBy(cluster: Cluster, svc: Service): Workload[] {
  return cluster.workloads.filter((w) => w.namespace === svc.namespace && selectorMatches(svc.selector, w.labels));
}

/**
 * Whether the input holds an EndpointSlice or Endpoints object for the Service (the model may
 * also hold endpoints made from the workloads; those are not counted).
 */
export function hasEndpointObjects(model: ManifestModel, svc: Service): boolean {
  return model.cluster.slices.some((s) => {
    if (s.namespace !== svc.namespace || s.serviceName !== svc.name) return false;
    const raw = model.raw(s.src);
    const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
    return kind === 'EndpointSlice' || kind === 'Endpoints';
  });
}

/** Where a field of a workload is. */
export function workloadAt(w: Workload, path: (string | number)[]): Span {
  return locateIn(w.src, path);
}

/**
 * The path of a container port in the workload's object: the first port with its name, number
 * and protocol among the containers, then the sidecars, as the ports were read.
 */
export function containerPortPath(model: ManifestModel, w: Workload, port: WorkloadPort): (string | number)[] {
  const base = podSpecPath(w.kind);
  let spec: unknown = model.raw(w.src);
  for (const p of base) spec = typeof spec === 'object' && spec !== null ? (spec as Record<string | number, unknown>)[p] : undefined;
  const list = (field: string): unknown[] => {
    const v = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>)[field] : undefined;
    return Array.isArray(v) ? (v as unknown[]) : [];
  };
  for (const field of ['containers', 'initContainers']) {
    const containers = list(field);
    for (let i = 0; i < containers.length; i++) {
      const c = containers[i] as { ports?: unknown; restartPolicy?: unknown } | null;
      if (field === 'initContainers' && c?.restartPolicy !== 'Always') continue;
      const ports = Array.isArray(c?.ports) ? (c.ports as { name?: unknown; containerPort?: unknown; protocol?: unknown }[]) : [];
      const j = ports.findIndex((p) => (p.name ?? '') === port.name && p.containerPort === port.containerPort && (p.protocol ?? 'TCP') === port.protocol);
      if (j >= 0) return [...base, field, i, 'ports', j, port.name ? 'name' : 'containerPort'];
    }
  }
  return base;
}

/**
 * The Services a repository leaves without backends: a selector that picks no workload of their
 * namespace, and no EndpointSlice or Endpoints of their own. None when the manifests hold no
 * workload at all (then they say nothing about selectors).
 */
export function servicesWithoutBackends(model: ManifestModel): (Service & { selector: Record<string, string> })[] {
  const { cluster } = model;
  if (cluster.workloads.length === 0) return [];
  return cluster.services.filter(selects).filter((svc) => selectedBy(cluster, svc).length === 0 && !hasEndpointObjects(model, svc));
}
