import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readDocuments } from '../read-documents.js';
import { endpointSliceSchema, endpointsSchema } from './endpoints.js';
import { kubeProxyConfigSchema } from './kube-proxy-config.js';
import { nodeSchema } from './node.js';
import { prevalidator, withPredicate } from './prevalidate.js';
import { serviceSchema } from './service.js';
import { controllerSchema, cronJobSchema, jobSchema, podSchema, podTemplateSchema } from './workload.js';
import { vectors } from '../../../test/support/vectors.js';

const SCHEMAS: Record<string, z.ZodType> = {
  Service: serviceSchema,
  EndpointSlice: endpointSliceSchema,
  Endpoints: endpointsSchema,
  Node: nodeSchema,
  KubeProxyConfiguration: kubeProxyConfigSchema,
  Deployment: controllerSchema,
  Job: jobSchema,
  CronJob: cronJobSchema,
  Pod: podSchema,
  PodTemplate: podTemplateSchema,
};

function check(schema: z.ZodType): (v: unknown) => boolean {
  const p = prevalidator(schema);
  if (!p) throw new Error('schema has no pre-check');
  return p;
}

const validService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations: { note: 'x' } },
  spec: {
    type: 'LoadBalancer',
    clusterIP: '172.30.0.10',
    clusterIPs: ['172.30.0.10'],
    ipFamilies: ['IPv4'],
    externalIPs: ['192.0.2.7'],
    externalTrafficPolicy: 'Local',
    loadBalancerSourceRanges: ['203.0.113.0/24'],
    sessionAffinity: 'ClientIP',
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
    ports: [
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http-alt', nodePort: 30080 },
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 5353 },
    ],
    selector: { app: 'web' },
  },
  status: { loadBalancer: { ingress: [{ ip: '198.51.100.4' }] } },
};

const validSlice = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: [
    { addresses: ['10.1.0.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-a', zone: 'z1' },
    { addresses: ['10.1.0.6'], conditions: { ready: false }, hints: { forZones: [{ name: 'z1' }] } },
  ],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
};

/** Values that sit on the edges of the schemas' rules. */
const EDGE_VALUES: unknown[] = [
  null, true, false, 0, -1, 1, 1.5, 65535, 65536, 86401, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY,
  '', 'None', 'http', 'HTTP', '8080', 'a--b', 'x'.repeat(64), '10.0.0.1', '10.0.0.256', '::1', '10.0.0.0/8', ' 10.0.0.0/8',
  'a" -j ACCEPT\n-A INPUT', 'TCP', 'SCTP', 'tcp', 'IPv6', 'FQDN', 'Local', 'v1', [], [1], ['10.0.0.1'], {}, { name: 'a' },
  new Date(0),
];

/** Every path to a value inside `v`, objects and arrays included. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) v.forEach((item, i) => out.push(...paths(item, [...prefix, i])));
  else if (typeof v === 'object' && v !== null && !(v instanceof Date)) {
    for (const [k, item] of Object.entries(v)) out.push(...paths(item, [...prefix, k]));
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as object) }) as Record<string | number, unknown>;
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

/** A valid object with a few of its values, or a new key, replaced by edge values. */
function mutated(base: object): fc.Arbitrary<unknown> {
  const all = paths(base).filter((p) => p.length > 0);
  const edit = fc.tuple(fc.constantFrom(...all), fc.constantFrom(...EDGE_VALUES), fc.boolean(), fc.constantFrom('extra', 'name', 'port'));
  return fc.array(edit, { maxLength: 3 }).map((edits) => {
    let v: unknown = base;
    for (const [path, value, newKey, key] of edits) v = setAt(v, newKey ? [...path.slice(0, -1), key] : path, value);
    return v;
  });
}

describe('prevalidator', () => {
  it('builds a pre-check for every input schema', () => {
    for (const schema of Object.values(SCHEMAS)) expect(prevalidator(schema)).toBeTypeOf('function');
  });

  it.each([
    ['Service', serviceSchema, validService],
    ['EndpointSlice', endpointSliceSchema, validSlice],
  ] as const)('never accepts what zod rejects or changes (%s, property)', (_kind, schema, base) => {
    const pre = check(schema);
    let accepted = 0;
    fc.assert(
      fc.property(mutated(base), (v) => {
        if (!pre(v)) return;
        accepted++;
        const result = schema.safeParse(v);
        expect(result.success).toBe(true);
        // zod drops keys it does not know; with those dropped, it returns the value unchanged.
        expect(result.data).toEqual(stripUnknown(schema, v));
      }),
      { numRuns: 1500 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('accepts every object of the examples and the conformance inputs that zod accepts', () => {
    const inputs = ['examples', ...['iptables', 'ipvs'].flatMap((m) => vectors(m).map((v) => v.input))];
    const read = readDocuments(inputs, () => '');
    let seen = 0;
    for (const { value } of read.objects) {
      const kind = (value as { kind?: string }).kind ?? '';
      const schema = SCHEMAS[kind];
      if (!schema || !schema.safeParse(value).success) continue;
      seen++;
      expect({ kind, accepted: check(schema)(value) }).toEqual({ kind, accepted: true });
    }
    expect(seen).toBeGreaterThan(100);
  });

  it('says no to a numeric-string targetPort, as zod does: a string is a port name', () => {
    const v = setAt(validService, ['spec', 'ports', 1, 'targetPort'], '8080');
    expect(serviceSchema.safeParse(v).success).toBe(false);
    expect(check(serviceSchema)(v)).toBe(false);
  });

  it('applies the port-name rule of a Service spec', () => {
    expect(check(serviceSchema)(setAt(validService, ['spec', 'ports', 1, 'name'], 'http'))).toBe(false);
    expect(check(serviceSchema)(setAt(validService, ['spec', 'ports', 1, 'name'], ''))).toBe(false);
    expect(check(serviceSchema)(validService)).toBe(true);
  });

  it('has no pre-check for a custom rule without its predicate, nor for unknown kinds', () => {
    expect(prevalidator(z.string().superRefine(() => undefined))).toBeNull();
    expect(prevalidator(z.object({ a: z.string().transform(Number) }))).toBeNull();
    expect(prevalidator(z.date())).toBeNull();
    expect(prevalidator(z.string().email())).toBeNull();
  });

  it('checks a custom rule through its predicate, with the built-in checks', () => {
    const even = withPredicate(
      z.number().int().max(10).superRefine((n, ctx) => {
        if (n % 2 !== 0) ctx.addIssue({ code: 'custom', message: 'odd' });
      }),
      (n) => n % 2 === 0,
    );
    const pre = check(even);
    expect([4, 5, 12, 4.5, '4'].map(pre)).toEqual([true, false, false, false, false]);
  });

  it('says no to a `__proto__` key in a map, which zod leaves out', () => {
    const v = setAt(validService, ['spec', 'selector'], JSON.parse('{"__proto__": "x", "app": "web"}'));
    expect((serviceSchema.safeParse(v).data as { spec: { selector: object } }).spec.selector).toEqual({ app: 'web' });
    expect(check(serviceSchema)(v)).toBe(false);
  });

  it('reads fields as zod does, inherited ones too, whatever the key', () => {
    const odd = z.object({
      constructor: z.string().optional(),
      toString: z.number().optional(),
      'a"b\n}); throw 1; //': z.string(),
      '': z.boolean().optional(),
    });
    const pre = check(odd);
    const values: unknown[] = [
      { 'a"b\n}); throw 1; //': 'x' },
      { 'a"b\n}); throw 1; //': 'x', constructor: 'c', toString: 2, '': true },
      { 'a"b\n}); throw 1; //': 'x', constructor: 5 },
      { 'a"b\n}); throw 1; //': 'x', '': 'no' },
      { constructor: 'c' },
      Object.assign(Object.create(null) as object, { 'a"b\n}); throw 1; //': 'x' }),
    ];
    expect(values.map(pre)).toEqual([false, true, false, false, false, true]);
    expect(values.map((v) => odd.safeParse(v).success)).toEqual([false, true, false, false, false, true]);
  });

  it('has no pre-check for numeric enums or exactOptional', () => {
    enum Num {
      A,
      B,
    }
    expect(prevalidator(z.enum(Num))).toBeNull();
    expect(prevalidator(z.object({ a: z.string().exactOptional() }))).toBeNull();
  });

  it('takes union members in order and stops at one it cannot check', () => {
    const pre = check(z.union([z.literal('a'), z.string().transform((s) => s.length), z.string()]));
    expect(pre('a')).toBe(true);
    expect(pre('b')).toBe(false);
  });
});

/** `v` with the keys `schema` does not declare removed, as zod's parse returns it. */
function stripUnknown(schema: z.ZodType, v: unknown): unknown {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
      return v === undefined || v === null ? v : stripUnknown(def.innerType as z.ZodType, v);
    case 'array':
      return (v as unknown[]).map((item) => stripUnknown(def.element as z.ZodType, item));
    case 'union':
      return v;
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        if (k in shape && shape[k]) out[k] = stripUnknown(shape[k], item);
      }
      return out;
    }
    default:
      return v;
  }
}
