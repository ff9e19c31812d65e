import rule from './missing-hairpin-masq.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { SEP1, sepRules } from '../testing/fixtures.js';

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
  ],
  invalid: [
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
