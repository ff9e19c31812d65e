import rule from './nodeports-not-last.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';

const JUMP =
  '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS';
const CLUSTER_IP = '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O';
const NODE_PORT = '-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 30001 -j KUBE-EXT-XPGD46QRK7WJZT7O';

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
