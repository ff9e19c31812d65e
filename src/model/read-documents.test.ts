import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { readText, splitYamlStream, type RawObject } from './read-documents.js';
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
