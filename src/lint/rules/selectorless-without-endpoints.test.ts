import rule from './selectorless-without-endpoints.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml, sliceYaml } from '../testing/fixtures.js';

const EXTERNAL_DB = serviceYaml('db', ['clusterIP: 10.96.0.30', 'ports: [{name: pg, port: 5432}]']);

ruleTester(rule, {
  valid: [
    { name: 'a service with a selector', code: serviceYaml('web', ['clusterIP: 10.96.0.20', 'selector: {app: web}', 'ports: [{port: 80}]']) },
    { name: 'a selectorless service with its EndpointSlice', code: `${EXTERNAL_DB}---\n${sliceYaml('db', ['{name: pg, port: 5432}'], ['{addresses: [192.168.10.5]}'])}` },
    {
      name: 'a selectorless service with v1 Endpoints',
      code: `${EXTERNAL_DB}---
apiVersion: v1
kind: Endpoints
metadata: {name: db, namespace: shop}
subsets:
- addresses: [{ip: 192.168.10.5}]
  ports: [{name: pg, port: 5432}]
`,
    },
    { name: 'an ExternalName service', code: serviceYaml('ext', ['type: ExternalName', 'externalName: db.example.com']) },
  ],
  invalid: [
    {
      name: 'a selectorless service and nothing to back it',
      code: EXTERNAL_DB,
      errors: [{ message: 'shop/db has no selector and the manifests define no EndpointSlice or Endpoints for it: it has no backends', line: 7, column: 3 }],
    },
  ],
});
