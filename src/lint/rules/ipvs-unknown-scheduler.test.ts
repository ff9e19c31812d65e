import rule from './ipvs-unknown-scheduler.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { asExact, asPasted } from '../testing/excerpt.js';

/** `ipvsadm -L -n --stats`: counters instead of schedulers. */
const STATS = dedent(`
  IP Virtual Server version 1.2.1 (size=4096)
  Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
    -> RemoteAddress:Port
  TCP  10.96.0.1:443                       0        0        0        0        0
    -> 192.168.0.2:6443                    0        0        0        0        0
`);

ruleTester(rule, {
  valid: [
    {
      name: 'round robin and maglev hashing',
      code: dedent(`
        -A -t 10.96.0.1:443 -s rr
        -A -u 10.96.0.10:53 -s mh
      `),
    },
    {
      name: 'a --stats listing shows no scheduler: not judged, one note',
      ...asPasted(STATS),
      notes: [{ message: 'not judged: the ipvsadm-list text is lossy (counter listings do not show schedulers, persistence, forwarding methods or weights)', line: 4, column: 1 }],
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
