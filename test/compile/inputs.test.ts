import { mkdirSync, readFileSync, mkdtempSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

/** Inputs as users have them: kube-proxy's ConfigMap, kubectl's JSON List, stdin. */
describe('kube-proxy ConfigMap', () => {
  it('is read as the KubeProxyConfiguration it carries', async () => {
    const r = await runCli(['compile', 'examples/cluster/node.yaml', 'test/fixtures/inputs/kube-proxy-configmap.yaml', 'examples/cluster/nodeport-app.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readFileSync('test/golden/nodeport-app/expected.iptables', 'utf8'));
  });

  it('points a bad config.conf at the ConfigMap field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-cm-'));
    const file = join(dir, 'cm.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-proxy, namespace: kube-system}\ndata:\n  config.conf: |\n    kind: KubeProxyConfiguration\n    apiVersion: kubeproxy.config.k8s.io/v1alpha1\n    iptables: {masqueradeBit: 40}\n',
    );
    const r = await runCli(['compile', file]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${file}:5:16: error RC101: KubeProxyConfiguration (unnamed): iptables.masqueradeBit: must be at most 31, got number 40\n`);
  });

  it('leaves other ConfigMaps alone', async () => {
    const r = await runCli(['compile', '--verbose', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: b}\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      '<stdin>:1:1: warning RC006: the one object read is not one rulec compiles (Service, EndpointSlice, Endpoints, Node, KubeProxyConfiguration, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController, Pod, PodTemplate): the rules have no service (--verbose lists what was skipped)\n' +
        '<stdin>:1:1: note RC900: skipped ConfigMap app: not an object rulec reads\n',
    );
  });
});

/** A folder as a ConfigMap volume mounts it: `..data` -> a timestamped folder, every file a link into `..data`. */
function configMapVolume(dir: string, files: Record<string, string>): void {
  const stamp = '..2024_05_01_10_00_00.123456789';
  mkdirSync(join(dir, stamp));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, stamp, name), text);
  symlinkSync(stamp, join(dir, '..data'));
  for (const name of Object.keys(files)) symlinkSync(`..data/${name}`, join(dir, name));
}

describe('folders', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-dir-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a ConfigMap volume compiles as its files do, each read once', async () => {
    const names = ['node.yaml', 'kube-proxy.yaml', 'nodeport-app.yaml'];
    configMapVolume(dir, Object.fromEntries(names.map((n) => [n, readFileSync(`examples/cluster/${n}`, 'utf8')])));
    const direct = await runCli(['compile', ...names.map((n) => `examples/cluster/${n}`)]);
    const r = await runCli(['compile', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(direct.stdout);
  });

  it('a dangling link is an error with its path, and nothing is written', async () => {
    configMapVolume(dir, { 'app.yaml': readFileSync('examples/cluster/nodeport-app.yaml', 'utf8') });
    symlinkSync('..data/gone.yaml', join(dir, 'gone.yaml'));
    const r = await runCli(['compile', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${join(dir, 'gone.yaml')}:1:1: error RC001: no such file or directory: a dangling symbolic link to "..data/gone.yaml"\n`);
  });

  it('a folder with no manifest is exit 2 for every command that reads manifest folders', async () => {
    mkdirSync(join(dir, 'empty'));
    const empty = join(dir, 'empty');
    const said = `${empty}:1:1: error RC001: no *.yaml, *.yml or *.json file in this folder\n`;
    for (const args of [
      ['compile', empty],
      ['compile', '--mode', 'nftables', empty],
      ['trace', empty, '--dst', '10.96.0.10:80'],
      ['diff', empty, 'examples/cluster'],
      ['explain', empty],
      ['graph', empty],
    ]) {
      const r = await runCli(args);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, code: 2, stdout: '', stderr: said });
    }
    // check reports its count of golden files (none) beside the error.
    const check = await runCli(['check', empty]);
    expect({ code: check.code, stderr: check.stderr }).toEqual({ code: 2, stderr: said });
    const lint = await runCli(['lint', 'examples/cluster/nodeport-app.iptables', '--manifests', empty]);
    expect(lint.code).toBe(2);
    // lint reports input problems in its report.
    expect(lint.stdout).toContain('no input file in this folder');
  });
});

describe('kube-proxy ConfigMap: only the one kube-proxy reads', () => {
  const CM = (ns: string, name: string, inner = 'kind: KubeProxyConfiguration\n    apiVersion: kubeproxy.config.k8s.io/v1alpha1\n    iptables: {masqueradeBit: 3}') =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${ns}}\ndata:\n  config.conf: |\n    ${inner}\n`;
  const app = readFileSync('examples/cluster/nodeport-app.yaml', 'utf8');
  const marks = (text: string) => [...new Set(text.match(/0x[0-9a-f]{8}/g) ?? [])];

  it('reads kube-system/kube-proxy', async () => {
    const r = await runCli(['compile', '-'], `${CM('kube-system', 'kube-proxy')}---\n${app}`);
    expect(r.stderr).toBe('');
    expect(marks(r.stdout)).toEqual(['0x00000008']);
  });

  it('skips a look-alike in another namespace or under another name, with a note', async () => {
    for (const [ns, name] of [['default', 'kube-proxy'], ['kube-system', 'evil']]) {
      const r = await runCli(['compile', '--verbose', '-'], `${CM(ns as string, name as string)}---\n${app}`);
      expect(r.code).toBe(0);
      expect(marks(r.stdout)).toEqual(['0x00004000']);
      expect(r.stderr).toBe(`<stdin>:1:1: note RC900: skipped ConfigMap ${name}: not an object rulec reads\n`);
    }
  });

  it('skips kube-proxy\'s ConfigMap when config.conf holds another kind, with a note', async () => {
    const r = await runCli(['compile', '--verbose', '-'], `${CM('kube-system', 'kube-proxy', 'kind: Service\n    apiVersion: v1\n    metadata: {name: x}')}---\n${app}`);
    expect(r.code).toBe(0);
    expect(marks(r.stdout)).toEqual(['0x00004000']);
    expect(r.stderr).toBe('<stdin>:5:16: note RC900: skipped ConfigMap kube-system/kube-proxy: data["config.conf"] holds a Service, not a KubeProxyConfiguration\n');
  });

  it('reads the ConfigMap named by --kube-proxy-configmap instead', async () => {
    const input = `${CM('net', 'proxy-config')}---\n${app}`;
    const r = await runCli(['compile', '--kube-proxy-configmap', 'net/proxy-config', '-'], input);
    expect(r.stderr).toBe('');
    expect(marks(r.stdout)).toEqual(['0x00000008']);
    const explained = await runCli(['explain', '--kube-proxy-configmap', 'net/proxy-config', '-'], input);
    expect(explained.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'rulec-cm-check-'));
    try {
      writeFileSync(join(dir, 'app.yaml'), input);
      const checked = await runCli(['check', '--kube-proxy-configmap', 'net/proxy-config', '--update', dir]);
      expect(checked.code).toBe(0);
      expect(marks(readFileSync(join(dir, 'app.iptables'), 'utf8'))).toEqual(['0x00000008']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const linted = await runCli(['lint', '--kube-proxy-configmap', 'kube-proxy', '-'], input);
    expect(linted.code).toBe(2);
    expect(linted.stdout).toContain('--kube-proxy-configmap "kube-proxy" is not NAMESPACE/NAME');
    const bad = await runCli(['compile', '--kube-proxy-configmap', 'kube-proxy', '-'], input);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('<flags>:1:1: error RC104: --kube-proxy-configmap "kube-proxy" is not NAMESPACE/NAME\n');
  });
});

describe('inputs that would read as nothing', () => {
  it('standard input with no document at all is an error, and nothing is written', async () => {
    for (const stdin of ['', '# only a comment\n', 'null\n', '---\n~\n']) {
      const r = await runCli(['compile', '-'], stdin);
      expect(r.code, JSON.stringify(stdin)).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('<stdin>:1:1: error RC005: no Kubernetes object in the input (it is empty or holds only comments); an empty cluster is a List with no items\n');
    }
  });

  it('objects of no kind rulec compiles give rules with a warning that says so', async () => {
    const r = await runCli(['compile', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: p}\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      '<stdin>:1:1: warning RC006: none of the 2 objects read is one rulec compiles (Service, EndpointSlice, Endpoints, Node, KubeProxyConfiguration, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController, Pod, PodTemplate): the rules have no service (--verbose lists what was skipped)\n',
    );
  });

  it('comments before the first --- and a --- at the end hold no document, and are read without a word', async () => {
    const r = await runCli(['compile', '-'], '# Copyright the authors.\n# Licensed under the Apache License 2.0\n---\napiVersion: v1\nkind: List\nitems: []\n---\n# end\n---\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('an invalid YAML document with stray carriage returns is reported at the line a person sees', async () => {
    const r = await runCli(['compile', '-'], 'apiVersion: v1\r\r\nkind: Service\r\r\nmetadata: {name: web}\r\r\nspec:\r\r\n <<: *a clusterIP: 10.96.0.1\r\r\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^<stdin>:5:\d+: error RC011: invalid YAML: /);
  });

  it('an empty List is an empty cluster, read without a word', async () => {
    const r = await runCli(['compile', '-'], 'apiVersion: v1\nkind: List\nitems: []\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('*nat\n');
  });
});
