import rule from './endpoint-not-ready-only.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml, sliceYaml } from '../testing/fixtures.js';

const WEB = serviceYaml('web', ['clusterIP: 10.96.0.20', 'selector: {app: web}', 'ports: [{name: http, port: 80}]']);
const slice = (...endpoints: string[]) => sliceYaml('web', ['{name: http, port: 8080}'], endpoints);

ruleTester(rule, {
  valid: [
    { name: 'one ready endpoint is enough', code: `${WEB}---\n${slice('{addresses: [10.244.0.5], conditions: {ready: false}}', '{addresses: [10.244.0.6], conditions: {ready: true}}')}` },
    { name: 'endpoints without conditions count as ready', code: `${WEB}---\n${slice('{addresses: [10.244.0.5]}')}` },
    { name: 'no endpoints at all', code: WEB },
  ],
  invalid: [
    {
      name: 'every endpoint failing its readiness probe',
      code: `${WEB}---\n${slice('{addresses: [10.244.0.5], conditions: {ready: false}}', '{addresses: [10.244.0.6], conditions: {ready: false}}')}`,
      errors: [{ message: 'all 2 endpoint(s) of shop/web are not ready: kube-proxy sends it no traffic', line: 4, column: 9 }],
    },
    {
      name: 'rolling out: only terminating pods still serve',
      code: `${WEB}---\n${slice('{addresses: [10.244.0.5], conditions: {ready: false, serving: true, terminating: true}}')}`,
      errors: [
        { message: 'all 1 endpoint(s) of shop/web are not ready: kube-proxy sends it no traffic except through its 1 serving, terminating endpoint(s)', line: 4, column: 9 },
      ],
    },
  ],
});
