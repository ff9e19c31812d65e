import rule from './dangling-jump.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { CLUSTER_IP_JUMP, SEP1, SVC, sepRules, svcJump } from '../testing/fixtures.js';
import { asDump, asPasted, excerpt, excerptNote } from '../testing/excerpt.js';

const JUMP_COLUMN = CLUSTER_IP_JUMP.indexOf(' -j ') + 2;

/** `iptables-save | grep 172.30.0.41`: the cluster IP jump, without the chain it jumps to. */
const GREP_CLUSTER_IP = CLUSTER_IP_JUMP;

ruleTester(rule, {
  valid: [
    {
      name: 'every jump goes to a declared chain or a target',
      code: dedent(`
        *nat
        :KUBE-SERVICES - [0:0]
        :KUBE-MARK-MASQ - [0:0]
        :${SVC} - [0:0]
        :${SEP1} - [0:0]
        ${CLUSTER_IP_JUMP}
        ${svcJump(SEP1, '10.180.0.1')}
        ${sepRules(SEP1, '10.180.0.1')}
        -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
        COMMIT
      `),
    },
    {
      name: 'built-in chains jump to declared chains; goto too',
      code: dedent(`
        *filter
        :INPUT ACCEPT [0:0]
        :KUBE-FIREWALL - [0:0]
        -A INPUT -j KUBE-FIREWALL
        -A INPUT -p tcp --dport 22 -g KUBE-FIREWALL
        -A KUBE-FIREWALL -d 127.0.0.0/8 ! -s 127.0.0.0/8 -j DROP
        COMMIT
      `),
    },
    {
      name: 'an excerpt (no *nat line, no COMMIT) that jumps to a chain it does not show: not judged, one note',
      ...excerpt(`${GREP_CLUSTER_IP}\n${CLUSTER_IP_JUMP.replace('172.30.0.41', '172.30.0.42')}\n`),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: 'a dump cut off before COMMIT: not judged, one note',
      ...asPasted(`*nat\n:KUBE-SERVICES - [0:0]\n${CLUSTER_IP_JUMP}\n`),
      notes: [{ message: 'not judged: table nat is an excerpt (no COMMIT: the text stops inside the table)', line: 1, column: 1 }],
    },
    {
      name: 'an excerpt whose jumps all go to chains it shows: nothing to say',
      ...excerpt(`${CLUSTER_IP_JUMP}\n${svcJump(SEP1, '10.180.0.1')}\n${sepRules(SEP1, '10.180.0.1').replace('-j KUBE-MARK-MASQ', '-j MARK --or-mark 0x4000')}\n`),
    },
  ],
  invalid: [
    {
      name: 'the excerpt above as a whole dump (*nat … COMMIT): the jump is dangling',
      code: asDump(GREP_CLUSTER_IP),
      errors: [{ message: `-j ${SVC}: table nat has no chain ${SVC}`, line: 3, column: JUMP_COLUMN }],
    },
    {
      name: 'a jump to a service chain the dump does not declare',
      code: dedent(`
        *nat
        :KUBE-SERVICES - [0:0]
        ${CLUSTER_IP_JUMP}
        COMMIT
      `),
      errors: [
        {
          message: `-j ${SVC}: table nat has no chain ${SVC}`,
          line: 3,
          column: JUMP_COLUMN,
          endLine: 3,
          endColumn: JUMP_COLUMN + `-j ${SVC}`.length,
        },
      ],
    },
    {
      name: 'a jump to a chain the dump deletes',
      code: dedent(`
        *nat
        :KUBE-SERVICES - [0:0]
        :${SVC} - [0:0]
        ${CLUSTER_IP_JUMP}
        -X ${SVC}
        COMMIT
      `),
      errors: [{ message: `-j ${SVC}: chain ${SVC} is deleted (-X) in this dump`, line: 4, column: JUMP_COLUMN }],
    },
  ],
});
