import rule from './selector-matches-nothing.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml, sliceYaml } from '../testing/fixtures.js';
import { deploymentYaml } from '../testing/workload-fixtures.js';

const svc = (name: string, selector: string, namespace = 'shop') => serviceYaml(name, ['clusterIP: 10.96.0.20', `selector: ${selector}`, 'ports: [{port: 80}]'], namespace);

ruleTester(rule, {
  valid: [
    { name: 'the selector matches a Deployment of its namespace', code: [svc('web', '{app: web}'), deploymentYaml('web', { app: 'web', tier: 'front' })].join('---\n') },
    { name: 'manifests without workloads say nothing about selectors', code: svc('web', '{app: web}') },
    {
      name: 'the input gives the Service an EndpointSlice',
      code: [svc('web', '{app: web}'), deploymentYaml('api', { app: 'api' }), sliceYaml('web', ['{port: 80}'], ['addresses: [10.244.0.5]'])].join('---\n'),
    },
    { name: 'a Service without a selector is another rule', code: [serviceYaml('ext', ['clusterIP: 10.96.0.21', 'ports: [{port: 80}]']), deploymentYaml('api', { app: 'api' })].join('---\n') },
    {
      name: 'a selector that matches pods of another namespace is selector-other-namespace',
      code: [svc('web', '{app: web}'), deploymentYaml('web', { app: 'web' }, { namespace: 'staging' })].join('---\n'),
    },
  ],
  invalid: [
    {
      name: 'one label differs',
      code: [svc('web', '{app: web, tier: front}'), deploymentYaml('web', { app: 'web', tier: 'frontend' })].join('---\n'),
      errors: [
        {
          message:
            'selector app=web,tier=front of shop/web matches the pods of no workload in namespace shop, and the manifests define no EndpointSlice or Endpoints for it: it has no backends',
          line: 8,
          column: 13,
        },
      ],
    },
    {
      name: 'a selector written in block style, with the labels on the Deployment itself rather than its pods',
      code: [
        serviceYaml('api', ['selector:', '  app: api', 'ports: [{port: 8080}]']),
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: api, namespace: shop, labels: {app: api}}',
          'spec:',
          '  template:',
          '    spec: {containers: [{name: main}]}',
          '',
        ].join('\n'),
      ].join('---\n'),
      errors: [
        {
          message:
            'selector app=api of shop/api matches the pods of no workload in namespace shop, and the manifests define no EndpointSlice or Endpoints for it: it has no backends',
          line: 8,
          column: 5,
        },
      ],
    },
  ],
});
