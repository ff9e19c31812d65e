import type { z } from 'zod';
import { CODE_FROM_TEXT_ALLOWED } from './code-from-text.js';

/**
 * A zero-copy pre-check for the input schemas. Parsing with zod copies every object it accepts
 * and, on a cold start, costs a third of a large compile; almost every object read is valid. So
 * each schema also gets a plain predicate, built once from the schema's own definition, that
 * answers "zod would accept this value as it is". When it says yes, the value is used as read;
 * when it says no (invalid, or a case it does not cover), zod parses the value and reports.
 *
 * The predicate is conservative: it never accepts what zod would reject or transform. Schema
 * kinds it does not know, checks it cannot read, and union members that transform make it say
 * no. A custom check (`superRefine`) is covered only through `withPredicate`, which states the
 * same rule as a plain function; the schema's own refinement should call that same function.
 */

type Predicate = (value: unknown) => boolean;

/** A schema as zod 4 describes itself (`_zod.def`), reduced to what is read here. */
interface SchemaDef {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, unknown>;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
}

interface CheckDef {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const customPredicates = new WeakMap<z.ZodType, Predicate>();
const compiled = new WeakMap<z.ZodType, Predicate | null>();

/**
 * Records `predicate` as the plain form of `schema`'s custom checks (its base type and any
 * built-in checks are still checked from the definition). Returns `schema`.
 */
export function withPredicate<T extends z.ZodType>(schema: T, predicate: (value: z.output<T>) => boolean): T {
  customPredicates.set(schema, predicate as Predicate);
  return schema;
}

/** The pre-check for `schema`, or null when the schema has parts it cannot check. */
export function prevalidator(schema: z.ZodType): Predicate | null {
  let p = compiled.get(schema);
  if (p === undefined) {
    p = build(schema);
    compiled.set(schema, p);
  }
  return p;
}

function traitsOf(schema: z.ZodType): ReadonlySet<string> {
  return (schema as unknown as { _zod: { traits: ReadonlySet<string> } })._zod.traits;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

function isRecordObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function build(schema: z.ZodType): Predicate | null {
  const def = defOf(schema);
  const base = buildBase(schema, def);
  if (!base) return null;
  const checks = buildChecks(schema, def);
  if (!checks) return null;
  if (checks.length === 0) return base;
  return (v) => {
    if (!base(v)) return false;
    for (const c of checks) if (!c(v)) return false;
    return true;
  };
}

function buildBase(schema: z.ZodType, def: SchemaDef): Predicate | null {
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v);
    }
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      // A numeric TypeScript enum maps names back too; only string enums are covered.
      if (values.some((x) => typeof x !== 'string')) return null;
      return (v) => values.includes(v);
    }
    case 'optional': {
      // `exactOptional` shares the kind but refuses an explicit undefined.
      if (traitsOf(schema).has('$ZodExactOptional')) return null;
      const inner = def.innerType && prevalidator(def.innerType);
      return inner ? (v) => v === undefined || inner(v) : null;
    }
    case 'nullable': {
      const inner = def.innerType && prevalidator(def.innerType);
      return inner ? (v) => v === null || inner(v) : null;
    }
    case 'array': {
      const element = def.element && prevalidator(def.element);
      if (!element) return null;
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (const item of v) if (!element(item)) return false;
        return true;
      };
    }
    case 'record': {
      // Keys from a parsed document are always strings; only a plain string key type is covered.
      if (!def.keyType || defOf(def.keyType).type !== 'string' || (defOf(def.keyType).checks ?? []).length > 0) return null;
      const value = def.valueType && prevalidator(def.valueType);
      if (!value) return null;
      return (v) => {
        // zod leaves a `__proto__` key out of the record it returns.
        if (!isRecordObject(v) || Object.hasOwn(v, '__proto__')) return false;
        for (const k in v) if (Object.hasOwn(v, k) && !value(v[k])) return false;
        return true;
      };
    }
    case 'object':
      return buildObject(def);
    case 'union': {
      const options = (def.options ?? []).map((o) => prevalidator(o));
      return (v) => {
        // zod takes the first member that accepts; a member that cannot be pre-checked may
        // accept (and transform) first, so the answer is no from there on.
        for (const o of options) {
          if (!o) return false;
          if (o(v)) return true;
        }
        return false;
      };
    }
    default:
      return null;
  }
}

/**
 * An object's predicate is generated as code, one statement per field, so that each field is
 * read at a site of its own (`v["spec"]`): a loop over the keys reads them all at one site,
 * which sees every key and every object shape and is several times slower on a large input.
 * Only the schema's own keys, quoted as JSON strings, go into the code.
 */
function buildObject(def: SchemaDef): Predicate | null {
  const keys: string[] = [];
  const fields: Predicate[] = [];
  for (const [key, fieldSchema] of Object.entries(def.shape ?? {})) {
    const p = prevalidator(fieldSchema);
    if (!p) return null;
    keys.push(key);
    fields.push(p);
  }
  // As zod does, an inherited value counts: `constructor` of a plain object reads Object's
  // constructor, which no field schema accepts.
  const source = [
    ...keys.map((_, i) => `const f${i} = fields[${i}];`),
    'return (v) => {',
    '  if (!isRecordObject(v)) return false;',
    ...keys.map((key, i) => `  if (!f${i}(v[${JSON.stringify(key)}])) return false;`),
    '  return true;',
    '};',
  ].join('\n');
  let make: ObjectPredicateFactory | undefined;
  if (codeFromText) {
    try {
      make = new Function('isRecordObject', 'fields', source) as ObjectPredicateFactory;
    } catch {
      codeFromText = false;
    }
  }
  if (!make) {
    // Where code cannot be made from text (a page whose Content-Security-Policy forbids it):
    // the same predicate as a loop.
    return (v) => {
      if (!isRecordObject(v)) return false;
      for (let i = 0; i < keys.length; i++) if (!(fields[i] as Predicate)(v[keys[i] as string])) return false;
      return true;
    };
  }
  return make(isRecordObject, fields);
}

/**
 * Whether code can be made from text here: not in the playground's page (`code-from-text.ts`), nor
 * where a try fails (a Content-Security-Policy forbids it); tried once.
 */
let codeFromText = CODE_FROM_TEXT_ALLOWED;

type ObjectPredicateFactory = (isRecord: typeof isRecordObject, fields: readonly Predicate[]) => Predicate;

function buildChecks(schema: z.ZodType, def: SchemaDef): Predicate[] | null {
  const out: Predicate[] = [];
  let custom = false;
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'custom') {
      custom = true;
      continue;
    }
    const p = builtInCheck(c);
    if (!p) return null;
    out.push(p);
  }
  if (custom) {
    const p = customPredicates.get(schema);
    if (!p) return null;
    out.push(p);
  }
  return out;
}

function builtInCheck(c: CheckDef): Predicate | null {
  switch (c.check) {
    case 'greater_than': {
      const min = c.value;
      if (typeof min !== 'number') return null;
      return c.inclusive ? (v) => (v as number) >= min : (v) => (v as number) > min;
    }
    case 'less_than': {
      const max = c.value;
      if (typeof max !== 'number') return null;
      return c.inclusive ? (v) => (v as number) <= max : (v) => (v as number) < max;
    }
    case 'number_format':
      return c.format === 'safeint' ? (v) => Number.isSafeInteger(v) : null;
    case 'string_format': {
      const pattern = c.format === 'regex' ? c.pattern : undefined;
      if (!pattern) return null;
      return (v) => {
        pattern.lastIndex = 0;
        return pattern.test(v as string);
      };
    }
    default:
      return null;
  }
}
