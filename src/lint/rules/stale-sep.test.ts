import rule from './stale-sep.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { SEP1, SEP2, SVC, sepRules, svc1Manifests, svcJump } from '../testing/fixtures.js';

const BOTH = dedent(`
  *nat
  :${SEP1} - [0:0]
  :${SEP2} - [0:0]
  :${SVC} - [0:0]
  ${sepRules(SEP1, '10.180.0.1')}
  ${sepRules(SEP2, '10.180.0.2')}
  ${svcJump(SEP1, '10.180.0.1', '0.5000000000')}
  ${svcJump(SEP2, '10.180.0.2')}
  COMMIT
`);

ruleTester(rule, {
  valid: [
    { name: 'every SEP is jumped to from its SVC chain', code: BOTH },
    {
      name: 'a stale SEP flushed and deleted (-X), as kube-proxy removes it',
      code: dedent(`
        *nat
        :${SEP1} - [0:0]
        :${SEP2} - [0:0]
        :${SVC} - [0:0]
        ${sepRules(SEP1, '10.180.0.1')}
        ${svcJump(SEP1, '10.180.0.1')}
        -X ${SEP2}
        COMMIT
      `),
    },
    { name: 'the manifests still have both endpoints', code: BOTH, manifests: svc1Manifests(['10.180.0.1', '10.180.0.2']) },
  ],
  invalid: [
    {
      name: 'an endpoint chain nothing jumps to',
      code: dedent(`
        *nat
        :${SEP1} - [0:0]
        :${SEP2} - [0:0]
        :${SVC} - [0:0]
        ${sepRules(SEP1, '10.180.0.1')}
        ${sepRules(SEP2, '10.180.0.2')}
        ${svcJump(SEP1, '10.180.0.1')}
        COMMIT
      `),
      errors: [
        {
          message: `${SEP2} (ns1/svc1:p80 -> 10.180.0.2:80) is not jumped to from any KUBE-SVC or KUBE-SVL chain: it is left over from an endpoint that is gone`,
          line: 3,
          column: 1,
        },
      ],
    },
    {
      name: 'an endpoint the manifests no longer have',
      code: BOTH,
      manifests: svc1Manifests(['10.180.0.1', '10.180.0.3']),
      errors: [
        {
          message: `${SEP2} sends ns1/svc1:p80 traffic to 10.180.0.2:80, which is not an endpoint of ns1/svc1:p80 in the manifests`,
          line: 3,
          column: 1,
        },
      ],
    },
  ],
});

