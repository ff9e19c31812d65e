import rule from './replicas-zero-exposed.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml, sliceYaml } from '../testing/fixtures.js';
import { deploymentYaml } from '../testing/workload-fixtures.js';

const nodePort = serviceYaml('web', ['type: NodePort', 'clusterIP: 10.96.0.20', 'selector: {app: web}', 'ports: [{port: 80, nodePort: 30080}]']);

ruleTester(rule, {
  valid: [
    { name: 'scaled up', code: [nodePort, deploymentYaml('web', { app: 'web' }, { replicas: 2 })].join('---\n') },
    { name: 'replicas unset is one', code: [nodePort, deploymentYaml('web', { app: 'web' })].join('---\n') },
    {
      name: 'a ClusterIP Service without externalIPs is not reachable from outside',
      code: [serviceYaml('web', ['clusterIP: 10.96.0.20', 'selector: {app: web}', 'ports: [{port: 80}]']), deploymentYaml('web', { app: 'web' }, { replicas: 0 })].join('---\n'),
    },
    {
      name: 'another selected workload makes pods',
      code: [nodePort, deploymentYaml('web', { app: 'web' }, { replicas: 0 }), deploymentYaml('web-canary', { app: 'web' }, { replicas: 1 })].join('---\n'),
    },
    {
      name: 'the input gives the Service an EndpointSlice',
      code: [nodePort, deploymentYaml('web', { app: 'web' }, { replicas: 0 }), sliceYaml('web', ['{port: 80}'], ['addresses: [10.244.0.5]'])].join('---\n'),
    },
  ],
  invalid: [
    {
      name: 'a NodePort Service in front of a Deployment scaled to zero',
      code: [nodePort, deploymentYaml('web', { app: 'web' }, { replicas: 0 })].join('---\n'),
      errors: [
        {
          message:
            'Deployment shop/web has replicas: 0 and is all that shop/web (NodePort) selects: the Service is reachable from outside the cluster but has no endpoints, so its connections are refused',
          line: 18,
          column: 13,
        },
      ],
    },
    {
      name: 'externalIPs on a ClusterIP Service, a StatefulSet scaled to zero',
      code: [
        serviceYaml('db', ['clusterIP: 10.96.0.21', 'externalIPs: [192.0.2.10]', 'selector: {app: db}', 'ports: [{port: 5432}]']),
        ['apiVersion: apps/v1', 'kind: StatefulSet', 'metadata: {name: db, namespace: shop}', 'spec:', '  replicas: 0', '  template:', '    metadata: {labels: {app: db}}', ''].join('\n'),
      ].join('---\n'),
      errors: [
        {
          message:
            'StatefulSet shop/db has replicas: 0 and is all that shop/db (externalIPs) selects: the Service is reachable from outside the cluster but has no endpoints, so its connections are refused',
          line: 16,
          column: 13,
        },
      ],
    },
  ],
});
