import rule from './ipvs-zero-weight.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'weights of 1',
      code: dedent(`
        -A -t 10.96.0.1:443 -s rr
        -a -t 10.96.0.1:443 -r 192.168.0.2:6443 -m -w 1
        -a -t 10.96.0.1:443 -r 192.168.0.3:6443 -m -w 1
      `),
    },
  ],
  invalid: [
    {
      name: 'one endpoint draining',
      code: dedent(`
        -A -t 10.96.0.1:443 -s rr
        -a -t 10.96.0.1:443 -r 192.168.0.2:6443 -m -w 1
        -a -t 10.96.0.1:443 -r 192.168.0.3:6443 -m -w 0
      `),
      errors: [{ message: 'real server 192.168.0.3:6443 of virtual service TCP 10.96.0.1:443 has weight 0 and gets no new connections', line: 3, column: 1 }],
    },
    {
      name: 'every endpoint at weight 0',
      code: dedent(`
        -A -t [fd00::1]:443 -s rr
        -a -t [fd00::1]:443 -r [fd00:10::2]:6443 -m -w 0
      `),
      errors: [{ message: 'every real server of virtual service TCP [fd00::1]:443 has weight 0: it accepts no new connections', line: 1, column: 1 }],
    },
  ],
});
