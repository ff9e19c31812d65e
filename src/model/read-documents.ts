import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import type { Diagnostic } from '../diagnostics.js';
import { SourceDocument, type ObjectSource } from './source-document.js';
import { jsonErrorOffset, jsonTooDeepAt, nestsDeeperThan, tooDeepMessage } from './json-error-offset.js';
import { readTextFile } from '../read-text-file.js';
import { loadPlainYaml } from './fast-yaml.js';

/** One Kubernetes object read from the inputs, before validation. */
export interface RawObject {
  value: unknown;
  src: ObjectSource;
}

export interface ReadResult {
  objects: RawObject[];
  diagnostics: Diagnostic[];
  /** Files read, in order. */
  files: string[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * Expands the paths given on the command line: files as given, directories recursively
 * (`*.yaml`, `*.yml`, `*.json`, sorted), `-` for standard input.
 */
export function expandPaths(paths: readonly string[], diagnostics: Diagnostic[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch {
      diagnostics.push({ file: p, line: 1, column: 1, severity: 'error', code: 'RC001', message: 'no such file or directory' });
      continue;
    }
    if (st.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/**
 * The files below `dir` whose names `accept` matches, in sorted order, recursively; hidden
 * entries and node_modules are left out.
 */
export function walk(dir: string, accept: RegExp = MANIFEST_FILE): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full, accept));
    else if (e.isFile() && accept.test(e.name)) out.push(full);
  }
  return out;
}

/** Reads every document of every input. `readStdin` supplies the text of `-`. */
export function readDocuments(paths: readonly string[], readStdin: () => string): ReadResult {
  const diagnostics: Diagnostic[] = [];
  const files = expandPaths(paths, diagnostics);
  const objects: RawObject[] = [];
  for (const file of files) {
    const name = file === '-' ? '<stdin>' : file;
    let text: string;
    try {
      text = file === '-' ? readStdin() : readTextFile(file);
    } catch (err) {
      diagnostics.push({ file: name, line: 1, column: 1, severity: 'error', code: 'RC002', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
      continue;
    }
    readText(text, name, objects, diagnostics);
  }
  return { objects, diagnostics, files };
}

/** Reads the documents of one file's text (JSON, or a YAML stream). */
export function readText(text: string, file: string, objects: RawObject[], diagnostics: Diagnostic[]): void {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const pos = offsetToPos(text, nul);
    diagnostics.push({ file, ...pos, severity: 'error', code: 'RC010', message: 'NUL byte in input' });
    return;
  }
  const first = /\S/.exec(text);
  if (first && (first[0] === '{' || first[0] === '[')) {
    readJson(text, file, objects, diagnostics);
    return;
  }
  for (const part of splitYamlStream(text)) {
    const doc = new SourceDocument(file, part.text, part.line);
    // Plain block-style documents (nearly all manifests) take the fast reader; anything it is
    // not sure of, and every error, goes to js-yaml.
    const plain = loadPlainYaml(part.text);
    if (plain) {
      pushObjects(plain.value, doc, objects);
      continue;
    }
    let value: unknown;
    try {
      value = loadYaml(part.text, { filename: file });
    } catch (err) {
      const mark = (err as { mark?: { line: number; column: number } }).mark;
      const reason = (err as { reason?: string }).reason ?? 'invalid YAML';
      diagnostics.push({
        file,
        line: (mark?.line ?? 0) + part.line + 1,
        column: (mark?.column ?? 0) + 1,
        severity: 'error',
        code: 'RC011',
        message: `invalid YAML: ${reason}`,
      });
      continue;
    }
    pushObjects(value, doc, objects);
  }
}

function readJson(text: string, file: string, objects: RawObject[], diagnostics: Diagnostic[]): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const { offset, reason } = jsonErrorOffset(text);
    const pos = offsetToPos(text, offset);
    diagnostics.push({ file, ...pos, severity: 'error', code: 'RC012', message: `invalid JSON: ${reason}` });
    return;
  }
  // JSON.parse reads any depth; what reads the objects afterwards need not, so a document
  // deeper than any Kubernetes object is refused here.
  if (nestsDeeperThan(value)) {
    diagnostics.push({ file, ...offsetToPos(text, Math.max(0, jsonTooDeepAt(text))), severity: 'error', code: 'RC012', message: `invalid JSON: ${tooDeepMessage()}` });
    return;
  }
  pushObjects(value, new SourceDocument(file, text, 0), objects);
}

function pushObjects(value: unknown, doc: SourceDocument, objects: RawObject[]): void {
  if (value === null || value === undefined) return;
  if (isList(value)) {
    value.items.forEach((item, i) => objects.push({ value: item, src: { doc, path: ['items', i] } }));
    return;
  }
  objects.push({ value, src: { doc, path: [] } });
}

function isList(value: unknown): value is { items: unknown[] } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

/**
 * Splits a YAML stream into its documents at `---` lines. A `---` at the start of a line always
 * ends the previous document (even a block scalar), so this split is exact.
 */
export function splitYamlStream(text: string): { text: string; line: number }[] {
  const parts: { text: string; line: number }[] = [];
  let start = 0;
  let startLine = 0;
  let line = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    if (pos > start && text.startsWith('---', pos) && (end === pos + 3 || /\s/.test(text[pos + 3] ?? ''))) {
      parts.push({ text: text.slice(start, pos), line: startLine });
      start = pos;
      startLine = line;
    }
    if (nl < 0) break;
    pos = nl + 1;
    line++;
  }
  parts.push({ text: text.slice(start), line: startLine });
  return parts;
}

export function offsetToPos(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
