import rule from './unused-chain.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { CLUSTER_IP_JUMP, SEP1, SVC, sepRules, svcJump } from '../testing/fixtures.js';
import { asDump, excerpt, excerptNote } from '../testing/excerpt.js';

/** `iptables-save | grep 'ns1/svc1:p80 ->'`: the service chain's jump, not the cluster IP jump to it. */
const GREP_ENDPOINT_JUMPS = `${svcJump(SEP1, '10.180.0.1')}\n`;

ruleTester(rule, {
  valid: [
    {
      name: "kube-proxy's restore text: entry chains without their built-in hooks",
      code: dedent(`
        *nat
        :KUBE-NODEPORTS - [0:0]
        :KUBE-SERVICES - [0:0]
        :KUBE-MARK-MASQ - [0:0]
        :KUBE-POSTROUTING - [0:0]
        :${SVC} - [0:0]
        :${SEP1} - [0:0]
        ${CLUSTER_IP_JUMP}
        ${svcJump(SEP1, '10.180.0.1')}
        ${sepRules(SEP1, '10.180.0.1')}
        COMMIT
      `),
    },
    {
      name: 'a full node dump with the hooks in place',
      code: dedent(`
        *nat
        :PREROUTING ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :KUBE-SERVICES - [0:0]
        :KUBE-POSTROUTING - [0:0]
        -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
        -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
        -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
        COMMIT
      `),
    },
    {
      name: 'an excerpt that leaves out the jump to a chain it shows: not judged, one note',
      ...excerpt(GREP_ENDPOINT_JUMPS),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: 'two chains an excerpt shows no jump to: still one note',
      ...excerpt(`${GREP_ENDPOINT_JUMPS}-A KUBE-SVL-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}\n`),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
  ],
  invalid: [
    {
      name: 'the excerpt above as a whole dump (*nat … COMMIT): the service chain is unused',
      code: asDump(GREP_ENDPOINT_JUMPS),
      errors: [{ message: `chain ${SVC} is declared but nothing jumps to it`, line: 2, column: 1 }],
    },
    {
      name: 'a service chain left behind',
      code: dedent(`
        *nat
        :KUBE-SERVICES - [0:0]
        :${SVC} - [0:0]
        :KUBE-EXT-XPGD46QRK7WJZT7O - [0:0]
        ${CLUSTER_IP_JUMP}
        -A KUBE-EXT-XPGD46QRK7WJZT7O -j ${SVC}
        COMMIT
      `),
      errors: [{ message: 'chain KUBE-EXT-XPGD46QRK7WJZT7O is declared but nothing jumps to it', line: 4, column: 1 }],
    },
    {
      name: 'a node dump where the PREROUTING/OUTPUT hooks are gone',
      code: dedent(`
        *nat
        :PREROUTING ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :KUBE-SERVICES - [0:0]
        COMMIT
      `),
      errors: [{ message: 'chain KUBE-SERVICES is never jumped to: the jump from PREROUTING, OUTPUT is missing, so none of its rules run', line: 4, column: 1 }],
    },
  ],
});
