import rule from './drift.js';
import { dedent, MANIFESTS_FILE, ruleTester } from '../testing/rule-tester.js';
import { CLUSTER_IP_JUMP, SEP1, SEP2, SVC, sepRules, svc1Manifests, svc2Manifests, svcJump } from '../testing/fixtures.js';
import { excerpt, excerptNote } from '../testing/excerpt.js';

const DUMP = dedent(`
  *nat
  :KUBE-SERVICES - [0:0]
  :${SVC} - [0:0]
  :${SEP1} - [0:0]
  :${SEP2} - [0:0]
  ${CLUSTER_IP_JUMP}
  ${svcJump(SEP1, '10.180.0.1', '0.5000000000')}
  ${svcJump(SEP2, '10.180.0.2')}
  ${sepRules(SEP1, '10.180.0.1')}
  ${sepRules(SEP2, '10.180.0.2')}
  COMMIT
`);

/** `iptables-save | grep svc1`: every rule of ns1/svc1, and nothing of other services. */
const GREP_SVC1 = DUMP.split('\n')
  .filter((l) => l.startsWith('-A '))
  .join('\n');
/** Manifests that drop endpoint 10.180.0.2 for 10.180.0.3 and add ns2/svc2. */
const CHANGED = svc1Manifests(['10.180.0.1', '10.180.0.3']) + svc2Manifests();

/** The same service as a repository holds it: no cluster IP (rulec allocates one), a Deployment instead of the EndpointSlice. */
const REPOSITORY = [
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: svc1, namespace: ns1}',
  'spec:',
  '  selector: {app: svc1}',
  '  ports:',
  '  - {name: p80, port: 80, targetPort: 80, protocol: TCP}',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: svc1, namespace: ns1}',
  'spec:',
  '  replicas: 2',
  '  selector: {matchLabels: {app: svc1}}',
  '  template:',
  '    metadata: {labels: {app: svc1}}',
  '    spec: {containers: [{name: app, image: x, ports: [{containerPort: 80}]}]}',
  '',
].join('\n');
const FILLED_IN_NOTE = "not judged: the manifests leave out cluster IPs, node ports or endpoints that rulec filled in (RC106, RC107): a node has the cluster's own";

ruleTester(rule, {
  valid: [
    {
      name: "manifests as a repository holds them: the cluster IP and the endpoints rulec filled in are not compared with the node's (one note)",
      code: DUMP,
      manifests: REPOSITORY,
      notes: [{ message: FILLED_IN_NOTE, line: 6, column: 1 }],
    },
    { name: 'the dump implements exactly the manifests', code: DUMP, manifests: svc1Manifests(['10.180.0.1', '10.180.0.2']) },
    { name: 'without --manifests the rule does not run', code: DUMP },
    {
      name: 'an excerpt of one service: services and endpoints it does not show are not judged; one note',
      ...excerpt(GREP_SVC1),
      manifests: svc1Manifests(['10.180.0.1', '10.180.0.2']) + svc2Manifests(),
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
    },
  ],
  invalid: [
    {
      name: 'in an excerpt, an endpoint the dump shows and the manifests lack is still found (what it lacks is not judged)',
      ...excerpt(GREP_SVC1),
      manifests: CHANGED,
      notes: [{ message: excerptNote(), line: 1, column: 1 }],
      errors: [{ message: 'ns1/svc1:p80 (tcp): endpoint 10.180.0.2:80 in the dump but not in the manifests', line: 1, column: 1 }],
    },
    {
      name: 'the same rules as a whole dump: both sides',
      code: DUMP,
      manifests: CHANGED,
      errors: [
        {
          message: 'ns1/svc1:p80 (tcp): endpoint 10.180.0.3:80 in the manifests but not in the dump; endpoint 10.180.0.2:80 in the dump but not in the manifests',
          line: 6,
          column: 1,
        },
        { file: MANIFESTS_FILE, message: 'ns2/svc2:p80 (tcp) is defined in the manifests but has no rules in input.txt', line: 30, column: 5 },
      ],
    },
    {
      name: 'an endpoint replaced in the manifests',
      code: DUMP,
      manifests: svc1Manifests(['10.180.0.1', '10.180.0.3']),
      errors: [
        {
          message: 'ns1/svc1:p80 (tcp): endpoint 10.180.0.3:80 in the manifests but not in the dump; endpoint 10.180.0.2:80 in the dump but not in the manifests',
          line: 6,
          column: 1,
        },
      ],
    },
    {
      name: 'a service the node lacks, and a cluster IP changed',
      code: DUMP,
      manifests: svc1Manifests(['10.180.0.1', '10.180.0.2']).replace('172.30.0.41', '172.30.0.99') + svc2Manifests(),
      errors: [
        { message: 'ns1/svc1:p80 (tcp): the cluster IP is 172.30.0.41 in the dump but 172.30.0.99 in the manifests', line: 6, column: 1 },
        { file: MANIFESTS_FILE, message: 'ns2/svc2:p80 (tcp) is defined in the manifests but has no rules in input.txt', line: 30, column: 5 },
      ],
    },
    {
      name: 'a service the manifests no longer define',
      code: DUMP,
      manifests: svc2Manifests(),
      errors: [
        { message: 'ns1/svc1:p80 (tcp) has rules in the dump but the manifests do not define it', line: 6, column: 1 },
        { file: MANIFESTS_FILE, message: 'ns2/svc2:p80 (tcp) is defined in the manifests but has no rules in input.txt', line: 9, column: 5 },
      ],
    },
  ],
});
