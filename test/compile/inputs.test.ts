import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
    expect(r.stderr).toBe('<stdin>:1:1: note RC900: skipped ConfigMap app: not an object rulec reads\n');
  });
});
