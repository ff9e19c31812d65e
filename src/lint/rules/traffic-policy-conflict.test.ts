import rule from './traffic-policy-conflict.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml } from '../testing/fixtures.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a LoadBalancer with externalTrafficPolicy Local and its health check port',
      code: serviceYaml('web', [
        'type: LoadBalancer',
        'clusterIP: 10.96.0.20',
        'selector: {app: web}',
        'externalTrafficPolicy: Local',
        'healthCheckNodePort: 30999',
        'ports: [{port: 80, nodePort: 30080}]',
      ]),
    },
    { name: 'a ClusterIP service without traffic policies', code: serviceYaml('web', ['clusterIP: 10.96.0.20', 'selector: {app: web}', 'ports: [{port: 80}]']) },
  ],
  invalid: [
    {
      name: 'externalTrafficPolicy on a ClusterIP service; a health check port without Local',
      code: [
        serviceYaml('web', ['clusterIP: 10.96.0.20', 'selector: {app: web}', 'externalTrafficPolicy: Local', 'ports: [{port: 80}]']),
        serviceYaml('api', ['type: NodePort', 'clusterIP: 10.96.0.21', 'selector: {app: api}', 'healthCheckNodePort: 30999', 'ports: [{port: 80, nodePort: 30080}]']),
      ].join('---\n'),
      errors: [
        {
          message: 'externalTrafficPolicy Local on shop/web, which is of type ClusterIP: it only applies to NodePort and LoadBalancer Services',
          line: 9,
          column: 26,
        },
        { message: 'healthCheckNodePort 30999 on shop/api is ignored: it needs type LoadBalancer with externalTrafficPolicy Local', line: 21, column: 24 },
      ],
    },
  ],
});
