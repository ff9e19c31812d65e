import rule from './masq-mark-mismatch.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { asDump, excerpt, excerptNote } from '../testing/excerpt.js';

const TEST = '-A KUBE-POSTROUTING -m mark ! --mark 0x8000/0x8000 -j RETURN';
const CLEAR = '-A KUBE-POSTROUTING -j MARK --xor-mark 0x8000';
const FORWARD = '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x8000/0x8000 -j ACCEPT';

/**
 * `iptables-save | grep -e 0x4000 -e POSTROUTING` on a node whose KUBE-MARK-MASQ sets two bits
 * (0x4000 and 0x8000): the excerpt shows only one of them.
 */
const GREP_MARKS = `-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n${TEST.replace(/0x8000/g, '0xc000')}\n`;

ruleTester(rule, {
  valid: [
    {
      name: 'an excerpt that may show only some of KUBE-MARK-MASQ: not judged, one note',
      ...excerpt(GREP_MARKS),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: 'an excerpt without KUBE-MARK-MASQ: not judged, one note',
      ...excerpt(`${TEST}\n${CLEAR}\n`),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: "kube-proxy's restore text",
      code: dedent(`
        *nat
        :KUBE-MARK-MASQ - [0:0]
        :KUBE-POSTROUTING - [0:0]
        -A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000
        -A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN
        -A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000
        -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
        COMMIT
      `),
    },
    {
      name: 'as iptables-save prints it (--set-xmark)',
      code: dedent(`
        *filter
        :KUBE-FORWARD - [0:0]
        -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
        COMMIT
        *nat
        :KUBE-MARK-MASQ - [0:0]
        :KUBE-POSTROUTING - [0:0]
        -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
        -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
        -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
        -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
        COMMIT
      `),
    },
  ],
  invalid: [
    {
      name: 'the excerpt below as a whole dump (*nat … COMMIT): the bits disagree',
      code: asDump(GREP_MARKS),
      errors: [
        {
          message: 'KUBE-POSTROUTING tests mark 0xc000/0xc000 but KUBE-MARK-MASQ sets 0x4000: packets marked for masquerading are never masqueraded',
          line: 5,
          column: TEST.indexOf('! --mark') + 1,
        },
      ],
    },
    {
      name: 'KUBE-MARK-MASQ sets bit 14, KUBE-POSTROUTING and KUBE-FORWARD use bit 15',
      code: dedent(`
        *filter
        :KUBE-FORWARD - [0:0]
        ${FORWARD}
        COMMIT
        *nat
        :KUBE-MARK-MASQ - [0:0]
        :KUBE-POSTROUTING - [0:0]
        -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
        ${TEST}
        ${CLEAR}
        COMMIT
      `),
      errors: [
        {
          message: 'KUBE-FORWARD tests mark 0x8000/0x8000 but KUBE-MARK-MASQ sets 0x4000: packets marked for masquerading are not accepted by KUBE-FORWARD',
          line: 3,
          column: FORWARD.indexOf('--mark') + 1,
        },
        {
          message: 'KUBE-POSTROUTING tests mark 0x8000/0x8000 but KUBE-MARK-MASQ sets 0x4000: packets marked for masquerading are never masqueraded',
          line: 9,
          column: TEST.indexOf('! --mark') + 1,
          endLine: 9,
          endColumn: TEST.indexOf('! --mark') + 1 + '! --mark 0x8000/0x8000'.length,
        },
        {
          message: 'KUBE-POSTROUTING clears mark bits 0x8000 but KUBE-MARK-MASQ sets 0x4000: the masquerade bit is not cleared before MASQUERADE',
          line: 10,
          column: CLEAR.indexOf('--xor-mark') + 1,
        },
      ],
    },
  ],
});
