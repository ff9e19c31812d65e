import { z } from 'zod';
import {
  cidr,
  dns1035Label,
  dns1123Label,
  ianaServiceName,
  ipAddress,
  objectMeta,
  optionalPortNumber,
  portNumber,
  protocol,
  stringMap,
} from './fields.js';

export const servicePortSchema = z.object({
  name: dns1123Label.or(z.literal('')).nullish(),
  protocol: protocol.nullish(),
  port: portNumber,
  targetPort: z.union([portNumber, ianaServiceName, z.string().regex(/^\d+$/).transform(Number)]).nullish(),
  nodePort: optionalPortNumber.nullish(),
  appProtocol: z.string().nullish(),
});

export const serviceSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata: objectMeta.extend({ name: dns1035Label }),
  spec: z
    .object({
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
    })
    .superRefine((spec, ctx) => {
      const seen = new Map<string, number>();
      (spec.ports ?? []).forEach((p, i) => {
        const key = p.name ?? '';
        const prev = seen.get(key);
        if (prev !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['ports', i, 'name'], message: `duplicate port name ${JSON.stringify(key)} (also ports[${prev}])` });
        } else seen.set(key, i);
      });
      if ((spec.ports?.length ?? 0) > 1) {
        (spec.ports ?? []).forEach((p, i) => {
          if (!p.name) ctx.addIssue({ code: 'custom', path: ['ports', i, 'name'], message: 'a Service with several ports must name every port' });
        });
      }
    }),
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
