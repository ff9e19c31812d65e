import rule from './duplicate-rule.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { SEP1, SVC, svcJump } from '../testing/fixtures.js';

const REJECT = '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT';

ruleTester(rule, {
  valid: [
    {
      name: 'rules that differ in one port',
      code: dedent(`
        *filter
        :KUBE-SERVICES - [0:0]
        ${REJECT}
        -A KUBE-SERVICES -m comment --comment "ns6/svc6:p81 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 81 -j REJECT
        COMMIT
      `),
    },
    {
      name: 'the same random jump twice is a second draw, not a duplicate',
      code: dedent(`
        *nat
        :${SVC} - [0:0]
        ${svcJump(SEP1, '10.180.0.1', '0.5000000000')}
        ${svcJump(SEP1, '10.180.0.1', '0.5000000000')}
        COMMIT
      `),
    },
    {
      name: "kube-proxy's health-check rule, written once per port of a LoadBalancer Service",
      code: dedent(`
        *filter
        :KUBE-NODEPORTS - [0:0]
        -A KUBE-NODEPORTS -m comment --comment "ingress/nginx:http health check node port" -m tcp -p tcp --dport 32100 -j ACCEPT
        -A KUBE-NODEPORTS -m comment --comment "ingress/nginx:https health check node port" -m tcp -p tcp --dport 32100 -j ACCEPT
        COMMIT
      `),
    },
  ],
  invalid: [
    {
      name: 'a rule appended twice (the second with another comment)',
      code: dedent(`
        *filter
        :KUBE-SERVICES - [0:0]
        ${REJECT}
        -A KUBE-SERVICES -m comment --comment "added by hand" -p tcp -m tcp --dport 80 -d 172.30.0.46/32 -j REJECT
        COMMIT
      `),
      errors: [{ message: 'this rule repeats the rule at line 3 of chain KUBE-SERVICES: same matches and target, so it never changes the outcome', line: 4, column: 1 }],
    },
  ],
});
