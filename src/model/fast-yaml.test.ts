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

/** A Service as `kubectl get svc -o yaml` prints it: managedFields keys such as `f:spec` and `k:{"port":80,"protocol":"TCP"}`. */
const KUBECTL_SERVICE = `apiVersion: v1
kind: Service
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"web","namespace":"shop"},"spec":{"ports":[{"port":80}],"selector":{"app":"web"}}}
  creationTimestamp: "2026-11-02T10:00:00Z"
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:annotations:
          .: {}
          f:kubectl.kubernetes.io/last-applied-configuration: {}
      f:spec:
        f:internalTrafficPolicy: {}
        f:ports:
          .: {}
          k:{"port":80,"protocol":"TCP"}:
            .: {}
            f:port: {}
            f:protocol: {}
            f:targetPort: {}
        f:selector: {}
    manager: kubectl-client-side-apply
    operation: Update
    time: "2026-11-02T10:00:00Z"
  name: web
  namespace: shop
  resourceVersion: "1234"
  uid: 0b6c0001-1f2e-4c3d-9a8b-7c6d5e4f3a2b
spec:
  clusterIP: 10.96.12.4
  clusterIPs:
  - 10.96.12.4
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
status:
  loadBalancer: {}
`;

describe('loadPlainYaml', () => {
  it('types words that start like a number as js-yaml does: a number, a date, or a string such as a uid (property)', () => {
    const word = fc.tuple(fc.constantFrom(...'0123456789.+-'), fc.array(fc.constantFrom(...'0123456789abcdefABCDEF_.+-:eExXoObBTZtz'), { maxLength: 14 })).map(([a, b]) => a + b.join(''));
    fc.assert(
      fc.property(word, (w) => {
        const text = `a: ${w}\n`;
        const fast = loadPlainYaml(text);
        if (fast !== null) expect(fast).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
    // A uid is read here, not by js-yaml.
    expect(loadPlainYaml('uid: 0b6c0001-1f2e-4c3d-9a8b-7c6d5e4f3a2b\n')?.value).toEqual({ uid: '0b6c0001-1f2e-4c3d-9a8b-7c6d5e4f3a2b' });
  });

  it('reads the managedFields keys kubectl prints itself, as js-yaml reads them', () => {
    const r = loadPlainYaml(KUBECTL_SERVICE);
    expect(r).not.toBeNull();
    expect(r?.value).toEqual(load(KUBECTL_SERVICE));
    // Keys like them that are not that shape are left to js-yaml.
    for (const t of ['k:{"a": 1}: x\n', 'k:{a: x\n', 'f:a #b: x\n']) expect(loadPlainYaml(t), t).toBeNull();
  });

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


/**
 * Renders `v` as a person writes YAML: each collection in block or flow style (flow on one line
 * or over several, with or without a trailing comma and comments), each scalar plain, single- or
 * double-quoted, as `random` (a number in [0, 1)) decides. With `sloppy`, a string may be written
 * plain where that changes its meaning or is no YAML at all (the readers must still agree).
 */
function renderMixed(v: unknown, random: () => number, sloppy: boolean): string {
  const pick = <T,>(...xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const isCollection = (x: unknown): x is object => typeof x === 'object' && x !== null;
  const safePlain = (s: string, flow: boolean) =>
    /^[A-Za-z_][A-Za-z0-9 ._\/-]*$/.test(s) && !s.endsWith(' ') && !(flow && /[,[\]{}]/.test(s));
  const scalar = (x: unknown, flow: boolean): string => {
    if (x === null) return pick('null', '~', 'null');
    if (typeof x !== 'string') return String(x);
    const style = pick('plain', 'plain', 'double', 'single');
    if (style === 'plain' && (safePlain(x, flow) || (sloppy && !x.includes('\n')))) return x;
    if (style === 'single' && !x.includes('\n')) return `'${x.replaceAll("'", "''")}'`;
    return JSON.stringify(x);
  };
  const key = (k: string): string => (/^[A-Za-z][A-Za-z0-9._\/-]*$|^(0|[1-9][0-9]{0,5})$/.test(k) || sloppy ? pick(k, k, JSON.stringify(k), `'${k.replaceAll("'", "''")}'`) : JSON.stringify(k));
  const sep = () => pick(', ', ', ', ',', ',  ');
  const flow = (x: unknown, indent: number, multiLine: boolean): string => {
    if (!isCollection(x)) return scalar(x, true);
    const entries = Array.isArray(x) ? x.map((e) => flow(e, indent + 2, multiLine && pick(true, false))) : Object.entries(x).map(([k, e]) => `${key(k)}: ${flow(e, indent + 2, multiLine && pick(true, false))}`);
    const [open, close] = Array.isArray(x) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return pick(`${open}${close}`, `${open} ${close}`);
    const trailing = pick('', '', ',');
    if (!multiLine) {
      const pad = pick('', '', ' ');
      return `${open}${pad}${entries.join(sep())}${trailing}${pad}${close}`;
    }
    const inner = ' '.repeat(indent + 2);
    const comment = () => pick('', '', '  # note');
    const lines = entries.map((e, i) => `${inner}${e}${i < entries.length - 1 || trailing ? ',' : ''}${comment()}`);
    return `${open}${comment()}\n${lines.join('\n')}\n${' '.repeat(indent + pick(1, 2))}${close}`;
  };
  // The value after `key:` or `-` at `indent`: ` value\n`, or `\n` and a block below.
  const after = (x: unknown, indent: number): string => {
    if (isCollection(x) && (Object.keys(x).length === 0 || pick(true, false))) return ` ${flow(x, indent, pick(false, false, true))}${pick('', '', ' # c')}\n`;
    if (!isCollection(x)) return ` ${scalar(x, false)}\n`;
    return `\n${block(x, indent + 2)}`;
  };
  const block = (x: object, indent: number): string => {
    const pad = ' '.repeat(indent);
    if (Array.isArray(x)) return x.map((e) => `${pad}-${after(e, indent)}`).join('');
    return Object.entries(x).map(([k, e]) => `${pad}${key(k)}:${after(e, indent)}`).join('');
  };
  return block(v as object, 0);
}

/** A small seeded generator of numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Kubernetes-like objects: the shapes hand-written manifests put in flow style. */
const K8S_KEYS = ['app', 'name', 'port', 'targetPort', 'protocol', 'selector', 'labels', 'ports', 'addresses', 'args', 'kubernetes.io/service-name', 'app.kubernetes.io/name', 'ready', '80'];
const k8sScalarArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  fc.constantFrom('10.0.0.1', '10.0.0.0/8', 'TCP', 'UDP', 'web server', 'é', '--verbose', '-v', 'IPv4', 'fd00::1', 'http://x/y', 'a#b', "it's", 'say "hi"'),
  fc.nat({ max: 65535 }),
  fc.boolean(),
  fc.constant(null),
);
const k8sValueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, k8sScalarArb, tie('array'), tie('object')),
  array: fc.array(fc.oneof(k8sScalarArb, tie('object'), tie('array')), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom(...K8S_KEYS), tie('value'), { maxKeys: 5 }),
})).value;
const k8sDocumentArb = fc.dictionary(fc.constantFrom('apiVersion', 'kind', 'metadata', 'spec', ...K8S_KEYS), k8sValueArb, { minKeys: 1, maxKeys: 6 });

describe('loadPlainYaml on flow collections', () => {
  it('reads what js-yaml reads, or gives up, on documents in mixed block and flow style (property)', () => {
    fc.assert(
      fc.property(documentArb, fc.integer(), fc.boolean(), (doc, seed, sloppy) => {
        agrees(renderMixed(doc, seeded(seed), sloppy));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads Kubernetes-like documents in mixed block and flow style itself (property)', () => {
    let read = 0;
    let flowRead = 0;
    fc.assert(
      fc.property(k8sDocumentArb, fc.integer(), (doc, seed) => {
        const text = renderMixed(doc, seeded(seed), false);
        if (agrees(text)) {
          read++;
          if (/[[{]\s*[^\]}\s]/.test(text)) flowRead++;
        }
      }),
      { numRuns: 2000 },
    );
    // The renderer writes only forms the fast reader is sure of: every document is read by it,
    // most of them with flow collections that have content.
    expect(read).toBe(2000);
    expect(flowRead).toBeGreaterThan(1200);
  });

  it('reads what js-yaml reads, or gives up, on mutated flow text (property)', () => {
    const PIECES = [' ', '  ', ':', ': ', '-', '- ', '#', ' #', '"', "'", '\n', '\n  ', '[', ']', '{', '}', ',', ', ', '?', '&a ', '*a', '!x ', '\\', 'é'];
    const mutation = fc.record({ at: fc.nat(), del: fc.nat({ max: 3 }), piece: fc.constantFrom(...PIECES) });
    fc.assert(
      fc.property(k8sDocumentArb, fc.integer(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (doc, seed, edits) => {
        let text = renderMixed(doc, seeded(seed), false);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.piece + text.slice(at + e.del);
        }
        agrees(text);
      }),
      { numRuns: 4000 },
    );
  });

  it('reads a Service and an EndpointSlice written in flow style', () => {
    const text = [
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web, namespace: "default", labels: {app: web, tier: "front"}}',
      'spec:',
      '  selector: {app: web}',
      '  ports: [{name: http, port: 80, targetPort: 8080}, {name: "https", port: 443, targetPort: https}]',
      '  externalIPs: ["10.0.0.1", \'10.0.0.2\', 10.0.0.3]',
      '  clusterIPs: []',
      '  args: [--x, --y, -v]',
      '  containers: [{name: a, ports: [{containerPort: 80}]}]   # nested',
      '  multi: [',
      '    {a: 1},  # one',
      '    {b: [x, y,],},',
      '    # a comment line',
      '    ~,',
      '   ]',
      '  json: {"a":1, "b":"two", "c":[true,false,null]}',
      '  spaced: [ a b ,  c ]',
      '  empty: { }',
      'endpoints:',
      '- {addresses: ["10.1.0.1"], conditions: {ready: true}, nodeName: node-1}',
      '- [1, -2, "3", \'it\'\'s\', fd00::1, http://x/y, a#b]',
      '',
    ].join('\n');
    expect(loadPlainYaml(text)).toEqual({
      value: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'front' } },
        spec: {
          selector: { app: 'web' },
          ports: [
            { name: 'http', port: 80, targetPort: 8080 },
            { name: 'https', port: 443, targetPort: 'https' },
          ],
          externalIPs: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
          clusterIPs: [],
          args: ['--x', '--y', '-v'],
          containers: [{ name: 'a', ports: [{ containerPort: 80 }] }],
          multi: [{ a: 1 }, { b: ['x', 'y'] }, null],
          json: { a: 1, b: 'two', c: [true, false, null] },
          spaced: ['a b', 'c'],
          empty: {},
        },
        endpoints: [{ addresses: ['10.1.0.1'], conditions: { ready: true }, nodeName: 'node-1' }, [1, -2, '3', "it's", 'fd00::1', 'http://x/y', 'a#b']],
      },
    });
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ['a: [a, b, c]\n', { a: ['a', 'b', 'c'] }],
    ['a: [a,b,]\n', { a: ['a', 'b'] }],
    ['a: {b: c,}\n', { a: { b: 'c' } }],
    ['a: [ ]\n', { a: [] }],
    ['a: [[], {}, [[1]]]\n', { a: [[], {}, [[1]]] }],
    ['a: [0, 7, 65535, -1, true, False, TRUE, null, Null, ~]\n', { a: [0, 7, 65535, -1, true, false, true, null, null, null] }],
    ['a: ["80", \'80\', 80, "true", yes, no, on, 1.2.3.4]\n', { a: ['80', '80', 80, 'true', 'yes', 'no', 'on', '1.2.3.4'] }],
    ['a: {80: x, b.c/d: y}\n', { a: { '80': 'x', 'b.c/d': 'y' } }],
    ['a: {"x y": 1, \'z\': 2}\n', { a: { 'x y': 1, z: 2 } }],
    ['a: ["a\\tb", "\\u00e9", "a\\"b"]\n', { a: ['a\tb', 'é', 'a"b'] }],
    ['a: [a:b, a:b:c, a:#b]\n', { a: ['a:b', 'a:b:c', 'a:#b'] }],
    ['a: [+x, +, -_, --, =, <<]\n', { a: ['+x', '+', '-_', '--', '=', '<<'] }],
    ['a: {"k":v, "l":[1], "m":{"n":-1}}\n', { a: { k: 'v', l: [1], m: { n: -1 } } }],
    ['a: [1,\n  2]\nb: 3\n', { a: [1, 2], b: 3 }],
    ['a: {b: c\n  , d: e}\n', { a: { b: 'c', d: 'e' } }],
    ['a:\n  - [\n   1]\n', { a: [[1]] }],
    ['- [a]\n- {b: c}\n', [['a'], { b: 'c' }]],
    ['a: [x] # c\nb: {y: z}   # d\n', { a: ['x'], b: { y: 'z' } }],
  ])('reads %j', (text, value) => {
    expect(loadPlainYaml(text)).toEqual({ value });
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ['a plain key with a colon right after it (the key a:b)', 'a: {a:b}\n'],
    ['a plain key with a space before its colon', 'a: {a : b}\n'],
    ['a key without a value', 'a: {a}\n'],
    ['an empty value', 'a: {a: }\n'],
    ['an empty value after a JSON-like key', 'a: {"a":}\n'],
    ['a pair in a sequence', 'a: [a: b]\n'],
    ['a quoted pair in a sequence', 'a: ["a": b]\n'],
    ['an empty entry', 'a: [a,,b]\n'],
    ['a lone comma', 'a: [,]\n'],
    ['an explicit key', 'a: [? x]\n'],
    ['a scalar starting with ?', 'a: [?x]\n'],
    ['a scalar starting with :', 'a: [:x]\n'],
    ['an anchor and an alias', 'a: [&x 1, *x]\n'],
    ['a tag', 'a: [!!str 1]\n'],
    ['a float', 'a: [1.5]\n'],
    ['an octal number', 'a: [0o17]\n'],
    ['a hexadecimal number', 'a: [0x1F]\n'],
    ['a number with a leading zero', 'a: [017]\n'],
    ['a negative zero', 'a: [-0]\n'],
    ['.inf', 'a: [.inf]\n'],
    ['a date', 'a: [2020-01-01]\n'],
    ['a multi-line plain scalar', 'a: [a\n  b]\n'],
    ['a multi-line quoted scalar', 'a: ["a\n  b"]\n'],
    ['a continuation line not indented', 'a: [1,\n2]\n'],
    ['a closing bracket not indented', 'a: [\n  1,\n]\n'],
    ['a closing bracket at the key\'s indentation', 's:\n  m: [\n    1,\n  ]\n'],
    ['a comment line not indented', 'a: [\n# c\n  1]\n'],
    ['a comment without a space before it', 'a: [a,#c\n  b]\n'],
    ['text after the collection', 'a: [a] x\n'],
    ['a comment right after the collection', 'a: [a]#c\n'],
    ['a flow collection as a key', '- {a: b}: c\n'],
    ['an unclosed collection', 'a: [a, b\n'],
    ['a closing bracket too many', 'a: [x]]\n'],
    ['a merge key', 'a: {<<: {b: 1}}\n'],
    ['a __proto__ key', 'a: {__proto__: 1}\n'],
    ['a quoted __proto__ key', 'a: {"__proto__": 1}\n'],
    ['a duplicate key', 'a: {b: 1, b: 2}\n'],
    ['a value on the next line', 'a: {b:\n  c}\n'],
    ['a more indented line after the collection', 'a: [1]\n  b: 2\n'],
    ['nesting deeper than forty levels', `a: ${'['.repeat(41)}${']'.repeat(41)}\n`],
  ])('gives up on %s', (_what, text) => {
    expect(loadPlainYaml(text)).toBeNull();
  });
});
