import rule from './port-not-targeted.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml } from '../testing/fixtures.js';
import { deploymentYaml } from '../testing/workload-fixtures.js';

const svc = (name: string, ports: string) => serviceYaml(name, ['clusterIP: 10.96.0.20', 'selector: {app: web}', `ports: ${ports}`]);
const web = deploymentYaml('web', { app: 'web' }, { ports: ['{name: http, containerPort: 8080}', '{name: metrics, containerPort: 9090}'] });

ruleTester(rule, {
  valid: [
    { name: 'every named port targeted, by name and by number', code: [svc('web', '[{name: http, port: 80, targetPort: http}, {name: m, port: 9090}]'), web].join('---\n') },
    {
      name: 'two Services share the ports between them',
      code: [svc('web', '[{port: 80, targetPort: http}]'), serviceYaml('web-metrics', ['selector: {app: web}', 'ports: [{port: 9090, targetPort: 9090}]'])].concat(web).join('---\n'),
    },
    { name: 'no Service selects the workload', code: [serviceYaml('api', ['selector: {app: api}', 'ports: [{port: 80, targetPort: http}]']), web].join('---\n') },
    { name: 'the Service targets no declared port: nothing to judge', code: [svc('web', '[{port: 80, targetPort: 8000}]'), web].join('---\n') },
    {
      name: 'unnamed container ports are not reported',
      code: [svc('web', '[{port: 80, targetPort: 8080}]'), deploymentYaml('web', { app: 'web' }, { ports: ['{containerPort: 8080}', '{containerPort: 9090}'] })].join('---\n'),
    },
    {
      name: 'a UDP port of the same number is another port',
      code: [
        svc('dns', '[{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]'),
        deploymentYaml('web', { app: 'web' }, { ports: ['{name: dns, containerPort: 53, protocol: UDP}', '{name: dns-tcp, containerPort: 53}'] }),
      ].join('---\n'),
    },
    {
      name: 'a metrics port the workload says is reached at the pod, by annotation',
      code: [
        svc('web', '[{port: 80, targetPort: http}]'),
        web.replace('  namespace: shop\n', '  namespace: shop\n  annotations: {rulec.io/ignore: port-not-targeted}\n'),
      ].join('---\n'),
    },
  ],
  invalid: [
    {
      name: 'a metrics port no Service sends to',
      code: [svc('web', '[{port: 80, targetPort: http}]'), web].join('---\n'),
      errors: [
        {
          message: 'container port "metrics" (9090/TCP) of Deployment shop/web is the target of no port of shop/web, which select its pods: no Service sends traffic to it',
          line: 25,
          column: 18,
        },
      ],
    },
    {
      name: 'the Service targets the port number on the wrong protocol',
      code: [
        svc('dns', '[{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, targetPort: 5353, protocol: TCP}]'),
        deploymentYaml('web', { app: 'web' }, { ports: ['{name: dns, containerPort: 53, protocol: UDP}', '{name: dns-tcp, containerPort: 53}'] }),
      ].join('---\n'),
      errors: [
        {
          message: 'container port "dns-tcp" (53/TCP) of Deployment shop/web is the target of no port of shop/dns, which select its pods: no Service sends traffic to it',
          line: 25,
          column: 18,
        },
      ],
    },
  ],
});
