/**
 * One Service with `ports` ports and one EndpointSlice of `endpoints` ready endpoints serving
 * all of them, as a `kind: List` in JSON: a small input whose rules grow with ports × endpoints
 * (about 300 bytes per pair).
 */
export function wideService(ports: number, endpoints: number): string {
  const portNames = Array.from({ length: ports }, (_, k) => `p${k}`);
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'wide', namespace: 'default' },
    spec: { clusterIP: '10.96.0.10', ports: portNames.map((name, k) => ({ name, port: 1000 + k, targetPort: 20000 + k, protocol: 'TCP' })) },
  };
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'wide-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'wide' } },
    addressType: 'IPv4',
    endpoints: Array.from({ length: endpoints }, (_, k) => ({ addresses: [`10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`], conditions: { ready: true } })),
    ports: portNames.map((name, k) => ({ name, port: 20000 + k, protocol: 'TCP' })),
  };
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [service, slice] });
}
