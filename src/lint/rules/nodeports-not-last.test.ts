import rule from './nodeports-not-last.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { asDump, excerpt, excerptNote } from '../testing/excerpt.js';

const JUMP =
  '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS';
const CLUSTER_IP = '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O';
const NODE_PORT = '-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 30001 -j KUBE-EXT-XPGD46QRK7WJZT7O';

/** `iptables-save | grep svc1`: a cluster IP rule and a NodePort rule, not the jump between them. */
const GREP_SVC1 = `${CLUSTER_IP}\n${NODE_PORT}\n`;

ruleTester(rule, {
  valid: [
    {
      name: 'the jump is the last rule',
      code: dedent(`
        *nat
        :KUBE-NODEPORTS - [0:0]
        :KUBE-SERVICES - [0:0]
        ${NODE_PORT}
        ${CLUSTER_IP}
        ${JUMP}
        COMMIT
      `),
    },
    {
      name: 'one jump per node address (nodePortAddresses), all at the end',
      code: dedent(`
        *nat
        :KUBE-NODEPORTS - [0:0]
        :KUBE-SERVICES - [0:0]
        ${NODE_PORT}
        ${CLUSTER_IP}
        -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.0.2 -j KUBE-NODEPORTS
        -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 10.0.0.2 -j KUBE-NODEPORTS
        COMMIT
      `),
    },
    {
      name: 'an excerpt without the jump: it may be among the lines left out; one note',
      ...excerpt(GREP_SVC1),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: 'an excerpt whose jump comes last: rules left out may follow it; one note',
      ...excerpt(`${CLUSTER_IP}\n${JUMP}\n`),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
    {
      name: 'no jump, but no NodePort either',
      code: dedent(`
        *nat
        :KUBE-NODEPORTS - [0:0]
        :KUBE-SERVICES - [0:0]
        ${CLUSTER_IP}
        COMMIT
      `),
    },
  ],
  invalid: [
    {
      name: 'the first excerpt above as a whole dump (*nat … COMMIT): the jump is missing',
      code: asDump(GREP_SVC1),
      errors: [{ message: 'nat KUBE-SERVICES has no jump to KUBE-NODEPORTS, so its 1 NodePort rule(s) are never reached', line: 2, column: 1 }],
    },
    {
      name: 'an excerpt with a rule after the jump: found, at the jump, without counting what the excerpt leaves out',
      ...excerpt(`${JUMP}\n${NODE_PORT}\n${CLUSTER_IP}\n`),
      errors: [
        {
          message:
            'the jump to KUBE-NODEPORTS is not the last rule of nat KUBE-SERVICES: rules follow it (the first at line 3) and are skipped for traffic to node addresses',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: JUMP.length + 1,
        },
      ],
    },
    {
      name: 'a cluster IP rule after the jump',
      code: dedent(`
        *nat
        :KUBE-NODEPORTS - [0:0]
        :KUBE-SERVICES - [0:0]
        ${JUMP}
        ${CLUSTER_IP}
        COMMIT
      `),
      errors: [
        {
          message:
            'the jump to KUBE-NODEPORTS is not the last rule of nat KUBE-SERVICES: 1 rule(s) follow it (first at line 5) and are skipped for traffic to node addresses',
          line: 4,
          column: 1,
          endLine: 4,
          endColumn: JUMP.length + 1,
        },
      ],
    },
    {
      name: 'NodePort rules but no jump',
      code: dedent(`
        *nat
        :KUBE-NODEPORTS - [0:0]
        :KUBE-SERVICES - [0:0]
        ${NODE_PORT}
        ${CLUSTER_IP}
        COMMIT
      `),
      errors: [{ message: 'nat KUBE-SERVICES has no jump to KUBE-NODEPORTS, so its 1 NodePort rule(s) are never reached', line: 3, column: 1 }],
    },
  ],
});
