import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { expandPaths, readText, splitYamlStream, type RawObject } from './read-documents.js';
import { locateIn } from './source-document.js';

describe('splitYamlStream', () => {
  it('splits at --- lines, keeping line numbers', () => {
    const parts = splitYamlStream('a: 1\n---\nb: 2\n--- \nc: |\n  x\n---\n');
    expect(parts.map((p) => p.line)).toEqual([0, 1, 3, 6]);
    expect(parts[2]?.text).toBe('--- \nc: |\n  x\n');
  });
  it('does not split at --- inside a line or indented', () => {
    expect(splitYamlStream('a: "---"\nb: |\n  ---\n').length).toBe(1);
  });
});

describe('readText', () => {
  it('unwraps kind: List and points diagnostics into the item', () => {
    const objects: RawObject[] = [];
    const diagnostics: Diagnostic[] = [];
    const text = '{\n  "kind": "List",\n  "items": [\n    {"kind": "Service",\n     "metadata": {"name": "web"}}\n  ]\n}\n';
    readText(text, 'f.json', objects, diagnostics);
    expect(diagnostics).toEqual([]);
    expect(objects.length).toBe(1);
    const first = objects[0];
    expect(first && locateIn(first.src, ['metadata', 'name'])).toEqual({ file: 'f.json', line: 5, column: 27 });
  });
  it('gives YAML positions relative to the whole file', () => {
    const objects: RawObject[] = [];
    readText('a: 1\n---\nkind: Service\nmetadata:\n  name: web\n', 'f.yaml', objects, []);
    const second = objects[1];
    expect(second && locateIn(second.src, ['metadata', 'name'])).toEqual({ file: 'f.yaml', line: 5, column: 9 });
  });
  it('reports YAML syntax errors with the file position', () => {
    const diagnostics: Diagnostic[] = [];
    readText('a: 1\n---\nb: [1, 2\n', 'f.yaml', [], diagnostics);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: 'f.yaml', line: 4, code: 'RC011' });
  });
});

describe('expandPaths', () => {
  const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.96.0.10, ports: [{port: 80}]}\n';
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-walk-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const expand = (...paths: string[]) => {
    const diagnostics: Diagnostic[] = [];
    const files = expandPaths(paths, diagnostics);
    return { files: files.map((f) => relative(dir, f)), diagnostics: diagnostics.map((d) => `${relative(dir, d.file)} ${d.severity} ${d.code} ${d.message}`) };
  };

  it('reads a ConfigMap volume (every file a link into ..data) once, through the visible names', () => {
    const stamp = join(dir, '..2024_05_01_10_00_00.123456789');
    mkdirSync(stamp);
    writeFileSync(join(stamp, 'service.yaml'), SERVICE);
    writeFileSync(join(stamp, 'config.yaml'), 'a: 1\n');
    symlinkSync('..2024_05_01_10_00_00.123456789', join(dir, '..data'));
    symlinkSync('..data/service.yaml', join(dir, 'service.yaml'));
    symlinkSync('..data/config.yaml', join(dir, 'config.yaml'));
    expect(expand(dir)).toEqual({ files: ['config.yaml', 'service.yaml'], diagnostics: [] });
  });

  it('follows a link to a folder, and stops at a link back to a folder it is in', () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'a.yaml'), SERVICE);
    mkdirSync(join(dir, 'top'));
    symlinkSync('../real', join(dir, 'top', 'linked'));
    symlinkSync('.', join(dir, 'top', 'loop'));
    expect(expand(join(dir, 'top'))).toEqual({
      files: ['top/linked/a.yaml'],
      diagnostics: ['top/loop error RC002 cannot read: a symbolic link loop (it leads back to a folder it is in)'],
    });
  });

  it('reports a dangling link and a link that points at itself', () => {
    writeFileSync(join(dir, 'ok.yaml'), SERVICE);
    symlinkSync('missing.yaml', join(dir, 'gone.yaml'));
    symlinkSync('self.yaml', join(dir, 'self.yaml'));
    symlinkSync('nowhere', join(dir, 'notes.txt'));
    expect(expand(dir)).toEqual({
      files: ['ok.yaml'],
      diagnostics: [
        'gone.yaml error RC001 no such file or directory: a dangling symbolic link to "missing.yaml"',
        'self.yaml error RC002 cannot read: a symbolic link loop (ELOOP)',
      ],
    });
  });

  it('calls a folder with no manifest in it an error, not an empty rule set', () => {
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'README.md'), 'x\n');
    writeFileSync(join(dir, 'empty', '.hidden.yaml'), SERVICE);
    expect(expand(join(dir, 'empty'))).toEqual({
      files: [],
      diagnostics: ['empty error RC001 no *.yaml, *.yml or *.json file in this folder'],
    });
  });
});
