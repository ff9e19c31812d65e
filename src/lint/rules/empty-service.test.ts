import rule from './empty-service.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { CLUSTER_IP_JUMP, SEP1, SVC, sepRules, svcJump } from '../testing/fixtures.js';
import { asDump, asPasted, excerpt, excerptNote } from '../testing/excerpt.js';

/** `iptables-save | grep 172.30.0.41`: the cluster IP jump and the service chain's masquerade rule, not its endpoint jumps. */
const GREP_CLUSTER_IP = `${CLUSTER_IP_JUMP}\n-A ${SVC} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n`;
const EMPTY = `${SVC} (ns1/svc1:p80) is jumped to (line 4) but has no jump to a KUBE-SEP endpoint chain: its traffic is not load-balanced anywhere`;

ruleTester(rule, {
  valid: [
    {
      name: 'the service chain jumps to its endpoint',
      code: dedent(`
        *nat
        :KUBE-SERVICES - [0:0]
        :${SVC} - [0:0]
        :${SEP1} - [0:0]
        ${CLUSTER_IP_JUMP}
        ${svcJump(SEP1, '10.180.0.1')}
        ${sepRules(SEP1, '10.180.0.1')}
        COMMIT
      `),
    },
    {
      name: 'an empty service chain nothing jumps to (unused-chain reports it)',
      code: dedent(`
        *nat
        :KUBE-SERVICES - [0:0]
        :${SVC} - [0:0]
        COMMIT
      `),
    },
    {
      name: 'an excerpt that shows a service chain but not its endpoint jumps: not judged, one note',
      ...excerpt(GREP_CLUSTER_IP),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: 'a dump cut off inside the service chain: not judged, one note',
      ...asPasted(asDump(GREP_CLUSTER_IP).replace('COMMIT\n', '')),
      notes: [{ message: 'not judged: table nat is an excerpt (no COMMIT: the text stops inside the table)', line: 1, column: 1 }],
    },
  ],
  invalid: [
    {
      name: 'the excerpt above as a whole dump (*nat … COMMIT): the service chain is empty',
      code: asDump(GREP_CLUSTER_IP),
      errors: [{ message: EMPTY, line: 3, column: 1 }],
    },
    {
      name: 'a dump cut off after the service chain: the chain is shown whole, and empty',
      ...asPasted(`${asDump(GREP_CLUSTER_IP).replace('COMMIT\n', '')}-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n`),
      errors: [{ message: EMPTY, line: 3, column: 1 }],
    },
    {
      name: 'the cluster IP jumps to a service chain with only the masquerade rule',
      code: dedent(`
        *nat
        :KUBE-SERVICES - [0:0]
        :${SVC} - [0:0]
        ${CLUSTER_IP_JUMP}
        -A ${SVC} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
        COMMIT
      `),
      errors: [
        {
          message: `${SVC} (ns1/svc1:p80) is jumped to (line 4) but has no jump to a KUBE-SEP endpoint chain: its traffic is not load-balanced anywhere`,
          line: 3,
          column: 1,
        },
      ],
    },
  ],
});
