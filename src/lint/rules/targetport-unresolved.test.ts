import rule from './targetport-unresolved.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml, sliceYaml } from '../testing/fixtures.js';

const WEB = serviceYaml('web', [
  'clusterIP: 10.96.0.20',
  'selector: {app: web}',
  'ports:',
  '- name: http',
  '  port: 80',
  '  targetPort: web',
  '- name: metrics',
  '  port: 9090',
  '  targetPort: 9090',
]);

ruleTester(rule, {
  valid: [
    {
      name: 'the named port resolves on the pods',
      code: `${WEB}---\n${sliceYaml('web', ['{name: http, port: 8080}', '{name: metrics, port: 9090}'], ['{addresses: [10.244.0.5]}'])}`,
    },
    { name: 'no EndpointSlice given: nothing to tell', code: WEB },
  ],
  invalid: [
    {
      name: 'no pod has a container port named "web"',
      code: `${WEB}---\n${sliceYaml('web', ['{name: metrics, port: 9090}'], ['{addresses: [10.244.0.5]}'])}`,
      errors: [
        {
          message: 'targetPort "web" of shop/web:http resolves in none of the service\'s EndpointSlices: no pod exposes a container port named "web"',
          line: 12,
          column: 17,
        },
      ],
    },
  ],
});
