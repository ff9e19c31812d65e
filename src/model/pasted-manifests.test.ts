import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { buildCluster } from './cluster.js';
import { readText, type RawObject } from './read-documents.js';

function read(text: string): { objects: RawObject[]; diagnostics: string[] } {
  const objects: RawObject[] = [];
  const diagnostics: Diagnostic[] = [];
  readText(text, 'paste', objects, diagnostics);
  return { objects, diagnostics: diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`) };
}

const SERVICE = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  clusterIP: 10.96.0.50', '  ports:', '  - port: 80'];

describe('a manifest as people paste it', () => {
  it('leaves out a heredoc, prompts and kubectl output, with a note each, keeping lines', () => {
    const text = ['$ cat <<EOF | kubectl apply -f -', ...SERVICE, 'EOF', 'service/web created', '$ kubectl get svc web', 'NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE', 'web    ClusterIP   10.96.0.50   <none>        80/TCP    5s'].join('\n');
    const r = read(text);
    expect(r.diagnostics).toEqual([
      "1:1 note RC014 shell prompt '$ cat <<EOF | kubectl apply -f -' is not part of a manifest; skipped",
      "10:1 note RC014 the end of a heredoc 'EOF' is not part of a manifest; skipped",
      '11:1 note RC014 kubectl output is not part of a manifest; skipped',
      "12:1 note RC014 shell prompt '$ kubectl get svc web' is not part of a manifest; skipped",
      '13:1 note RC014 kubectl output is not part of a manifest; skipped',
      '14:1 note RC014 kubectl output is not part of a manifest; skipped',
    ]);
    expect(r.objects).toHaveLength(1);
    expect(r.objects[0]?.src.doc.file).toBe('paste');
  });

  it('reads a prompt before JSON, a fence, words before the manifest, and web-page spaces', () => {
    expect(read(['[root@master01 ~]# kubectl get svc web -o json', '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}'].join('\n')).objects).toHaveLength(1);
    const r = read(['The Service I applied:', '```yaml', ...SERVICE.map((l) => l.replace(/^ {2}/, '\u00a0\u00a0')), '```'].join('\n'));
    expect(r.objects).toHaveLength(1);
    expect(r.diagnostics).toEqual([
      "1:1 note RC014 text 'The Service I applied:' before the manifest is not part of a manifest; skipped",
      '2:1 note RC014 code fence is not part of a manifest; skipped',
      '11:1 note RC014 code fence is not part of a manifest; skipped',
      '6:1 note RC015 8 × non-breaking space (U+00A0) read as spaces (copied text; first on line 6)',
    ]);
  });

  it('leaves a manifest that is no paste as it is, YAML markers and comments included', () => {
    const text = ['# the web service', '---', ...SERVICE, '...', '---', ...SERVICE.map((l) => l.replace('web', 'api'))].join('\n');
    const r = read(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.objects).toHaveLength(2);
  });

  it('leaves out indented cuts, however they are written, and nothing that only looks like one', () => {
    const text = [...SERVICE, '  ...', '  - port: 81', '    …', '  - port: 82', '\t....  ', '  - port: 83', '  - name: "..."', '    port: 84', '  - name: a...', '    port: 85'].join('\n');
    const r = read(text);
    expect(r.diagnostics.filter((d) => d.includes('RC014'))).toEqual([
      "9:1 note RC014 elision '...' is not part of a manifest; skipped",
      "11:1 note RC014 elision '…' is not part of a manifest; skipped",
      "13:1 note RC014 elision '....' is not part of a manifest; skipped",
    ]);
    const ports = (r.objects[0]?.value as { spec: { ports: { port: number }[] } }).spec.ports.map((p) => p.port);
    expect(ports).toEqual([80, 81, 82, 83, 84, 85]);
  });

  it('reads EndpointSlices of discovery.k8s.io/v1beta1, their node from the topology', () => {
    const slice = ['apiVersion: discovery.k8s.io/v1beta1', 'kind: EndpointSlice', 'metadata:', '  name: web-1', '  labels: {kubernetes.io/service-name: web}', 'addressType: IPv4', 'ports: [{port: 8080}]', 'endpoints:', '- addresses: ["10.244.1.5"]', '  topology: {kubernetes.io/hostname: node-1, topology.kubernetes.io/zone: z1}'];
    const r = read([...SERVICE, '---', ...slice].join('\n'));
    const diagnostics: Diagnostic[] = [];
    const cluster = buildCluster(r.objects, diagnostics);
    expect(diagnostics).toEqual([]);
    expect(cluster.slices[0]?.endpoints.map((e) => [e.ip.text, e.nodeName, e.zone])).toEqual([['10.244.1.5', 'node-1', 'z1']]);
  });
});
