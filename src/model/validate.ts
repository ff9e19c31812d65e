import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics.js';
import { locateIn, type ObjectSource } from './source-document.js';
import { prevalidator } from './schemas/prevalidate.js';
import { shortenTokens } from '../display-text.js';

/** Codes of input diagnostics. */
export const INPUT_CODES = {
  /** A field has the wrong type or is missing. */
  fieldType: 'RC100',
  /** A field has the right type but an invalid value (name, address, range…). */
  fieldValue: 'RC101',
  /** The same object twice. */
  duplicate: 'RC102',
  /** A known kind with an apiVersion rulec does not read. */
  apiVersion: 'RC103',
  /** Two settings that cannot hold together (flags and objects). */
  settings: 'RC104',
  /** Several Nodes and none chosen. */
  nodeChoice: 'RC105',
  /** (note) A cluster IP, NodePort or health-check NodePort the manifests leave out, allocated. */
  allocated: 'RC106',
  /** (note) Endpoints made from workloads for a Service the input gives none. */
  synthesised: 'RC107',
  /** (note) A NodePort a Service with a written cluster IP lacks, as a stored object: none allocated. */
  asStored: 'RC108',
} as const;

const VALUE_ISSUES = new Set(['custom', 'too_big', 'too_small', 'invalid_value', 'invalid_format']);

/** Parses `value` with `schema`, turning every issue into a positioned diagnostic. */
export function validateObject<T extends z.ZodType>(
  schema: T,
  value: unknown,
  src: ObjectSource,
  /** Names the object in messages (`Service ns/name`); called only when there is an issue. */
  what: () => string,
  diagnostics: Diagnostic[],
): z.infer<T> | null {
  // Nearly every object read is valid: the pre-check accepts those without zod's copy.
  if (prevalidator(schema)?.(value)) return value as z.infer<T>;
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.infer<T>;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    diagnostics.push({
      ...locateIn(src, path),
      severity: 'error',
      code: VALUE_ISSUES.has(issue.code) ? INPUT_CODES.fieldValue : INPUT_CODES.fieldType,
      message: `${what()}: ${shortenTokens(formatPath(path))}: ${shortenTokens(describeIssue(issue, valueAt(value, path)))}`,
    });
  }
  return null;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = Object.hasOwn(v, p) ? (v as Record<string | number, unknown>)[p] : undefined;
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

function describeIssue(issue: z.core.$ZodIssue, actual: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return actual === undefined ? `required ${issue.expected} is missing` : `expected ${issue.expected}, got ${typeName(actual)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${typeName(actual)}`;
    case 'invalid_union':
      return `${typeName(actual)} is not valid here`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}, got ${typeName(actual)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}, got ${typeName(actual)}`;
    case 'invalid_format':
      return `${typeName(actual)}: ${issue.message}`;
    default:
      return issue.message;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || '(object)';
}
