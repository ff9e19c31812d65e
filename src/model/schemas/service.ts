import { z } from 'zod';
import {
  cidr,
  dns1035Label,
  dns1123Label,
  targetPortName,
  ipAddress,
  objectMeta,
  optionalPortNumber,
  portNumber,
  protocol,
  stringMap,
} from './fields.js';
import { withPredicate } from './prevalidate.js';

export const servicePortSchema = z.object({
  name: dns1123Label.or(z.literal('')).nullish(),
  protocol: protocol.nullish(),
  port: portNumber,
  // A string is a port name, as Kubernetes reads it ("80" in quotes is a name, and not a valid one).
  targetPort: z.union([portNumber, targetPortName]).nullish(),
  nodePort: optionalPortNumber.nullish(),
  appProtocol: z.string().nullish(),
});

const serviceSpecShape = z.object({
  type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).nullish(),
  clusterIP: z.union([z.literal('None'), z.literal(''), ipAddress]).nullish(),
  clusterIPs: z.array(z.union([z.literal('None'), ipAddress])).nullish(),
  ipFamilies: z.array(z.enum(['IPv4', 'IPv6'])).nullish(),
  ipFamilyPolicy: z.enum(['SingleStack', 'PreferDualStack', 'RequireDualStack']).nullish(),
  externalIPs: z.array(ipAddress).nullish(),
  externalName: z.string().nullish(),
  externalTrafficPolicy: z.enum(['Cluster', 'Local', 'Global']).nullish(),
  internalTrafficPolicy: z.enum(['Cluster', 'Local']).nullish(),
  healthCheckNodePort: optionalPortNumber.nullish(),
  allocateLoadBalancerNodePorts: z.boolean().nullish(),
  loadBalancerSourceRanges: z.array(cidr).nullish(),
  loadBalancerIP: z.string().nullish(),
  sessionAffinity: z.enum(['None', 'ClientIP']).nullish(),
  sessionAffinityConfig: z
    .object({ clientIP: z.object({ timeoutSeconds: z.number().int().min(1).max(86400).nullish() }).nullish() })
    .nullish(),
  ports: z.array(servicePortSchema).nullish(),
  selector: stringMap.nullish(),
  publishNotReadyAddresses: z.boolean().nullish(),
  trafficDistribution: z.string().nullish(),
});

/**
 * Port-name rules of a Service: names are unique, and every port is named when there are
 * several. The issues as `[index, message]`.
 */
function portNameIssues(ports: readonly { name?: string | null }[] | null | undefined): [number, string][] {
  const issues: [number, string][] = [];
  if (!ports) return issues;
  const seen = new Map<string, number>();
  ports.forEach((p, i) => {
    const key = p.name ?? '';
    const prev = seen.get(key);
    if (prev !== undefined) issues.push([i, `duplicate port name ${JSON.stringify(key)} (also ports[${prev}])`]);
    else seen.set(key, i);
  });
  if (ports.length > 1) {
    ports.forEach((p, i) => {
      if (!p.name) issues.push([i, 'a Service with several ports must name every port']);
});
  }
  return issues;
}

const serviceSpecSchema = withPredicate(
  serviceSpecShape.superRefine((spec, ctx) => {
    for (const [i, message] of portNameIssues(spec.ports)) ctx.addIssue({ code: 'custom', path: ['ports', i, 'name'], message });
  }),
  (spec) => portNameIssues(spec.ports).length === 0,
);

export const serviceSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata: objectMeta.extend({ name: dns1035Label }),
  spec: serviceSpecSchema,
  status: z
    .object({
      loadBalancer: z
        .object({
          ingress: z
            .array(z.object({ ip: ipAddress.nullish(), hostname: z.string().nullish(), ipMode: z.enum(['VIP', 'Proxy']).nullish() }))
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

export type ServiceObject = z.infer<typeof serviceSchema>;
