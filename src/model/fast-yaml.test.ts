import fc from 'fast-check';
import { dump, load } from 'js-yaml';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadPlainYaml } from './fast-yaml.js';

/** js-yaml's reading of `text`, or the error it throws. */
function reference(text: string): { value: unknown } | { error: true } {
  try {
    return { value: load(text) ?? null };
  } catch {
    return { error: true };
  }
}

/** The fast reader either gives up or reads exactly what js-yaml reads. */
function agrees(text: string): boolean {
  const fast = loadPlainYaml(text);
  if (fast === null) return false;
  expect(reference(text)).toEqual({ value: fast.value ?? null });
  return true;
}

const TRICKY_STRINGS = [
  '', ' ', 'a b', ' a', 'a ', 'a: b', 'a:b', 'a #b', 'a#b', '#x', '- x', '-x', '-', '?', ':', '0', '00', '012', '1.5', '1e3', '.5', '.inf',
  '.NaN', '0x1F', '0o17', '0b1', '+1', '-1', '1_000', '12:30', 'true', 'True', 'TRUE', 'yes', 'No', 'on', 'null', 'Null', '~', '2020-01-01',
  '2020-01-01T00:00:00Z', '10.0.0.1', '10.0.0.0/8', '1.2.3', '1.2.3.4.5', 'fd00::1', '::1', 'a\nb', 'a\n', 'a\\b', 'a"b', "a'b", "'", '"', '|',
  '>', '|-', '&a', '*a', '!a', '!!str', '@a', '%a', '`a', '[a]', '{a}', '[]', '{}', 'é', '日本', 'a,b', '<<', '=', 'http://x/y', 'kubernetes.io/name', 'toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__',
];

const scalarArb = fc.oneof(
  fc.constantFrom(...TRICKY_STRINGS),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(0, 1, -1, 7, 80, 65535, 1.5, -2.25, 1e21, 2 ** 53, 2 ** 53 + 2, true, false, null),
  fc.integer(),
);

const KEYS = ['a', 'name', 'port', 'kubernetes.io/service-name', 'x-y', 'x_y', 'A1', '80', '0', '010', '1.5', 'true', 'null', 'a b', 'é', '-a', 'a:b', '#', ''];

const valueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarArb, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }),
})).value;

const documentArb = fc.dictionary(fc.constantFrom(...KEYS), valueArb, { minKeys: 1, maxKeys: 6 });

/** Documents like real manifests: plain keys, strings, small integers and booleans. */
const PLAIN_KEYS = ['apiVersion', 'kind', 'name', 'port', 'kubernetes.io/service-name', 'x-y', 'x_y', 'A1', '80'];
const plainScalarArb = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.constantFrom('10.0.0.1', '10.0.0.0/8', 'TCP', 'a b', 'é'), fc.nat({ max: 65535 }), fc.boolean());
const plainValueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, plainScalarArb, tie('array'), tie('object')),
  // Lists of scalars or of objects, as manifests have (never a list right inside a list).
  array: fc.array(fc.oneof(plainScalarArb, tie('object')), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom(...PLAIN_KEYS), tie('value'), { maxKeys: 5 }),
})).value;
const plainDocumentArb = fc.dictionary(fc.constantFrom(...PLAIN_KEYS), plainValueArb, { minKeys: 1, maxKeys: 6 });

/** The ways manifests are written: js-yaml and `yaml` block styles, quoted or not, compact or indented sequences. */
const styleArb = fc.constantFrom(
  (v: unknown) => dump(v, { lineWidth: -1 }),
  (v: unknown) => dump(v, { lineWidth: -1, seqNoIndent: true }),
  (v: unknown) => dump(v, { lineWidth: -1, forceQuotes: true, quoteStyle: 'double' }),
  (v: unknown) => dump(v, { lineWidth: -1, forceQuotes: true }),
  (v: unknown) => dump(v, { lineWidth: 20, indent: 4 }),
  (v: unknown) => stringify(v),
  (v: unknown) => stringify(v, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }),
  (v: unknown) => `---\n${stringify(v, { indentSeq: false })}`,
);

describe('loadPlainYaml', () => {
  it('reads what js-yaml reads, or gives up (generated documents, property)', () => {
    fc.assert(
      fc.property(documentArb, styleArb, (doc, style) => {
        agrees(style(doc));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads plain documents itself, as js-yaml does (property)', () => {
    let read = 0;
    fc.assert(
      fc.property(plainDocumentArb, styleArb, (doc, style) => {
        if (agrees(style(doc))) read++;
      }),
      { numRuns: 1000 },
    );
    // Without this, the speed would be gone while every result stayed right.
    expect(read).toBeGreaterThan(900);
  });

  it('reads what js-yaml reads, or gives up, on mutated text (property)', () => {
    const PIECES = [' ', '  ', ':', ': ', '-', '- ', '#', ' #', '"', "'", '\n', '\n  ', '|', '|-', '[', '{', ',', '&a ', '*a', '!x ', '\\', '---\n', 'é', '\u0001'];
    const mutation = fc.record({ at: fc.nat(), del: fc.nat({ max: 3 }), piece: fc.constantFrom(...PIECES) });
    fc.assert(
      fc.property(documentArb, styleArb, fc.array(mutation, { minLength: 1, maxLength: 3 }), (doc, style, edits) => {
        let text = style(doc);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.piece + text.slice(at + e.del);
        }
        agrees(text);
      }),
      { numRuns: 4000 },
    );
  });

  it('reads the block styles of kubectl and hand-written manifests', () => {
    const text = [
      '# a Service',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web   # the name',
      '  annotations:',
      '    kubectl.kubernetes.io/last-applied-configuration: |',
      '      {"a": 1}',
      '',
      '      # not a comment',
      '    note: |-',
      '      two',
      '        lines',
      "    quoted: 'it''s'",
      '    escaped: "tab\\there \\u00e9"',
      'spec:',
      '  clusterIP: 10.96.0.10',
      '  ports:',
      '  - name: dns',
      '    port: 53',
      '  -   name: tcp',
      '      port: 53',
      '  selector: {}',
      '  externalIPs: []',
      '  publishNotReadyAddresses: false',
      '  loadBalancerIP:',
      '',
    ].join('\n');
    expect(loadPlainYaml(text)).toEqual({
      value: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'web',
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"a": 1}\n\n# not a comment\n', note: 'two\n  lines', quoted: "it's", escaped: 'tab\there é' },
        },
        spec: {
          clusterIP: '10.96.0.10',
          ports: [
            { name: 'dns', port: 53 },
            { name: 'tcp', port: 53 },
          ],
          selector: {},
          externalIPs: [],
          publishNotReadyAddresses: false,
          loadBalancerIP: null,
        },
      },
    });
    expect(agrees(text)).toBe(true);
  });

  it('reads forty levels of nesting', () => {
    expect(agrees(Array.from({ length: 40 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n')).toBe(true);
  });

  it('never runs out of stack on deep nesting', () => {
    expect(loadPlainYaml(Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n')).toBeNull();
  });

  it.each(['toString', 'constructor', '__proto__', 'valueOf', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'False', 'yes', 'no', 'on', '0', '7', '10.0.0.1', '10.0.0.0/8', 'fd00::1', 'a:b', '=', '<<x'])(
    'reads the plain scalar %s as js-yaml does',
    (word) => {
      expect(agrees(`a: ${word}\n`)).toBe(true);
    },
  );

  it.each([
    ['a flow sequence with items', 'a: [1, 2]\n'],
    ['a float', 'a: 1.5\n'],
    ['a date', 'a: 2020-01-01\n'],
    ['an octal-looking number', 'a: 0755\n'],
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a folded block', 'a: >\n  x\n'],
    ['a multi-line plain scalar', 'a: x\n  y\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a tab', 'a:\t1\n'],
    ['a merge key', '<<: {}\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['a no-break space after a value', 'a: x\u00A0\n'],
    ['a no-break space after a block indicator', 'a: |\u00A0\n  x\n'],
    ['an ideographic space as a value', 'a: \u3000\n'],
    ['an integer key beyond 2^53', '9007199254740993: x\n'],
    ['nesting deeper than forty levels', Array.from({ length: 41 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n'],
    ['sequences nested deeper than forty levels', Array.from({ length: 41 }, (_, i) => `${' '.repeat(2 * i)}- k:`).join('\n') + ' 1\n'],
  ])('gives up on %s', (_what, text) => {
    expect(loadPlainYaml(text)).toBeNull();
  });
});
