import { z } from 'zod';
import { cidr, objectMeta } from './fields.js';

export const nodeSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Node'),
  metadata: objectMeta,
  spec: z.object({ podCIDR: cidr.nullish(), podCIDRs: z.array(cidr).nullish() }).nullish(),
  status: z
    .object({
      addresses: z.array(z.object({ type: z.string(), address: z.string() })).nullish(),
    })
    .nullish(),
});

export type NodeObject = z.infer<typeof nodeSchema>;
