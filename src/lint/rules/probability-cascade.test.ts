import { describe, expect, it } from 'vitest';
import rule from './probability-cascade.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { SEP1, SEP2, SEP3, SVC, sepRules, svcJump } from '../testing/fixtures.js';
import { asDump, asPasted, excerpt, excerptNote } from '../testing/excerpt.js';

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

/**
 * `iptables-save | grep -v 10.180.0.2`: kube-proxy's even cascade over three endpoints with the
 * middle jump left out, which looks like a skewed cascade over two.
 */
const CUT_CASCADE = `${svcJump(SEP1, '10.180.0.1', '0.3333333333')}\n${svcJump(SEP3, '10.180.0.3')}\n`;
/** A cascade over two endpoints whose first probability is no even share for any number of endpoints. */
const SKEWED = `${svcJump(SEP1, '10.180.0.1', '0.9000000000')}\n${svcJump(SEP2, '10.180.0.2')}\n`;

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
    {
      name: 'an excerpt that leaves out a jump of an even cascade: not judged, one note',
      ...excerpt(CUT_CASCADE),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: 'an excerpt that cuts a cascade off before its last jump: not judged, one note',
      ...excerpt(`${svcJump(SEP1, '10.180.0.1', '0.3333333333')}\n${svcJump(SEP2, '10.180.0.2', '0.5000000000')}\n`),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: 'an excerpt showing an even cascade whole: nothing to say',
      ...excerpt(`${svcJump(SEP1, '10.180.0.1', '0.5000000000')}\n${svcJump(SEP2, '10.180.0.2')}\n`),
    },
    {
      name: 'a dump cut off inside the service chain: not judged, one note',
      ...asPasted(`${HEAD}${svcJump(SEP1, '10.180.0.1', '0.5000000000')}\n`),
      notes: [{ message: 'not judged: table nat is an excerpt (no COMMIT: the text stops inside the table)', line: 1, column: 1 }],
    },
  ],
  invalid: [
    {
      name: 'the cut excerpt above as a whole dump (*nat … COMMIT): a skewed two-endpoint cascade',
      code: asDump(CUT_CASCADE),
      errors: [
        {
          message: `--probability 0.3333333333 on the jump to ${SEP1} (endpoint 1 of 2) sends it 33.33% of new connections; an even split needs 1/2 (0.5000000000) here`,
          line: 3,
          column: PROB_COLUMN,
        },
      ],
    },
    {
      name: 'in an excerpt, a probability no even split has is found at its line',
      ...excerpt(SKEWED),
      errors: [
        {
          message: `--probability 0.9000000000 on the jump to ${SEP1} is not 1/k for any whole number k, as every jump of an even split is: new connections are not spread evenly over the endpoints`,
          line: 1,
          column: PROB_COLUMN,
          endLine: 1,
          endColumn: PROB_COLUMN + '--probability 0.9000000000'.length,
        },
      ],
    },
    {
      name: 'the same chain in a whole dump',
      code: asDump(SKEWED),
      errors: [
        {
          message: `--probability 0.9000000000 on the jump to ${SEP1} (endpoint 1 of 2) sends it 90.00% of new connections; an even split needs 1/2 (0.5000000000) here`,
          line: 3,
          column: PROB_COLUMN,
        },
      ],
    },
    {
      name: 'in an excerpt, a jump whose probability is not above the one before it (the rest is not judged: one note)',
      ...excerpt(`${svcJump(SEP1, '10.180.0.1', '0.5000000000')}\n${svcJump(SEP2, '10.180.0.2', '0.5000000000')}\n${svcJump(SEP3, '10.180.0.3')}\n`),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
      errors: [
        {
          message: `--probability 0.5000000000 on the jump to ${SEP2} is not above the 0.5000000000 of the endpoint jump before it (line 1): in an even split each jump takes a larger share of what is left, so new connections are not spread evenly`,
          line: 2,
          column: PROB_COLUMN,
        },
      ],
    },
    {
      name: 'in an excerpt, an unconditional jump with jumps after it',
      ...excerpt(`${svcJump(SEP1, '10.180.0.1')}\n${svcJump(SEP2, '10.180.0.2', '0.5000000000')}\n`),
      errors: [
        {
          message: `the jump to ${SEP1} has no --probability, so it takes all remaining traffic and the endpoint jump(s) after it (the first at line 2) get none`,
          line: 1,
          column: 1,
        },
      ],
    },
    {
      name: 'a dump cut off after the service chain: the chain is shown whole and judged as in a whole dump',
      ...asPasted(`${HEAD}${svcJump(SEP1, '10.180.0.1', '0.9000000000')}\n${svcJump(SEP2, '10.180.0.2')}\n${sepRules(SEP1, '10.180.0.1')}\n`),
      errors: [
        {
          message: `--probability 0.9000000000 on the jump to ${SEP1} (endpoint 1 of 2) sends it 90.00% of new connections; an even split needs 1/2 (0.5000000000) here`,
          line: 6,
          column: PROB_COLUMN,
        },
      ],
    },
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

describe('probabilities as older kube-proxy wrote them', () => {
  it('reads 0.33332999982 and 0.50000000000 (five decimals, as iptables-save prints them) as an even split', async () => {
    const { lint } = await import('../runner.js');
    const jump = (sep: string, p?: string) => `-A ${SVC} -m comment --comment "ns1/svc1:p80" ${p === undefined ? '' : `-m statistic --mode random --probability ${p} `}-j ${sep}`;
    const dump = (first: string) => ['*nat', `:${SVC} - [0:0]`, jump('KUBE-SEP-AAAAAAAAAAAAAAAA', first), jump('KUBE-SEP-BBBBBBBBBBBBBBBB', '0.50000000000'), jump('KUBE-SEP-CCCCCCCCCCCCCCCC'), 'COMMIT', ''].join('\n');
    const findings = (text: string) => lint([{ file: 'old.save', text }]).findings.filter((f) => f.ruleId === 'probability-cascade').map((f) => `${f.line}:${f.column}`);
    expect(findings(dump('0.33332999982'))).toEqual([]);
    expect(findings(dump('0.30000000000'))).toEqual(['3:93']);
  });
});
