import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Inputs that once exhausted the stack or the heap of the readers: nesting thousands deep, one
 * token of megabytes, and a diagnostic inside a very large document. Each runs the built program
 * (bin/rulec.js) as a child with a 1 GB heap and must end in a positioned diagnostic and exit 2.
 */
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'rulec.js');
const dir = mkdtempSync(join(tmpdir(), 'rulec-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rulec(args: string[]) {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=1024', bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, RULEC_LARGE_PAGES: '0', NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - started) / 1000 };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const COMMANDS: ((f: string) => string[])[] = [
  (f) => ['compile', f],
  (f) => ['lint', f],
  (f) => ['explain', f],
  (f) => ['trace', f, '--dst', '10.0.0.1:80'],
  (f) => ['diff', f, f],
  (f) => ['graph', f],
  (f) => ['check', f],
];

describe('deeply nested manifests', () => {
  const cases: [string, string, string][] = [
    ['open-arrays.json', '['.repeat(12_000), 'open-arrays.json:1:257: error RC012: invalid JSON: nesting deeper than 256 levels'],
    ['open-objects.json', '{"a":'.repeat(12_000), 'open-objects.json:1:1281: error RC012: invalid JSON: nesting deeper than 256 levels'],
    [
      'valid-deep.json',
      `{"kind":"Service","x":${'['.repeat(12_000)}${']'.repeat(12_000)}}`,
      'valid-deep.json:1:278: error RC012: invalid JSON: nesting deeper than 256 levels',
    ],
    ['flow.yaml', `kind: Service\nx: ${'['.repeat(12_000)}\n`, 'flow.yaml:2:103: error RC011: invalid YAML: nesting exceeded maxDepth (100)'],
    ['dashes.yaml', `kind: Service\nx:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i * 2)}- `).join('\n')}\n`, 'dashes.yaml:102:199: error RC011: invalid YAML: nesting exceeded maxDepth (100)'],
    ['blocks.yaml', `kind: Service\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n`, 'blocks.yaml:101:100: error RC011: invalid YAML: nesting exceeded maxDepth (100)'],
  ];
  for (const [name, text, diagnostic] of cases) {
    it(`${name}: a positioned diagnostic and exit 2 from every command`, () => {
      const f = file(name, text);
      const [, line, column, rest] = /^[^:]+:(\d+):(\d+): error (.*)$/.exec(diagnostic) ?? [];
      const [code, message] = [rest?.slice(0, 5), rest?.slice(7)];
      for (const args of COMMANDS) {
        const r = rulec(args(f));
        const out = `${r.stderr}${r.stdout}`;
        const what = args(f).join(' ');
        // lint prints its report on stdout, in its own format; the others print the diagnostic.
        if (args(f)[0] === 'lint') expect({ what, out }).toEqual({ what, out: expect.stringContaining(`${line}:${column}  error  ${message}  ${code}`) });
        else {
          expect({ what, out: r.stderr }).toEqual({ what, out: expect.stringContaining(diagnostic) });
          // check closes with its summary line; nothing else may be printed.
          if (args(f)[0] !== 'check') expect(r.stdout).toBe('');
        }
        expect(out).not.toContain('internal error');
        expect(r.code).toBe(2);
      }
    });
  }
});

describe('one long token in a dump', () => {
  const header = 'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536 comment\n';
  const body = 'a'.repeat(9_000_000);
  it('an ipset comment of 9 MB, closed or not, is a line too long for any dump: skipped with its position', () => {
    for (const [name, line] of [
      ['long-comment.ipset', `add KUBE-CLUSTER-IP 10.0.0.1,tcp:80 comment "${body}"`],
      ['open-comment.ipset', `add KUBE-CLUSTER-IP 10.0.0.1,tcp:80 comment "${body}`],
    ] as const) {
      const f = file(name, `${header}${line}\n`);
      const r = rulec(['parse', f]);
      expect(r.stderr).toBe(`${f}:2:1: error RC205: line is ${line.length} characters long, longer than any dump line can be (limit 65536); skipped\n`);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});

describe('a diagnostic inside a large document', () => {
  it('points into a 35 MB JSON List in about the time of a valid compile', () => {
    const items: unknown[] = [];
    for (let i = 0; i < 10_000; i++) {
      const ns = `ns${i % 50}`;
      items.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${i}`, namespace: ns, annotations: { description: 'x'.repeat(200) } },
        spec: { clusterIP: `10.96.${(i >> 8) & 255}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }] },
      });
      items.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `svc-${i}-a`, namespace: ns, labels: { 'kubernetes.io/service-name': `svc-${i}` } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }],
        endpoints: Array.from({ length: 10 }, (_, k) => ({ addresses: [`10.${100 + k}.${(i >> 8) & 255}.${i & 255}`], conditions: { ready: true }, nodeName: `node-${k}` })),
      });
    }
    (items[19_998] as { spec: { ports: Record<string, unknown>[] } }).spec.ports[1] = { name: 'https', port: 'x', protocol: 'TCP', targetPort: 8443 };
    const text = `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}
`;
    expect(text.length).toBeGreaterThan(30_000_000);
    const at = text.indexOf('"x"');
    expect(at).toBeGreaterThan(0);
    const line = text.slice(0, at).split('\n').length;
    const column = at - text.lastIndexOf('\n', at);
    const f = file('big.json', text);
    const r = rulec(['compile', f]);
    expect(r.stderr).toBe(`big.json:${line}:${column}: error RC100: Service ns49/svc-9999: spec.ports[1].port: expected number, got string "x"\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.seconds).toBeLessThan(10);
  });

  it('points into a 12 MB flow list in a YAML document without running out of memory', () => {
    const parts: string[] = [];
    for (let i = 0; i < 65_000; i++) {
      const port = i === 64_999 ? 'x' : '80';
      parts.push(`{apiVersion: v1, kind: Service, metadata: {name: svc-${i}, namespace: default}, spec: {clusterIP: 10.96.${(i >> 8) & 255}.${i & 255}, ports: [{name: http, port: ${port}, protocol: TCP, targetPort: 8080}]}}`);
    }
    const text = `apiVersion: v1\nkind: List\nitems: [${parts.join(',\n  ')}]\n`;
    expect(text.length).toBeGreaterThan(10_000_000);
    const f = file('flow.yaml', text);
    const r = rulec(['compile', f]);
    expect(r.stderr).toBe('flow.yaml:65002:144: error RC100: Service default/svc-64999: spec.ports[0].port: expected number, got string "x"\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
