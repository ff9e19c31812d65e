import rule from './empty-service.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { CLUSTER_IP_JUMP, SEP1, SVC, sepRules, svcJump } from '../testing/fixtures.js';

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
  ],
  invalid: [
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
