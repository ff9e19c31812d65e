import rule from './externalname-with-ports.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml } from '../testing/fixtures.js';

ruleTester(rule, {
  valid: [{ name: 'an ExternalName service without ports', code: serviceYaml('db', ['type: ExternalName', 'externalName: db.example.com']) }],
  invalid: [
    {
      name: 'an ExternalName service with a port',
      code: serviceYaml('db', ['type: ExternalName', 'externalName: db.example.com', 'ports:', '- port: 5432']),
      errors: [
        {
          message: 'shop/db is an ExternalName Service (a DNS alias for db.example.com): its 1 port(s) are ignored and no port is mapped',
          line: 10,
          column: 3,
        },
      ],
    },
  ],
});
