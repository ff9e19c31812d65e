import rule from './selector-other-namespace.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml, sliceYaml } from '../testing/fixtures.js';
import { deploymentYaml } from '../testing/workload-fixtures.js';

const svc = (name: string, selector: string, namespace = 'shop') => serviceYaml(name, ['clusterIP: 10.96.0.20', `selector: ${selector}`, 'ports: [{port: 80}]'], namespace);

ruleTester(rule, {
  valid: [
    {
      name: 'pods in its own namespace too: the Service selects those',
      code: [svc('web', '{app: web}'), deploymentYaml('web', { app: 'web' }), deploymentYaml('web', { app: 'web' }, { namespace: 'staging' })].join('---\n'),
    },
    { name: 'matches nothing anywhere: selector-matches-nothing', code: [svc('web', '{app: web}'), deploymentYaml('api', { app: 'api' }, { namespace: 'staging' })].join('---\n') },
    {
      name: 'the input gives the Service an EndpointSlice',
      code: [svc('web', '{app: web}'), deploymentYaml('web', { app: 'web' }, { namespace: 'staging' }), sliceYaml('web', ['{port: 80}'], ['addresses: [10.244.0.5]'])].join(
        '---\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'the Deployment went to the default namespace',
      code: [
        svc('web', '{app: web}'),
        ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  template:', '    metadata: {labels: {app: web}}', ''].join('\n'),
      ].join('---\n'),
      errors: [
        {
          message:
            'selector app=web of shop/web matches no workload in namespace shop but matches Deployment default/web: a Service selects pods of its own namespace only, so it has no backends',
          line: 8,
          column: 13,
        },
      ],
    },
    {
      name: 'several namespaces, the fourth counted',
      code: [
        svc('web', '{app: web}', 'prod'),
        ...['a', 'b', 'c', 'd'].map((ns) => deploymentYaml('web', { app: 'web' }, { namespace: ns })),
      ].join('---\n'),
      errors: [
        {
          message:
            'selector app=web of prod/web matches no workload in namespace prod but matches Deployment a/web, Deployment b/web, Deployment c/web and 1 more: a Service selects pods of its own namespace only, so it has no backends',
          line: 8,
          column: 13,
        },
      ],
    },
  ],
});
