import rule from './probability-cascade.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { SEP1, SEP2, SEP3, SVC, svcJump } from '../testing/fixtures.js';

const HEAD = dedent(`
  *nat
  :${SVC} - [0:0]
  :${SEP1} - [0:0]
  :${SEP2} - [0:0]
  :${SEP3} - [0:0]
`);

function chain(...rules: string[]): string {
  return `${HEAD}${rules.join('\n')}\nCOMMIT\n`;
}

const first = svcJump(SEP1, '10.180.0.1', '0.5000000000');
const PROB_COLUMN = first.indexOf('--probability') + 1;

ruleTester(rule, {
  valid: [
    {
      name: "kube-proxy's cascade for three endpoints",
      code: chain(svcJump(SEP1, '10.180.0.1', '0.3333333333'), svcJump(SEP2, '10.180.0.2', '0.5000000000'), svcJump(SEP3, '10.180.0.3')),
    },
    {
      name: 'the same cascade as iptables-save prints it back (kernel fractions, 11 decimals)',
      code: chain(svcJump(SEP1, '10.180.0.1', '0.33333333349'), svcJump(SEP2, '10.180.0.2', '0.50000000000'), svcJump(SEP3, '10.180.0.3')),
    },
    {
      name: 'session affinity checks before the cascade',
      code: chain(
        `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --name ${SEP1} --rcheck --seconds 10800 --reap -j ${SEP1}`,
        `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m recent --name ${SEP2} --rcheck --seconds 10800 --reap -j ${SEP2}`,
        svcJump(SEP1, '10.180.0.1', '0.5000000000'),
        svcJump(SEP2, '10.180.0.2'),
      ),
    },
    { name: 'a single endpoint', code: chain(svcJump(SEP1, '10.180.0.1')) },
  ],
  invalid: [
    {
      name: 'an endpoint added by hand after a two-endpoint cascade',
      code: chain(svcJump(SEP1, '10.180.0.1', '0.5000000000'), svcJump(SEP2, '10.180.0.2', '0.5000000000'), svcJump(SEP3, '10.180.0.3')),
      errors: [
        {
          message: `--probability 0.5000000000 on the jump to ${SEP1} (endpoint 1 of 3) sends it 50.00% of new connections; an even split needs 1/3 (0.3333333333) here`,
          line: 6,
          column: PROB_COLUMN,
          endLine: 6,
          endColumn: PROB_COLUMN + '--probability 0.5000000000'.length,
        },
      ],
    },
    {
      name: 'the last endpoint removed by hand: the new last jump is still random',
      code: chain(svcJump(SEP1, '10.180.0.1', '0.5000000000'), svcJump(SEP2, '10.180.0.2', '0.5000000000')),
      errors: [
        {
          message: `the last endpoint jump (to ${SEP2}) has --probability 0.5000000000: 25.00% of new connections match no endpoint and are not DNATed`,
          line: 7,
          column: PROB_COLUMN,
        },
      ],
    },
    {
      name: 'an unconditional jump before the end',
      code: chain(svcJump(SEP1, '10.180.0.1'), svcJump(SEP2, '10.180.0.2', '0.5000000000'), svcJump(SEP3, '10.180.0.3')),
      errors: [
        {
          message: `the jump to ${SEP1} (endpoint 1 of 3) has no --probability, so it takes all remaining traffic and the 2 endpoint(s) after it get none`,
          line: 6,
          column: 1,
        },
      ],
    },
  ],
});
