import rule from './stale-sep.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { SEP1, SEP2, SVC, sepRules, svc1Manifests, svcJump } from '../testing/fixtures.js';
import { asDump, excerpt, excerptNote } from '../testing/excerpt.js';

/** `iptables-save | grep DNAT`: the endpoint chains' DNAT rules, not the jumps to them. */
const GREP_DNAT = [SEP1, SEP2].map((sep, i) => `${sepRules(sep, `10.180.0.${i + 1}`).split('\n')[1]}\n`).join('');
const unreferenced = (sep: string, ip: string) =>
  `${sep} (ns1/svc1:p80 -> ${ip}:80) is not jumped to from any KUBE-SVC or KUBE-SVL chain: it is left over from an endpoint that is gone`;

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
    {
      name: 'an excerpt that leaves out the jumps to its endpoint chains: not judged, one note',
      ...excerpt(GREP_DNAT),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
  ],
  invalid: [
    {
      name: 'the excerpt above as a whole dump (*nat … COMMIT): both endpoint chains are stale',
      code: asDump(GREP_DNAT),
      errors: [
        { message: unreferenced(SEP1, '10.180.0.1'), line: 2, column: 1 },
        { message: unreferenced(SEP2, '10.180.0.2'), line: 3, column: 1 },
      ],
    },
    {
      name: 'in an excerpt, an endpoint the manifests no longer have is still found',
      ...excerpt(GREP_DNAT),
      manifests: svc1Manifests(['10.180.0.1', '10.180.0.3']),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
      errors: [
        {
          message: `${SEP2} sends ns1/svc1:p80 traffic to 10.180.0.2:80, which is not an endpoint of ns1/svc1:p80 in the manifests`,
          line: 2,
          column: 4,
        },
      ],
    },
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

