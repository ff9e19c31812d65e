import rule from './clusterip-conflict.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml } from '../testing/fixtures.js';

const svc = (name: string, ip: string) => serviceYaml(name, [`clusterIP: ${ip}`, `selector: {app: ${name}}`, 'ports: [{port: 80}]']);

ruleTester(rule, {
  valid: [
    { name: 'distinct cluster IPs; headless services share none', code: [svc('web', '10.96.0.20'), svc('api', '10.96.0.21'), svc('db', 'None'), svc('db2', 'None')].join('---\n') },
  ],
  invalid: [
    {
      name: 'two services with one cluster IP',
      code: [svc('web', '10.96.0.20'), svc('api', '10.96.0.20')].join('---\n'),
      errors: [{ message: 'cluster IP 10.96.0.20 of shop/api is also the cluster IP of shop/web (input.txt:7)', line: 17, column: 14 }],
    },
  ],
});
