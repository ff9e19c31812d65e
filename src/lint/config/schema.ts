import { basename } from 'node:path';
import { z } from 'zod';
import type { Diagnostic } from '../../diagnostics.js';
import { parseCidr, parseIp } from '../../kube/ip.js';
import { SourceDocument } from '../../model/source-document.js';
import { parsePortRange } from '../../model/node-flags.js';
import { LINT_CODES } from '../codes.js';
import { ruleById } from '../rules/index.js';
import type { SeveritySetting } from '../types.js';
import type { LoadedConfig } from './loader.js';
import { PACKAGE_PROP } from './loader.js';
import { defaultConfig, type LintConfig } from './types.js';

/**
 * The configuration file's schema:
 *
 * ```yaml
 * rules:                      # severities: error, warn (warning), off (or 2, 1, 0)
 *   duplicate-rule: off
 *   stale-sep: error
 * node:
 *   name: node-1              # decides which endpoints are local
 *   ips: [192.168.0.2]
 * clusterCIDR: 10.244.0.0/16  # pod CIDR(s), comma separated
 * serviceCIDR: 10.96.0.0/12   # or serviceCIDRs: [10.96.0.0/12, fd00:96::/108]
 * nodePortRange: 30000-32767
 * ```
 */

const severity = z.union([z.enum(['off', 'warn', 'warning', 'error']), z.literal(0), z.literal(1), z.literal(2)]);

const cidr = z.string().refine((s) => s.split(',').every((p) => parseCidr(p.trim()) !== null), { message: 'not a CIDR' });

export const configSchema = z
  .object({
    rules: z.record(z.string(), severity).optional(),
    node: z
      .object({
        name: z.string().min(1).optional(),
        ips: z.array(z.string().refine((s) => parseIp(s) !== null, { message: 'not an IP address' })).optional(),
      })
      .strict()
      .optional(),
    clusterCIDR: cidr.optional(),
    serviceCIDR: cidr.optional(),
    serviceCIDRs: z.array(cidr).optional(),
    nodePortRange: z
      .string()
      .regex(/^\d{1,5}-\d{1,5}$/, 'expected a range like 30000-32767')
      .refine((s) => parsePortRange(s) !== null, { message: 'not a valid port range' })
      .optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configSchema>;

/** `error`, `warn`/`warning`/1, `off`/0 as the runner's severities. */
export function normalizeSeverity(v: string | number): SeveritySetting | undefined {
  if (v === 'off' || v === 0) return 'off';
  if (v === 'warn' || v === 'warning' || v === 1) return 'warning';
  if (v === 'error' || v === 2) return 'error';
  return undefined;
}

/** Checks a loaded configuration and turns it into the runner's form, with positioned problems. */
export function resolveConfigFile(loaded: LoadedConfig | null): { config: LintConfig; diagnostics: Diagnostic[] } {
  const config = defaultConfig();
  const diagnostics: Diagnostic[] = [];
  if (!loaded || loaded.isEmpty || loaded.config === undefined || loaded.config === null) return { config, diagnostics };
  const file = loaded.filepath;
  const prefix = basename(file) === 'package.json' ? [PACKAGE_PROP] : [];
  const doc = loaded.text !== undefined ? new SourceDocument(file, loaded.text, 0) : undefined;
  const where = (path: (string | number)[]) => (doc ? doc.locate([...prefix, ...path]) : { line: 1, column: 1 });
  const parsed = configSchema.safeParse(loaded.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      diagnostics.push({
        file,
        ...where(path),
        severity: 'error',
        code: LINT_CODES.config,
        message: `configuration: ${path.join('.') || '(top level)'}: ${issue.message}${keys}`,
      });
    }
    return { config, diagnostics };
  }
  const c = parsed.data;
  for (const [id, sev] of Object.entries(c.rules ?? {})) {
    if (!ruleById(id)) {
      diagnostics.push({ file, ...where(['rules', id]), severity: 'error', code: LINT_CODES.unknownRule, message: `configuration: no lint rule is called "${id}"` });
      continue;
    }
    const s = normalizeSeverity(sev);
    if (s) config.rules[id] = s;
  }
  if (c.node?.name !== undefined) config.settings.nodeName = c.node.name;
  if (c.node?.ips !== undefined) config.settings.nodeIPs = c.node.ips;
  if (c.clusterCIDR !== undefined) config.settings.clusterCIDR = c.clusterCIDR;
  const serviceCIDRs = [...(c.serviceCIDR ? c.serviceCIDR.split(',') : []), ...(c.serviceCIDRs ?? []).flatMap((s) => s.split(','))].map((s) => s.trim());
  if (serviceCIDRs.length > 0) config.settings.serviceCIDRs = serviceCIDRs;
  const range = c.nodePortRange === undefined ? null : parsePortRange(c.nodePortRange);
  if (range) config.settings.nodePortRange = range;
  return { config, diagnostics };
}

/** Applies `--rule ID=off|warn|error` flags over a configuration. */
export function applyRuleFlags(config: LintConfig, flags: readonly string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const flag of flags) {
    const m = /^([a-z0-9-]+)=(off|warn|warning|error|0|1|2)$/.exec(flag.trim());
    if (!m) {
      diagnostics.push({ file: '<flags>', line: 1, column: 1, severity: 'error', code: LINT_CODES.config, message: `--rule ${JSON.stringify(flag)}: expected ID=off|warn|error` });
      continue;
    }
    const id = m[1] as string;
    if (!ruleById(id)) {
      diagnostics.push({ file: '<flags>', line: 1, column: 1, severity: 'error', code: LINT_CODES.unknownRule, message: `--rule ${id}: no lint rule is called "${id}"` });
      continue;
    }
    const raw = m[2] as string;
    const s = normalizeSeverity(/^\d$/.test(raw) ? Number(raw) : raw);
    if (s) config.rules[id] = s;
  }
  return diagnostics;
}
