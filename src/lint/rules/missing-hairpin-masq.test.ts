import rule from './missing-hairpin-masq.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { SEP1, sepRules } from '../testing/fixtures.js';
import { asDump, asExact, asPasted, excerpt, excerptNote } from '../testing/excerpt.js';

/** `iptables-save | grep DNAT`: an endpoint chain's DNAT rule, not the hairpin rule before it. */
const GREP_DNAT = `${sepRules(SEP1, '10.180.0.1').split('\n')[1]}\n`;
const MISSING = `${SEP1} DNATs to 10.180.0.1:80 without a "-s 10.180.0.1 -j KUBE-MARK-MASQ" rule before it: a pod that reaches itself through the service gets no reply`;

/** `iptables -t nat -L KUBE-SEP-… -v` (no -n): the hairpin rule's source printed as a host name. */
const LISTING_NAMES = dedent(`
  Chain ${SEP1} (1 references)
   pkts bytes target     prot opt in     out     source               destination
      0     0 KUBE-MARK-MASQ  all  --  any    any     web-1.shop           anywhere             /* ns1/svc1:p80 */
      0     0 DNAT       tcp  --  any    any     anywhere             anywhere             /* ns1/svc1:p80 */ tcp to:10.180.0.1:80
`);
const LOSSY = 'not judged: table nat is an excerpt (built-in chains PREROUTING, INPUT, OUTPUT, POSTROUTING are not listed)';

ruleTester(rule, {
  valid: [
    { name: "kube-proxy's endpoint chain", code: dedent(`\n      *nat\n      :${SEP1} - [0:0]\n      ${sepRules(SEP1, '10.180.0.1')}\n      COMMIT\n    `) },
    {
      name: 'as iptables-save prints it (/32 source, other order)',
      code: dedent(`
        *nat
        :${SEP1} - [0:0]
        -A ${SEP1} -s 10.180.0.1/32 -m comment --comment ns1/svc1:p80 -j KUBE-MARK-MASQ
        -A ${SEP1} -p tcp -m comment --comment ns1/svc1:p80 -m tcp -j DNAT --to-destination 10.180.0.1:80
        COMMIT
      `),
    },
    {
      name: 'an excerpt with the DNAT rule but not the rules before it: not judged, one note',
      ...excerpt(GREP_DNAT),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: 'a listing without -n prints the hairpin source as a name: not judged, one note',
      ...asPasted(LISTING_NAMES),
      notes: [{ message: LOSSY, line: 1, column: 1 }],
    },
    {
      name: 'the same listing with -n shows the hairpin rule',
      ...asPasted(LISTING_NAMES.replace('web-1.shop ', '10.180.0.1 ').replace(/anywhere  /g, '0.0.0.0/0 ').replace(/any   /g, '*     ')),
    },
  ],
  invalid: [
    {
      name: 'the excerpt above as a whole dump (*nat … COMMIT): the hairpin rule is missing',
      code: asDump(GREP_DNAT),
      errors: [{ message: MISSING, line: 3, column: 1 }],
    },
    {
      name: 'the hairpin rule is missing',
      code: dedent(`
        *nat
        :${SEP1} - [0:0]
        -A ${SEP1} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
        COMMIT
      `),
      errors: [
        {
          message: `${SEP1} DNATs to 10.180.0.1:80 without a "-s 10.180.0.1 -j KUBE-MARK-MASQ" rule before it: a pod that reaches itself through the service gets no reply`,
          line: 3,
          column: 1,
        },
      ],
    },
    {
      name: 'the hairpin rule names another address',
      code: dedent(`
        *nat
        :${SEP1} - [0:0]
        -A ${SEP1} -m comment --comment ns1/svc1:p80 -s 10.180.0.9 -j KUBE-MARK-MASQ
        -A ${SEP1} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
        COMMIT
      `),
      errors: [
        {
          message: `${SEP1} DNATs to 10.180.0.1:80 without a "-s 10.180.0.1 -j KUBE-MARK-MASQ" rule before it: a pod that reaches itself through the service gets no reply`,
          line: 4,
          column: 1,
        },
      ],
    },
  ],
});
