import { z } from 'zod';
import { dns1123Label, dns1123Subdomain, objectMeta, protocol } from './fields.js';

const endpointPortSchema = z.object({
  name: dns1123Label.or(z.literal('')).nullish(),
  port: z.number().int().min(0).max(65535).nullish(),
  protocol: protocol.nullish(),
  appProtocol: z.string().nullish(),
});

/** Addresses are checked against the slice's addressType after parsing (see cluster.ts). */
export const endpointSliceSchema = z.object({
  apiVersion: z.literal('discovery.k8s.io/v1'),
  kind: z.literal('EndpointSlice'),
  metadata: objectMeta,
  addressType: z.enum(['IPv4', 'IPv6', 'FQDN']),
  endpoints: z
    .array(
      z.object({
        addresses: z.array(z.string()),
        conditions: z
          .object({ ready: z.boolean().nullish(), serving: z.boolean().nullish(), terminating: z.boolean().nullish() })
          .nullish(),
        nodeName: dns1123Subdomain.nullish(),
        zone: z.string().nullish(),
        hostname: z.string().nullish(),
        hints: z
          .object({
            forZones: z.array(z.object({ name: z.string() })).nullish(),
            forNodes: z.array(z.object({ name: z.string() })).nullish(),
          })
          .nullish(),
      }),
    )
    .nullish(),
  ports: z.array(endpointPortSchema).nullish(),
});

const endpointAddressSchema = z.object({
  ip: z.string(),
  nodeName: dns1123Subdomain.nullish(),
  hostname: z.string().nullish(),
});

export const endpointsSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Endpoints'),
  metadata: objectMeta,
  subsets: z
    .array(
      z.object({
        addresses: z.array(endpointAddressSchema).nullish(),
        notReadyAddresses: z.array(endpointAddressSchema).nullish(),
        ports: z.array(endpointPortSchema.extend({ port: z.number().int().min(1).max(65535) })).nullish(),
      }),
    )
    .nullish(),
});

export type EndpointSliceObject = z.infer<typeof endpointSliceSchema>;
export type EndpointsObject = z.infer<typeof endpointsSchema>;
