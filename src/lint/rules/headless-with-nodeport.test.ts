import rule from './headless-with-nodeport.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml } from '../testing/fixtures.js';

ruleTester(rule, {
  valid: [
    { name: 'a plain headless service', code: serviceYaml('db', ['clusterIP: None', 'selector: {app: db}', 'ports: [{port: 5432}]']) },
    { name: 'a NodePort service with a cluster IP', code: serviceYaml('web', ['type: NodePort', 'clusterIP: 10.96.0.20', 'selector: {app: web}', 'ports: [{port: 80, nodePort: 30080}]']) },
  ],
  invalid: [
    {
      name: 'a headless NodePort service',
      code: serviceYaml('db', ['type: NodePort', 'clusterIP: None', 'selector: {app: db}', 'ports: [{port: 5432}]']),
      errors: [{ message: 'shop/db is headless (clusterIP: None) but of type NodePort: headless services get no NodePort or load balancer', line: 7, column: 9 }],
    },
    {
      name: 'a nodePort on a headless ClusterIP service',
      code: serviceYaml('db', ['clusterIP: None', 'selector: {app: db}', 'ports:', '- port: 5432', '  nodePort: 30432']),
      errors: [{ message: 'nodePort 30432 on headless shop/db is never served: kube-proxy writes no rules for headless services', line: 11, column: 15 }],
    },
  ],
});
