import { join, readdirSync, readlinkSync, statSync } from '../file-access.js';
import { load as loadYaml } from 'js-yaml';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { SourceDocument, type ObjectSource } from './source-document.js';
import { jsonErrorOffset, jsonTooDeepAt, nestsDeeperThan, tooDeepMessage } from './json-error-offset.js';
import { readFailure, readTextFile } from '../read-text-file.js';
import { loadPlainYaml } from './fast-yaml.js';
import { shorten } from '../display-text.js';
import { manifestOfPaste } from '../paste/manifest-paste.js';
import { MANIFEST_FILE } from './manifest-file.js';
import { describeArtefact, withoutCopyArtefacts } from '../paste/copy-artefacts.js';

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

export { MANIFEST_FILE };

/**
 * Expands the paths given on the command line: files as given, directories recursively
 * (`*.yaml`, `*.yml`, `*.json`, sorted, see `walk`), `-` for standard input. A directory that
 * gives no file is an error: an empty rule set loaded with `--noflush` would wipe a node's rules.
 */
export function expandPaths(paths: readonly string[], diagnostics: Diagnostic[], accept: RegExp = MANIFEST_FILE): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      diagnostics.push(unreadable(p, err));
      continue;
    }
    if (!st.isDirectory()) {
      out.push(p);
      continue;
    }
    const reported = diagnostics.length;
    const found = walk(p, accept, diagnostics);
    // Unless what went wrong in it is reported already.
    if (found.length === 0 && diagnostics.length === reported) {
      diagnostics.push({ file: p, line: 1, column: 1, severity: 'error', code: 'RC001', message: `no ${describeAccepted(accept)} file in this folder` });
    }
    for (const f of found) out.push(f);
  }
  return out;
}

function describeAccepted(accept: RegExp): string {
  return accept === MANIFEST_FILE ? '*.yaml, *.yml or *.json' : 'input';
}

/** RC001 for a path that is not there, RC002 for one that cannot be read. */
function unreadable(file: string, err: unknown, what = ''): Diagnostic {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'ENOENT') return { file, line: 1, column: 1, severity: 'error', code: 'RC001', message: `no such file or directory${what}` };
  const reason = code === 'ELOOP' ? 'a symbolic link loop (ELOOP)' : code;
  return { file, line: 1, column: 1, severity: 'error', code: 'RC002', message: `cannot read: ${reason}${what}` };
}

/**
 * The files below `dir` whose names `accept` matches, in name order, recursively.
 *
 * Symbolic links are followed, to files and to folders, as a mounted ConfigMap needs: there
 * every file is a link (`config.yaml` -> `..data/config.yaml`, `..data` -> a timestamped
 * folder). Entries whose names start with `.` (and node_modules) are left out, so such a
 * volume is read once, through its visible names, never again through `..data` or the
 * timestamped folder. (`kubectl apply -f DIR` reads hidden entries too and would read the
 * timestamped copy a second time.) A link whose target is missing, or a loop of links, is an
 * error when its name would have been read; a link back to a folder being walked is an error too.
 */
export function walk(dir: string, accept: RegExp = MANIFEST_FILE, diagnostics: Diagnostic[] = []): string[] {
  const out: string[] = [];
  let root;
  try {
    root = statSync(dir);
  } catch (err) {
    diagnostics.push(unreadable(dir, err));
    return out;
  }
  walkInto(dir, accept, out, diagnostics, [`${root.dev}:${root.ino}`]);
  return out;
}

function walkInto(dir: string, accept: RegExp, out: string[], diagnostics: Diagnostic[], ancestors: readonly string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    diagnostics.push(unreadable(dir, err));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    if (e.isSymbolicLink()) {
      let st;
      try {
        st = statSync(full);
      } catch (err) {
        if (!accept.test(e.name)) continue;
        const code = (err as NodeJS.ErrnoException).code;
        diagnostics.push(unreadable(full, err, code === 'ENOENT' ? `: a dangling symbolic link to ${JSON.stringify(linkTarget(full))}` : ''));
        continue;
      }
      if (st.isDirectory()) descend(full, `${st.dev}:${st.ino}`, accept, out, diagnostics, ancestors);
      else if (st.isFile() && accept.test(e.name)) out.push(full);
    } else if (e.isDirectory()) {
      let id = '';
      try {
        const st = statSync(full);
        id = `${st.dev}:${st.ino}`;
      } catch (err) {
        diagnostics.push(unreadable(full, err));
        continue;
      }
      descend(full, id, accept, out, diagnostics, ancestors);
    } else if (e.isFile() && accept.test(e.name)) out.push(full);
  }
}

function descend(dir: string, id: string, accept: RegExp, out: string[], diagnostics: Diagnostic[], ancestors: readonly string[]): void {
  if (ancestors.includes(id)) {
    diagnostics.push({ file: dir, line: 1, column: 1, severity: 'error', code: 'RC002', message: 'cannot read: a symbolic link loop (it leads back to a folder it is in)' });
    return;
  }
  walkInto(dir, accept, out, diagnostics, [...ancestors, id]);
}

function linkTarget(path: string): string {
  try {
    return readlinkSync(path).slice(0, 200);
  } catch {
    return '?';
  }
}

/** Reads every document of every input. `readStdin` supplies the text of `-`. */
export function readDocuments(paths: readonly string[], readStdin: () => string): ReadResult {
  const diagnostics: Diagnostic[] = [];
  const files = expandPaths(paths, diagnostics);
  const objects: RawObject[] = [];
  let documents = 0;
  for (const file of files) {
    const name = file === '-' ? '<stdin>' : file;
    let text: string;
    try {
      text = file === '-' ? readStdin() : readTextFile(file);
    } catch (err) {
      diagnostics.push(readFailure(name, err));
      continue;
    }
    documents += readText(text, name, objects, diagnostics);
  }
  // Nothing at all to read (an empty standard input, files of comments only) is not an empty
  // cluster: compiled, it would remove every service rule of a node it is loaded on.
  if (documents === 0 && files.length > 0 && !hasErrors(diagnostics)) {
    const where = files.length === 1 ? (files[0] === '-' ? '<stdin>' : (files[0] ?? '<stdin>')) : '<inputs>';
    diagnostics.push({ file: where, line: 1, column: 1, severity: 'error', code: 'RC005', message: 'no Kubernetes object in the input (it is empty or holds only comments); an empty cluster is a List with no items' });
  }
  return { objects, diagnostics, files };
}

/** A file with this many invalid YAML documents is not read further (each costs a parse and a report). */
const MAX_YAML_ERRORS = 100;

/**
 * Reads the documents of one file's text (JSON, or a YAML stream) into `objects`, and says how
 * many documents it held (a List counts as one, whatever its items; an empty document as none).
 */
export function readText(text: string, file: string, objects: RawObject[], diagnostics: Diagnostic[]): number {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const pos = offsetToPos(text, nul);
    diagnostics.push({ file, ...pos, severity: 'error', code: 'RC010', message: 'NUL byte in input' });
    return 0;
  }
  text = withoutPasteAround(text, file, diagnostics);
  const first = /\S/.exec(text);
  if (first && (first[0] === '{' || first[0] === '[')) {
    return readJson(text, file, objects, diagnostics);
  }
  let documents = 0;
  let errors = 0;
  for (const part of splitYamlStream(text)) {
    if (errors >= MAX_YAML_ERRORS) {
      diagnostics.push({ file, line: part.line + 1, column: 1, severity: 'error', code: 'RC013', message: `${MAX_YAML_ERRORS} documents of this file are invalid YAML; the rest of it is not read` });
      break;
    }
    // A document of nothing but comments (a licence header before the first `---`, a `---` at
    // the end of a file) holds no object, as js-yaml reads it within a stream.
    if (isEmptyDocument(part.text)) continue;
    const doc = new SourceDocument(file, part.text, part.line);
    // Plain block-style documents (nearly all manifests) take the fast reader; anything it is
    // not sure of, and every error, goes to js-yaml.
    const plain = loadPlainYaml(part.text);
    if (plain) {
      documents += pushObjects(plain.value, doc, objects);
      continue;
    }
    let value: unknown;
    try {
      value = loadYaml(part.text, { filename: file });
    } catch (err) {
      const mark = (err as { mark?: { line: number; column: number; position?: number } }).mark;
      const reason = (err as { reason?: string }).reason ?? 'invalid YAML';
      // Lines are counted at '\n' as everywhere in rulec (js-yaml counts a lone '\r' too).
      const at = mark?.position !== undefined ? offsetToPos(part.text, Math.min(mark.position, part.text.length)) : { line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 };
      diagnostics.push({
        file,
        line: at.line + part.line,
        column: at.column,
        severity: 'error',
        code: 'RC011',
        message: `invalid YAML: ${shorten(reason, 200)}`,
      });
      errors++;
      continue;
    }
    documents += pushObjects(value, doc, objects);
  }
  return documents;
}

/**
 * A manifest as a person pasted it: prompts, commands, a heredoc's first and last lines, kubectl
 * output and fences are left out (RC014), web-page spaces and quotes read as typed (RC015), each
 * with a note; lines and columns stay those of the paste.
 */
function withoutPasteAround(text: string, file: string, diagnostics: Diagnostic[]): string {
  const paste = manifestOfPaste(text);
  for (const s of paste.skipped) {
    diagnostics.push({ file, line: s.line, column: 1, severity: 'note', code: 'RC014', message: `${s.what} is not part of a manifest; skipped` });
  }
  const cleaned = withoutCopyArtefacts(paste.text);
  for (const a of cleaned.artefacts) {
    diagnostics.push({ file, line: a.line, column: 1, severity: 'note', code: 'RC015', message: describeArtefact(a) });
  }
  return cleaned.text;
}

function readJson(text: string, file: string, objects: RawObject[], diagnostics: Diagnostic[]): number {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const { offset, reason } = jsonErrorOffset(text);
    const pos = offsetToPos(text, offset);
    diagnostics.push({ file, ...pos, severity: 'error', code: 'RC012', message: `invalid JSON: ${reason}` });
    return 0;
  }
  // JSON.parse reads any depth; what reads the objects afterwards need not, so a document
  // deeper than any Kubernetes object is refused here.
  if (nestsDeeperThan(value)) {
    diagnostics.push({ file, ...offsetToPos(text, Math.max(0, jsonTooDeepAt(text))), severity: 'error', code: 'RC012', message: `invalid JSON: ${tooDeepMessage()}` });
    return 0;
  }
  return pushObjects(value, new SourceDocument(file, text, 0), objects);
}

/** Whether a document's text is nothing but its `---` line, blank lines and comments. */
function isEmptyDocument(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end).trim();
    if (start === 0 && /^---(\s|$)/.test(line)) line = line.slice(3).trim();
    if (line !== '' && !line.startsWith('#')) return false;
    start = end + 1;
  }
  return true;
}

/** Adds a document's objects (a List's items, else the document); 1 for a document, 0 for none. */
function pushObjects(value: unknown, doc: SourceDocument, objects: RawObject[]): number {
  if (value === null || value === undefined) return 0;
  if (isList(value)) {
    value.items.forEach((item, i) => objects.push({ value: item, src: { doc, path: ['items', i] } }));
    return 1;
  }
  objects.push({ value, src: { doc, path: [] } });
  return 1;
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
