/**
 * A small JSON Schema (draft-04) checker, enough for the SARIF 2.1.0 schema: `type`,
 * `properties`, `required`, `additionalProperties`, `items`, `minItems`, `uniqueItems`, `enum`,
 * `minimum`, `maximum`, `pattern`, `format` (uri, uri-reference, date-time), `anyOf`, `oneOf`,
 * `allOf`, `not` and local `$ref`s. A keyword it does not know makes it fail loudly, so a
 * schema it cannot fully check never passes silently.
 */

export type Schema = { [key: string]: unknown };

const ANNOTATIONS = new Set(['$schema', 'id', 'title', 'description', 'default', 'definitions']);
const KNOWN = new Set([
  ...ANNOTATIONS,
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'uniqueItems',
  'enum',
  'minimum',
  'maximum',
  'pattern',
  'format',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  '$ref',
]);

export interface SchemaError {
  /** JSON pointer of the value. */
  path: string;
  message: string;
}

export function validateJson(value: unknown, root: Schema): SchemaError[] {
  const errors: SchemaError[] = [];
  check(value, root, root, '', errors);
  return errors;
}

function check(value: unknown, schema: Schema, root: Schema, path: string, errors: SchemaError[]): void {
  for (const key of Object.keys(schema)) {
    if (!KNOWN.has(key)) throw new Error(`schema keyword "${key}" at ${path || '/'} is not supported`);
  }
  if (typeof schema.$ref === 'string') {
    check(value, resolveRef(schema.$ref, root), root, path, errors);
    return;
  }
  const fail = (message: string) => errors.push({ path: path || '/', message });

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) {
      fail(`expected ${types.join(' or ')}, got ${typeName(value)}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) fail(`must be one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`must be >= ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`must be <= ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) fail(`does not match ${schema.pattern}`);
    if (typeof schema.format === 'string' && !checkFormat(schema.format, value)) fail(`is not a valid ${schema.format}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) fail(`needs at least ${schema.minItems} items`);
    if (schema.uniqueItems === true) {
      const seen = new Set<string>();
      for (const v of value) {
        const k = stableStringify(v);
        if (seen.has(k)) fail('items must be unique');
        seen.add(k);
      }
    }
    if (isSchema(schema.items)) value.forEach((v, i) => check(v, schema.items as Schema, root, `${path}/${i}`, errors));
  }
  if (isObject(value)) {
    const props = isSchema(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
    for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in value)) fail(`missing required property "${r}"`);
    for (const [k, v] of Object.entries(value)) {
      const p = props[k];
      if (p) check(v, p, root, `${path}/${escapePointer(k)}`, errors);
      else if (schema.additionalProperties === false) fail(`property "${k}" is not allowed`);
      else if (isSchema(schema.additionalProperties)) check(v, schema.additionalProperties as Schema, root, `${path}/${escapePointer(k)}`, errors);
    }
  }
  const passes = (s: Schema) => {
    const sub: SchemaError[] = [];
    check(value, s, root, path, sub);
    return sub.length === 0;
  };
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some(passes)) fail('matches none of anyOf');
  if (Array.isArray(schema.oneOf) && (schema.oneOf as Schema[]).filter(passes).length !== 1) fail('must match exactly one of oneOf');
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf as Schema[]) check(value, s, root, path, errors);
  if (isSchema(schema.not) && passes(schema.not as Schema)) fail('must not match "not"');
}

function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#')) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  if (!isSchema(node)) throw new Error(`unresolvable $ref ${ref}`);
  return node as Schema;
}

function checkFormat(format: string, v: string): boolean {
  switch (format) {
    case 'uri':
      return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(v);
    case 'uri-reference':
      return /^[^\s]*$/.test(v) && !/%(?![0-9A-Fa-f]{2})/.test(v);
    case 'date-time':
      return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v);
    default:
      throw new Error(`format "${format}" is not supported`);
  }
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      throw new Error(`type "${t}" is not supported`);
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSchema(v: unknown): boolean {
  return isObject(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function escapePointer(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}
