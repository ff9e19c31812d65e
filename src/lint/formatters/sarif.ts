import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeJsonText } from '../../display-text.js';
import { problemsOf, type FormatInput } from './problems.js';
import type { LintRule } from '../types.js';

/**
 * `--format sarif`: a SARIF 2.1.0 log, as GitHub code scanning and other CI dashboards read it.
 * One run; `tool.driver.rules` describes every rule (description, default level, help URI);
 * findings are `results`, input problems are tool execution notifications, and so are the notes
 * of rules that could not judge part of an input (level `note`, with the rule as
 * `associatedRule`: not results, so dashboards do not count them as alerts). Paths under the
 * working directory are relative to `%SRCROOT%`.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/rulec/rulec';

export function formatSarif(input: FormatInput): string {
  return `${escapeJsonText(JSON.stringify(buildSarif(input), null, 2))}\n`;
}

export function buildSarif(input: FormatInput): Record<string, unknown> {
  const rules = [...input.rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const problems = problemsOf(input);
  const results = problems
    .filter((p) => !p.input)
    .map((p) => {
      const index = ruleIndex.get(p.ruleId);
      return {
        ruleId: p.ruleId,
        ...(index !== undefined ? { ruleIndex: index } : {}),
        level: p.severity === 'error' ? 'error' : 'warning',
        message: { text: p.message },
        locations: [location(p, input.cwd)],
      };
    });
  const notifications: Record<string, unknown>[] = problems
    .filter((p) => p.input)
    .map((p) => ({
      level: p.severity === 'error' ? 'error' : 'warning',
      message: { text: p.message },
      descriptor: { id: p.ruleId },
      locations: [location(p, input.cwd)],
    }));
  for (const n of input.notes ?? []) {
    const index = ruleIndex.get(n.ruleId);
    notifications.push({
      level: 'note',
      message: { text: n.message },
      associatedRule: { id: n.ruleId, ...(index !== undefined ? { index } : {}) },
      locations: [location({ ...n, endLine: n.line, endColumn: n.column }, input.cwd)],
    });
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rulec',
            version: input.version,
            semanticVersion: input.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(input.cwd) } },
        invocations: [
          {
            executionSuccessful: !notifications.some((n) => n.level === 'error'),
            toolExecutionNotifications: notifications,
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function ruleDescriptor(rule: LintRule): Record<string, unknown> {
  const { meta } = rule;
  return {
    id: meta.id,
    name: meta.id
      .split('-')
      .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: meta.docs.description },
    fullDescription: { text: meta.docs.description },
    helpUri: meta.docs.url,
    help: { text: `${meta.docs.description} See ${meta.docs.url}`, markdown: `${meta.docs.description} [Documentation](${meta.docs.url})` },
    defaultConfiguration: { level: meta.severity === 'error' ? 'error' : 'warning' },
    properties: { tags: ['kubernetes', 'kube-proxy', meta.target] },
  };
}

function location(p: { file: string; line: number; column: number; endLine: number; endColumn: number }, cwd: string) {
  const region: Record<string, number> = { startLine: Math.max(1, p.line), startColumn: Math.max(1, p.column) };
  if (p.endLine >= p.line) region.endLine = p.endLine;
  if (p.endLine > p.line || p.endColumn > p.column) region.endColumn = p.endColumn;
  return { physicalLocation: { artifactLocation: artifact(p.file, cwd), region } };
}

function artifact(file: string, cwd: string): Record<string, string> {
  if (file.startsWith('<')) return { uri: encodeURIComponent(file) };
  const abs = isAbsolute(file) ? file : `${cwd}${sep}${file}`;
  const rel = relative(cwd, abs);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) {
    return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(abs).href };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}
