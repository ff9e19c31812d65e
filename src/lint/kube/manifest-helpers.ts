import type { Service } from '../../model/cluster.js';
import { locateIn } from '../../model/source-document.js';
import type { ManifestModel } from '../manifests.js';
import type { Span } from '../types.js';

/** `ns/name` of a service. */
export function serviceName(svc: Service): string {
  return `${svc.namespace}/${svc.name}`;
}

/** `ns/name:port` (or `ns/name` for an unnamed port), as kube-proxy names service ports. */
export function servicePortLabel(svc: Service, portName: string): string {
  return portName ? `${svc.namespace}/${svc.name}:${portName}` : `${svc.namespace}/${svc.name}`;
}

/** A field of a service as written (`spec.externalTrafficPolicy`…), before defaults. */
export function rawSpecField(model: ManifestModel, svc: Service, field: string): unknown {
  const raw = model.raw(svc.src);
  if (typeof raw !== 'object' || raw === null) return undefined;
  const spec = (raw as { spec?: unknown }).spec;
  if (typeof spec !== 'object' || spec === null) return undefined;
  return (spec as Record<string, unknown>)[field];
}

/** Where a field of a service is, e.g. `['spec', 'ports', 0, 'nodePort']`. */
export function at(svc: Service, path: (string | number)[]): Span {
  return locateIn(svc.src, path);
}

/** `file:line` of a service, for messages that name another object. */
export function where(svc: Service, path: (string | number)[] = ['metadata', 'name']): string {
  const p = locateIn(svc.src, path);
  return `${p.file}:${p.line}`;
}
