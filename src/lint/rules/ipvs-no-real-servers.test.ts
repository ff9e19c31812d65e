import rule from './ipvs-no-real-servers.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'every virtual service has a real server',
      code: dedent(`
        -A -t 10.96.0.10:53 -s rr
        -a -t 10.96.0.10:53 -r 10.244.0.5:53 -m -w 1
        -A -u 10.96.0.10:53 -s rr
        -a -u 10.96.0.10:53 -r 10.244.0.5:53 -m -w 1
      `),
    },
  ],
  invalid: [
    {
      name: 'a service whose endpoints are all gone',
      code: dedent(`
        -A -t 10.96.0.10:53 -s rr
        -a -t 10.96.0.10:53 -r 10.244.0.5:53 -m -w 1
        -A -u 10.96.0.10:53 -s rr
      `),
      errors: [{ message: 'virtual service UDP 10.96.0.10:53 has no real servers: connections to it are not forwarded anywhere', line: 3, column: 1 }],
    },
  ],
});
