import rule from './dangling-jump.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { CLUSTER_IP_JUMP, SEP1, SVC, sepRules, svcJump } from '../testing/fixtures.js';

const JUMP_COLUMN = CLUSTER_IP_JUMP.indexOf(' -j ') + 2;

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
  ],
  invalid: [
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
