import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { load as loadYaml } from 'js-yaml';
import { isNode, parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PathLocator } from './locate-path.js';
import { splitYamlStream } from './read-documents.js';

type Path = (string | number)[];

/** The offset the `yaml` package's source ranges give for `path` (or its nearest ancestor). */
let parsed: { text: string; doc: ReturnType<typeof parseDocument> } | null = null;
function yamlOffset(text: string, path: Path): number {
  if (parsed?.text !== text) parsed = { text, doc: parseDocument(text, { keepSourceTokens: false, uniqueKeys: false }) };
  const { doc } = parsed;
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return -1;
}

/** Every path into `value` (breadth first, at most `limit`), and a missing child of each collection. */
function pathsOf(value: unknown, limit = 400): Path[] {
  const out: Path[] = [[]];
  const queue: { v: unknown; path: Path }[] = [{ v: value, path: [] }];
  while (queue.length > 0 && out.length < limit) {
    const { v, path } = queue.shift() as { v: unknown; path: Path };
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        out.push([...path, i]);
        queue.push({ v: item, path: [...path, i] });
      });
      out.push([...path, v.length]);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) {
        out.push([...path, k]);
        queue.push({ v: item, path: [...path, k] });
      }
      out.push([...path, 'no-such-key']);
    } else {
      out.push([...path, 'below-a-scalar']);
    }
  }
  return out;
}

const tally = { sure: 0, unsure: 0 };
function expectSameAsYaml(text: string, paths: Path[]): void {
  const locator = new PathLocator(text);
  for (const path of paths) {
    const got = locator.locate(path);
    tally[got.sure ? 'sure' : 'unsure']++;
    if (!got.sure) continue;
    expect({ path, offset: got.offset }).toEqual({ path, offset: yamlOffset(text, path) });
  }
}

function manifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...manifestFiles(full));
    else if (/\.(ya?ml|json)$/.test(name)) out.push(full);
  }
  return out;
}

describe('PathLocator', () => {
  it('gives the offsets of the yaml package on hand-written forms', () => {
    const cases: [string, Path][] = [
      ['a:\nb: 1\n', ['a']],
      ['a:   # c\n  x: 1\n', ['a']],
      ['a:\n- 1\n- 2\n', ['a', 1]],
      ['a: |\n  xx\nb: 2\n', ['b']],
      ['a: >-\n  xx\n\n  yy\nb: 2\n', ['b']],
      ['a: &x\n  b: 1\n', ['a', 'b']],
      ['a: !!str 5\n', ['a']],
      ['- - 1\n  - 2\n', [0, 1]],
      ['- a: 1\n  b: 2\n', [0, 'b']],
      ['-\n  a: 1\n', [0, 'a']],
      ['-\n', [0]],
      ['- \n- x', [0]],
      ['- # c\n- x\n', [0]],
      ['a: \n', ['a']],
      ['a:   # c\nb: 1\n', ['a']],
      ['a: &x\nb: 1\n', ['a']],
      ['a: {b: , c: 1}\n', ['a', 'b']],
      ['a: {b: , c: 1}\n', ['a', 'c']],
      ['80: x\n', ['80']],
      ['"80": x\n', ['80']],
      ['a: 1\na: 2\n', ['a']],
      ['--- \na: 1\n', ['a']],
      ['# c\n\na: 1\n', []],
      ['a: [1, 2]\n', ['a', '1']],
      ['{"a": {"b": [1, 2]}}', ['a', 'b', 1]],
      ['  {"a": 1}', []],
      ['a:\n  - x\n  -   y\n', ['a', 1]],
      ['a: {b: 1, "c": [1, {d: 2}]}\n', ['a', 'c', 1, 'd']],
      ['a: {x: [1,\n  2], y: 3}\nb: 4\n', ['b']],
      ['a: "x\n  y"\nb: 1\n', ['b']],
      ['a: *x\n', ['a', 'b']],
      ['"a\\u0062": 1\n', ['ab']],
      ["'a''b': 1\n", ["a'b"]],
      ['a : 1\n', ['a']],
      ['a b: 1\n', ['a b']],
      ['{a: 1, "b":2}', ['b']],
      ['- [a, "b]", c]\n- {c: d}\n', [1, 'c']],
      ['a: [x, "y # ]", # ]\n  z]\nb: 1\n', ['a', 2]],
      ['a:\n  -\n    x: 1\n', ['a', 0, 'x']],
      ['x: 1\n...\n', ['x']],
      ['%YAML 1.2\n---\nx: 1\n', ['x']],
      ['--- # c\nx: 1\n', ['x']],
      ['a:\n  b:\n  - x\n  c: 1\n', ['a', 'c']],
      ['items:\n- kind: Service\n  spec:\n    ports:\n    - port: x\n', ['items', 0, 'spec', 'ports', 0, 'port']],
    ];
    for (const [text, path] of cases) {
      const got = new PathLocator(text).locate(path);
      expect({ text, path, sure: got.sure, offset: got.offset }).toEqual({ text, path, sure: true, offset: yamlOffset(text, path) });
    }
  });

  it('says when it does not read a form', () => {
    expect(new PathLocator('? a\n: 1\n').locate(['a']).sure).toBe(false);
    expect(new PathLocator('a: [x, , y]\n').locate(['a', 1]).sure).toBe(false);
  });

  it('agrees with the yaml package on every path of the examples and fixtures', () => {
    tally.sure = tally.unsure = 0;
    const files = [...manifestFiles('examples'), ...manifestFiles('test/fixtures'), ...manifestFiles('test/golden')];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const parts = file.endsWith('.json') ? [{ text }] : splitYamlStream(text);
      for (const part of parts) {
        let value: unknown;
        try {
          value = file.endsWith('.json') ? JSON.parse(part.text) : loadYaml(part.text);
        } catch {
          continue;
        }
        expectSameAsYaml(part.text, pathsOf(value));
      }
    }
    expect(tally.unsure).toBe(0);
    expect(tally.sure).toBeGreaterThan(1000);
  });

  it('agrees with the yaml package on generated documents, block, flow and JSON', () => {
    tally.sure = tally.unsure = 0;
    const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }), fc.constantFrom('a: b', '# x', '"q"', "it's", '[x]', '- y', '', ' s '));
    const key = fc.oneof(fc.constantFrom('a', 'b', 'name', 'port', 'a b', '80', 'x-y', '"k"', "'k'", '#', 'a:b', '-'), fc.string({ maxLength: 6 }));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    })).node;
    fc.assert(
      fc.property(value, fc.constantFrom('block', 'flow', 'json', 'json-pretty'), (v, style) => {
        const text =
          style === 'json'
            ? JSON.stringify(v)
            : style === 'json-pretty'
              ? JSON.stringify(v, null, 2)
              : stringify(v, style === 'flow' ? { collectionStyle: 'flow', lineWidth: 30 } : { lineWidth: 30 });
        expectSameAsYaml(text, pathsOf(v, 60));
      }),
      { numRuns: 300 },
    );
    // The forms it does not read are rare in what the yaml package writes.
    expect(tally.unsure).toBeLessThan(tally.sure / 20);
  });
});

describe('PathLocator on plain scalars with a quote in flow collections', () => {
  it('does not take the quote of a plain key such as `:"` for a string', () => {
    for (const text of ['[ { :": [] }, [ "a: b" ] ]\n', '[ a:"b", [ 1 ] ]\n', '{ "a":"b", c: [ 2 ] }\n']) {
      expectSameAsYaml(text, text.startsWith('{') ? [['a'], ['c'], ['c', 0]] : [[0], [1], [1, 0]]);
    }
  });
});
