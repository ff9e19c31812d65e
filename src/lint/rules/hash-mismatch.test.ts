import rule from './hash-mismatch.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { CLUSTER_IP_JUMP, SEP1, SEP2, SVC, sepRules, svcJump } from '../testing/fixtures.js';

ruleTester(rule, {
  valid: [
    {
      name: 'names hashed from service port name, protocol and endpoint',
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
      name: 'large-cluster mode: endpoint rules without comments take the service from the SVC chain',
      code: dedent(`
        *nat
        :KUBE-SERVICES - [0:0]
        :${SVC} - [0:0]
        :${SEP1} - [0:0]
        ${CLUSTER_IP_JUMP}
        -A ${SVC} -j ${SEP1}
        -A ${SEP1} -s 10.180.0.1 -j KUBE-MARK-MASQ
        -A ${SEP1} -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
        COMMIT
      `),
    },
    {
      name: 'IPv6 endpoint chains hash the bracketed address',
      code: dedent(`
        *nat
        :KUBE-SEP-LIGRYQQLSZN4UWQ5 - [0:0]
        -A KUBE-SEP-LIGRYQQLSZN4UWQ5 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination [ff06::c1]:80
        COMMIT
      `),
    },
  ],
  invalid: [
    {
      name: 'an endpoint chain edited to send elsewhere',
      code: dedent(`
        *nat
        :${SVC} - [0:0]
        :${SEP1} - [0:0]
        ${svcJump(SEP1, '10.180.0.2')}
        ${sepRules(SEP1, '10.180.0.2')}
        COMMIT
      `),
      errors: [
        {
          message: `${SEP1} holds the rules of ns1/svc1:p80 (tcp -> 10.180.0.2:80), whose chain is ${SEP2}: the rules were written by hand or copied from another chain`,
          line: 3,
          column: 1,
        },
      ],
    },
    {
      name: 'an endpoint chain without -p takes the protocol its service chain has from a later endpoint chain',
      code: dedent(`
        *nat
        :${SVC} - [0:0]
        :${SEP1} - [0:0]
        :${SEP2} - [0:0]
        -A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP2}
        -A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}
        -A ${SEP2} -j DNAT --to-destination 10.180.0.1:80
        -A ${SEP1} -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
        COMMIT
      `),
      errors: [
        {
          message: `${SEP2} holds the rules of ns1/svc1:p80 (tcp -> 10.180.0.1:80), whose chain is ${SEP1}: the rules were written by hand or copied from another chain`,
          line: 4,
          column: 1,
        },
      ],
    },
    {
      name: 'a service chain copied for another service',
      code: dedent(`
        *nat
        :KUBE-SERVICES - [0:0]
        :${SVC} - [0:0]
        -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j ${SVC}
        COMMIT
      `),
      errors: [
        {
          message: `${SVC} holds the rules of ns2/svc2:p80 (tcp), whose chain is KUBE-SVC-GNZBNJ2PO5MGZ6GT: the rules were written by hand or copied from another chain`,
          line: 3,
          column: 1,
        },
      ],
    },
  ],
});
