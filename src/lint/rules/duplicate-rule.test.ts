import rule from './duplicate-rule.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { SEP1, SVC, svcJump } from '../testing/fixtures.js';
import { asExact, asPasted, excerpt } from '../testing/excerpt.js';

/**
 * `iptables -L FW -v` (no -n): two rules printed alike, whose addresses may differ on the node
 * (two addresses with one host name).
 */
const LISTING_NAMES = dedent(`
  Chain FW (0 references)
   pkts bytes target     prot opt in     out     source               destination
      0     0 ACCEPT     tcp  --  any    any     anywhere             web-2.shop           tcp dpt:http
      0     0 ACCEPT     tcp  --  any    any     anywhere             web-2.shop           tcp dpt:http
`);
/** A chain with two equal rules, listed with -n -v. */
const LISTING_NUMBERS = LISTING_NAMES.replace(/web-2\.shop/g, '10.180.0.2').replace(/anywhere  /g, '0.0.0.0/0 ').replace(/any   /g, '*     ').replace(/dpt:http/g, 'dpt:80');
const REPEATS = 'this rule repeats the rule at line 3 of chain FW: same matches and target, so it never changes the outcome';

const REJECT = '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT';

ruleTester(rule, {
  valid: [
    {
      name: 'a listing without -n (names for addresses and ports): not judged, one note',
      ...asPasted(LISTING_NAMES),
      notes: [{ message: 'not judged: the iptables-list text is lossy (host names instead of addresses (no -n))', line: 1, column: 1 }],
    },
    {
      name: 'rules that differ in one port',
      code: dedent(`
        *filter
        :KUBE-SERVICES - [0:0]
        ${REJECT}
        -A KUBE-SERVICES -m comment --comment "ns6/svc6:p81 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 81 -j REJECT
        COMMIT
      `),
    },
    {
      name: 'the same random jump twice is a second draw, not a duplicate',
      code: dedent(`
        *nat
        :${SVC} - [0:0]
        ${svcJump(SEP1, '10.180.0.1', '0.5000000000')}
        ${svcJump(SEP1, '10.180.0.1', '0.5000000000')}
        COMMIT
      `),
    },
    {
      name: "older kube-proxy's pod source and pod destination conntrack rules, alike without a cluster CIDR",
      code: dedent(`
        *filter
        :KUBE-FORWARD - [0:0]
        -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack pod source rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack pod destination rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        COMMIT
      `),
    },
    {
      name: "kube-proxy's health-check rule, written once per port of a LoadBalancer Service",
      code: dedent(`
        *filter
        :KUBE-NODEPORTS - [0:0]
        -A KUBE-NODEPORTS -m comment --comment "ingress/nginx:http health check node port" -m tcp -p tcp --dport 32100 -j ACCEPT
        -A KUBE-NODEPORTS -m comment --comment "ingress/nginx:https health check node port" -m tcp -p tcp --dport 32100 -j ACCEPT
        COMMIT
      `),
    },
  ],
  invalid: [
    {
      name: 'a chain with two equal rules listed with -n -v: found',
      ...asPasted(LISTING_NUMBERS),
      errors: [{ message: REPEATS, line: 4, column: 5 }],
    },
    {
      name: 'the listing without -n, were it read as exact, would be judged on names',
      ...asExact(asPasted(LISTING_NAMES)),
      errors: [{ message: REPEATS, line: 4, column: 5 }],
    },
    {
      name: 'in an excerpt (no *nat line, no COMMIT), a repeated rule line is found',
      ...excerpt('-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n'),
      errors: [{ message: 'this rule repeats the rule at line 1 of chain KUBE-MARK-MASQ: same matches and target, so it never changes the outcome', line: 2, column: 1 }],
    },
    {
      name: 'a rule appended twice (the second with another comment)',
      code: dedent(`
        *filter
        :KUBE-SERVICES - [0:0]
        ${REJECT}
        -A KUBE-SERVICES -m comment --comment "added by hand" -p tcp -m tcp --dport 80 -d 172.30.0.46/32 -j REJECT
        COMMIT
      `),
      errors: [{ message: 'this rule repeats the rule at line 3 of chain KUBE-SERVICES: same matches and target, so it never changes the outcome', line: 4, column: 1 }],
    },
  ],
});
