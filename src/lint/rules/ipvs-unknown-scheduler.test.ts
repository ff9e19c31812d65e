import rule from './ipvs-unknown-scheduler.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'round robin and maglev hashing',
      code: dedent(`
        -A -t 10.96.0.1:443 -s rr
        -A -u 10.96.0.10:53 -s mh
      `),
    },
  ],
  invalid: [
    {
      name: 'a misspelt scheduler',
      code: dedent(`
        -A -t 10.96.0.1:443 -s rr
        -A -u 10.96.0.10:53 -s rrr
      `),
      errors: [
        {
          message: 'virtual service UDP 10.96.0.10:53 uses scheduler "rrr", which Linux IPVS does not have (known: rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)',
          line: 2,
          column: 1,
        },
      ],
    },
  ],
});
