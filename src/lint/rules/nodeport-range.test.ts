import rule from './nodeport-range.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml } from '../testing/fixtures.js';

const web = (nodePort: number) =>
  serviceYaml('web', ['type: NodePort', 'clusterIP: 10.96.0.20', 'selector: {app: web}', 'ports:', '- name: http', '  port: 80', `  nodePort: ${nodePort}`]);

ruleTester(rule, {
  valid: [
    { name: 'a NodePort in the default range', code: web(30080) },
    { name: 'a NodePort in a configured range', code: web(8080), settings: { nodePortRange: { min: 8000, max: 9000 } } },
  ],
  invalid: [
    {
      name: 'a NodePort below the default range',
      code: web(8080),
      errors: [{ message: 'nodePort 8080 of shop/web:http is outside the NodePort range 30000-32767: the API server rejects it', line: 13, column: 15 }],
    },
    {
      name: 'a NodePort outside a configured range',
      code: web(30080),
      settings: { nodePortRange: { min: 8000, max: 9000 } },
      errors: [{ message: 'nodePort 30080 of shop/web:http is outside the NodePort range 8000-9000: the API server rejects it', line: 13, column: 15 }],
    },
  ],
});
