import rule from './ipvs-drift.js';
import { dedent, MANIFESTS_FILE, ruleTester } from '../testing/rule-tester.js';
import { asPasted } from '../testing/excerpt.js';
import { svc1Manifests, svc2Manifests } from '../testing/fixtures.js';

/** What kube-proxy's IPVS proxier programs for svc1 with endpoints 10.180.0.1 and .2 (ipvsadm -S -n). */
const DUMP = dedent(`
  -A -t 172.30.0.41:80 -s rr
  -a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1
  -a -t 172.30.0.41:80 -r 10.180.0.2:80 -m -w 1
`);

const LISTING = dedent(`
  IP Virtual Server version 1.2.1 (size=4096)
  Prot LocalAddress:Port Scheduler Flags
    -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
  TCP  172.30.0.41:80 rr
    -> 10.180.0.1:80                Masq    1      0          0
    -> 10.180.0.2:80                Masq    1      3          12
`);

/** The same table listed without -n: host and service names instead of addresses and ports. */
const LISTING_NAMES = LISTING.replace('172.30.0.41:80', 'svc1.ns1:http').replace('10.180.0.1:80 ', 'web-1.shop:http').replace('10.180.0.2:80 ', 'web-2.shop:http');

const MANIFESTS = svc1Manifests(['10.180.0.1', '10.180.0.2']);

ruleTester(rule, {
  valid: [
    { name: 'the dump holds exactly what the manifests compile to', code: DUMP, manifests: MANIFESTS },
    { name: 'an ipvsadm -L -n listing of the same table', code: LISTING, manifests: MANIFESTS },
    { name: 'without --manifests the rule does not run', code: DUMP.replace('-s rr', '-s lc') },
    {
      name: 'a listing without -n: nothing can be compared exactly; one note',
      ...asPasted(LISTING_NAMES),
      manifests: MANIFESTS,
      notes: [{ message: 'not judged: the ipvsadm-list text is lossy (host names instead of addresses (a listing without -n))', line: 1, column: 1 }],
    },
  ],
  invalid: [
    {
      name: 'an endpoint replaced in the manifests',
      code: DUMP,
      manifests: svc1Manifests(['10.180.0.1', '10.180.0.3']),
      errors: [
        {
          message:
            'virtual service TCP 172.30.0.41:80 (ns1/svc1:p80 cluster IP): real server 10.180.0.3:80 in the manifests but not in the dump; real server 10.180.0.2:80 in the dump but not in the manifests',
          line: 1,
          column: 1,
        },
      ],
    },
    {
      name: 'another scheduler and a draining real server',
      code: DUMP.replace('-s rr', '-s lc').replace('10.180.0.2:80 -m -w 1', '10.180.0.2:80 -m -w 0'),
      manifests: MANIFESTS,
      errors: [
        { message: 'virtual service TCP 172.30.0.41:80 (ns1/svc1:p80 cluster IP): 10.180.0.2:80 has weight 0 in the dump but 1 in the manifests', line: 1, column: 1 },
        { message: 'virtual service TCP 172.30.0.41:80 (ns1/svc1:p80 cluster IP): the scheduler is lc in the dump but rr in the manifests', line: 1, column: 1 },
      ],
    },
    {
      name: 'a service the manifests define and the dump lacks',
      code: DUMP,
      manifests: MANIFESTS + svc2Manifests(['sessionAffinity: ClientIP']),
      errors: [{ file: MANIFESTS_FILE, message: 'virtual service TCP 172.30.0.42:80 (ns2/svc2:p80 cluster IP) is defined in the manifests but not in input.txt', line: 31, column: 5 }],
    },
    {
      name: 'persistence the manifests do not ask for',
      code: dedent(`
        -A -t 172.30.0.42:80 -s rr -p 600
        -a -t 172.30.0.42:80 -r 10.180.1.1:80 -m -w 1
      `),
      manifests: svc2Manifests(),
      errors: [{ message: 'virtual service TCP 172.30.0.42:80 (ns2/svc2:p80 cluster IP): persistence is 600 s in the dump but off in the manifests', line: 1, column: 1 }],
    },
    {
      name: 'a virtual service no manifest defines',
      code: `${DUMP}-A -u 172.30.0.99:53 -s rr\n`,
      manifests: MANIFESTS,
      errors: [{ message: 'virtual service UDP 172.30.0.99:53 is in the dump but no service of the manifests defines it', line: 4, column: 1 }],
    },
  ],
});
