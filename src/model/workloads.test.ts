import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { buildCluster, type Cluster } from './cluster.js';
import { readText, type RawObject } from './read-documents.js';
import { resolveTargetPort, selectorMatches } from './workloads.js';

function read(text: string): { cluster: Cluster; diagnostics: Diagnostic[] } {
  const objects: RawObject[] = [];
  const diagnostics: Diagnostic[] = [];
  readText(text, 'w.yaml', objects, diagnostics);
  const cluster = buildCluster(objects, diagnostics);
  return { cluster, diagnostics };
}

/** A pod template with labels {app: NAME} and one container port `http` 8080. */
const template = (name: string, indent = '  '): string =>
  [
    'template:',
    '  metadata:',
    `    labels: {app: ${name}}`,
    '  spec:',
    '    containers:',
    '    - name: main',
    '      image: example/app:1',
    '      ports: [{name: http, containerPort: 8080}]',
  ]
    .map((l) => indent + l)
    .join('\n');

const controller = (apiVersion: string, kind: string, name: string, spec: string[] = []): string =>
  [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', `  name: ${name}`, '  namespace: shop', 'spec:', ...spec.map((l) => `  ${l}`), template(name), ''].join('\n');

describe('workloads in the cluster model', () => {
  it('reads every kind that makes pods', () => {
    const text = [
      controller('apps/v1', 'Deployment', 'web', ['replicas: 3', 'selector: {matchLabels: {app: web}}']),
      controller('apps/v1', 'ReplicaSet', 'rs', ['replicas: 2']),
      controller('apps/v1', 'StatefulSet', 'db', ['serviceName: db']),
      controller('apps/v1', 'DaemonSet', 'agent', ['updateStrategy: {type: RollingUpdate}']),
      controller('batch/v1', 'Job', 'once', ['parallelism: 4', 'completions: 8']),
      controller('v1', 'ReplicationController', 'old', ['replicas: 0']),
      [
        'apiVersion: batch/v1',
        'kind: CronJob',
        'metadata: {name: nightly, namespace: shop}',
        'spec:',
        '  schedule: "0 3 * * *"',
        '  jobTemplate:',
        '    spec:',
        '      parallelism: 2',
        template('nightly', '      '),
        '',
      ].join('\n'),
      ['apiVersion: v1', 'kind: PodTemplate', 'metadata: {name: tpl, namespace: shop}', template('tpl', ''), ''].join('\n'),
    ].join('---\n');
    const { cluster, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect(cluster.skipped).toEqual([]);
    expect(cluster.workloads.map((w) => [w.kind, `${w.namespace}/${w.name}`, w.replicas, w.labels, w.ports, w.ready])).toEqual([
      ['Deployment', 'shop/web', 3, { app: 'web' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], true],
      ['ReplicaSet', 'shop/rs', 2, { app: 'rs' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], true],
      ['StatefulSet', 'shop/db', 1, { app: 'db' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], true],
      ['DaemonSet', 'shop/agent', null, { app: 'agent' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], true],
      ['Job', 'shop/once', 4, { app: 'once' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], true],
      ['ReplicationController', 'shop/old', 0, { app: 'old' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], true],
      ['CronJob', 'shop/nightly', 2, { app: 'nightly' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], true],
      ['PodTemplate', 'shop/tpl', 1, { app: 'tpl' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], true],
    ]);
  });

  it('reads the older apiVersions repositories still hold, the same way', () => {
    const text = [
      controller('extensions/v1beta1', 'Deployment', 'a'),
      controller('apps/v1beta1', 'Deployment', 'b'),
      controller('apps/v1beta2', 'Deployment', 'c'),
      controller('extensions/v1beta1', 'DaemonSet', 'd'),
      controller('apps/v1beta2', 'ReplicaSet', 'e'),
      controller('apps/v1beta1', 'StatefulSet', 'f'),
      ['apiVersion: batch/v1beta1', 'kind: CronJob', 'metadata: {name: g, namespace: shop}', 'spec:', '  jobTemplate:', '    spec:', template('g', '      '), ''].join('\n'),
    ].join('---\n');
    const { cluster, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect(cluster.workloads.map((w) => `${w.kind} ${w.name} ${String(w.replicas)} ${w.labels.app ?? ''} ${w.ports.length}`)).toEqual([
      'Deployment a 1 a 1',
      'Deployment b 1 b 1',
      'Deployment c 1 c 1',
      'DaemonSet d null d 1',
      'ReplicaSet e 1 e 1',
      'StatefulSet f 1 f 1',
      'CronJob g 1 g 1',
    ]);
  });

  it('reads workloads out of a List (a DeploymentList as kubectl prints it)', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { metadata: { labels: { app: 'web' } } } } }],
    });
    const { cluster, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect(cluster.workloads.map((w) => `${w.namespace}/${w.name}`)).toEqual(['default/web']);
  });

  it('reads a Pod: its own labels, addresses, node and Ready condition', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web-7d9f',
      '  namespace: shop',
      '  labels: {app: web, pod-template-hash: 7d9f}',
      'spec:',
      '  nodeName: worker-1',
      '  containers:',
      '  - name: main',
      '    ports:',
      '    - {name: dns, containerPort: 53, protocol: UDP}',
      'status:',
      '  podIP: 10.244.1.7',
      '  podIPs: [{ip: 10.244.1.7}, {ip: "fd00:10:244:1::7"}]',
      '  conditions:',
      '  - {type: PodScheduled, status: "True"}',
      '  - {type: Ready, status: "False"}',
      '',
    ].join('\n');
    const { cluster, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    const [pod] = cluster.workloads;
    expect(pod && { ...pod, src: undefined, podIPs: pod.podIPs.map((ip) => ip.text) }).toEqual({
      kind: 'Pod',
      namespace: 'shop',
      name: 'web-7d9f',
      replicas: 1,
      labels: { app: 'web', 'pod-template-hash': '7d9f' },
      ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }],
      nodeName: 'worker-1',
      podIPs: ['10.244.1.7', 'fd00:10:244:1::7'],
      ready: false,
      src: undefined,
    });
  });

  it('reads a Pod with only status.podIP, and a Pod without status', () => {
    const text = [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.244.0.5, conditions: [{type: Ready, status: "True"}]}\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: b, annotations: {rulec.io/ready: "false"}}\nspec: {containers: [{name: c}]}\n',
    ].join('---\n');
    const { cluster, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect(cluster.workloads.map((w) => [w.name, w.podIPs.map((ip) => ip.text), w.nodeName, w.ready])).toEqual([
      ['a', ['10.244.0.5'], null, true],
      ['b', [], null, false],
    ]);
  });

  it('counts the ports of sidecars (init containers that always restart), after the containers', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      initContainers:',
      '      - {name: migrate, ports: [{name: once, containerPort: 9000}]}',
      '      - {name: proxy, restartPolicy: Always, ports: [{name: proxy, containerPort: 15001}]}',
      '      containers:',
      '      - {name: main, ports: [{name: http, containerPort: 8080}, {containerPort: 9090, protocol: SCTP}]}',
      '',
    ].join('\n');
    const { cluster, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect(cluster.workloads[0]?.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: '', containerPort: 9090, protocol: 'SCTP' },
      { name: 'proxy', containerPort: 15001, protocol: 'TCP' },
    ]);
  });

  it('reads a workload without pod template labels, and makes its pods not ready by annotation', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bare\n  annotations: {rulec.io/ready: "false"}\nspec: {replicas: 2}\n';
    const { cluster, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect(cluster.workloads.map((w) => [w.name, w.replicas, w.labels, w.ports, w.ready])).toEqual([['bare', 2, {}, [], false]]);
  });

  it('leaves fields rulec does not read alone, whatever they hold', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, labels: {team: shop}}',
      'spec:',
      '  strategy: {type: Recreate, rollingUpdate: 12}',
      '  selector: {matchExpressions: [{key: app, operator: In, values: [web]}]}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      volumes: 3',
      '      containers:',
      '      - {name: main, image: 7, resources: {limits: {cpu: 1}}, ports: [{containerPort: 80, hostPort: 80, hostIP: 0.0.0.0}]}',
      '',
    ].join('\n');
    const { cluster, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect(cluster.workloads[0]?.ports).toEqual([{ name: '', containerPort: 80, protocol: 'TCP' }]);
  });

  it('reports an invalid container port at its place, and leaves the workload out', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, namespace: shop}',
      'spec:',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers:',
      '      - name: main',
      '        ports:',
      '        - {name: http, containerPort: 8080}',
      '        - {name: admin, containerPort: 70000}',
      '        - {name: Metrics_Port, containerPort: 9090, protocol: HTTP}',
      '',
    ].join('\n');
    const { cluster, diagnostics } = read(text);
    expect(cluster.workloads).toEqual([]);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`)).toEqual([
      '12:40 error RC101 Deployment shop/web: spec.template.spec.containers[0].ports[1].containerPort: must be at most 65535, got number 70000',
      `13:18 error RC101 Deployment shop/web: spec.template.spec.containers[0].ports[2].name: "Metrics_Port" is not a port name (an IANA service name: 1 to 15 lower-case letters, digits and '-', with a letter)`,
      '13:63 error RC101 Deployment shop/web: spec.template.spec.containers[0].ports[2].protocol: must be one of "TCP", "UDP", "SCTP", got string "HTTP"',
    ]);
  });

  it('reports negative replicas, non-string labels, a bad Pod IP and a bad rulec.io/ready', () => {
    const text = [
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {replicas: -1}\n',
      'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec: {template: {metadata: {labels: {version: 2}}}}\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {podIPs: [{ip: 10.244.0.300}]}\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, annotations: {rulec.io/ready: "no"}}\n',
    ].join('---\n');
    const { cluster, diagnostics } = read(text);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '4:18 RC101 StatefulSet default/db: spec.replicas: must be at least 0, got number -1',
      '9:48 RC100 ReplicaSet default/rs: spec.template.metadata.labels.version: expected string, got number 2',
      '14:24 RC101 Pod default/p: status.podIPs[0].ip: "10.244.0.300" is not an IP address',
      '18:51 RC101 Deployment default/d: annotation rulec.io/ready: expected "true" or "false", got "no"',
    ]);
    expect(cluster.workloads.map((w) => w.name)).toEqual(['d']);
  });

  it('reports a workload defined twice, and an apiVersion not read', () => {
    const text = [controller('apps/v1', 'Deployment', 'web'), controller('extensions/v1beta1', 'Deployment', 'web'), controller('apps/v2', 'DaemonSet', 'agent')].join(
      '---\n',
    );
    const { cluster, diagnostics } = read(text);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '19:9 RC102 Deployment shop/web is defined twice (first at w.yaml:1:1)',
      '31:13 RC103 DaemonSet agent: apiVersion "apps/v2" is not read; use apps/v1',
    ]);
    expect(cluster.workloads.map((w) => w.name)).toEqual(['web']);
  });

  it('still skips kinds it does not read', () => {
    const { cluster } = read('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: r}\n');
    expect(cluster.skipped.map((s) => s.kind)).toEqual(['ConfigMap', 'ControllerRevision']);
    expect(cluster.workloads).toEqual([]);
  });
});

describe('selectorMatches and resolveTargetPort', () => {
  it('an empty or absent selector picks nothing; every key must match', () => {
    expect(selectorMatches(null, { app: 'web' })).toBe(false);
    expect(selectorMatches({}, { app: 'web' })).toBe(false);
    expect(selectorMatches({ app: 'web' }, { app: 'web', tier: 'front' })).toBe(true);
    expect(selectorMatches({ app: 'web', tier: 'back' }, { app: 'web', tier: 'front' })).toBe(false);
  });
  it('a name resolves per protocol; a number is itself; unset is the service port', () => {
    const ports = [{ name: 'dns', containerPort: 53, protocol: 'UDP' as const }];
    expect(resolveTargetPort('dns', 53, 'UDP', ports)).toBe(53);
    expect(resolveTargetPort('dns', 53, 'TCP', ports)).toBeNull();
    expect(resolveTargetPort(8080, 80, 'TCP', ports)).toBe(8080);
    expect(resolveTargetPort(null, 80, 'TCP', ports)).toBe(80);
  });
});
