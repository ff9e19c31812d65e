import rule from './shadowed-rule.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';
import { asExact, asPasted, excerpt } from '../testing/excerpt.js';

/** `iptables -L FW -v` (no -n): addresses and ports printed as names. */
const LISTING_NAMES = dedent(`
  Chain FW (0 references)
   pkts bytes target     prot opt in     out     source               destination
      0     0 ACCEPT     all  --  any    any     anywhere             web-1.shop
      0     0 DROP       tcp  --  any    any     anywhere             web-1.shop           tcp dpt:http
`);
/** The same chain with -n -v. */
const LISTING_NUMBERS = LISTING_NAMES.replace(/web-1\.shop/g, '10.180.0.1').replace(/anywhere  /g, '0.0.0.0/0 ').replace(/any   /g, '*     ').replace('dpt:http', 'dpt:80');
const SHADOWED = 'this rule is never reached: the rule at line 3 matches every packet it matches and ends chain FW with -j ACCEPT';

ruleTester(rule, {
  valid: [
    {
      name: 'a listing without -n (names for addresses and ports): not judged, one note',
      ...asPasted(LISTING_NAMES),
      notes: [{ message: 'not judged: the iptables-list text is lossy (host names instead of addresses (no -n))', line: 1, column: 1 }],
    },
    {
      name: "kube-proxy's KUBE-FORWARD",
      code: dedent(`
        *filter
        :KUBE-FORWARD - [0:0]
        -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
        -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
        -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        COMMIT
      `),
    },
    {
      name: 'the narrow rule first, the wide one after; other protocols; non-terminating targets',
      code: dedent(`
        *filter
        :FW - [0:0]
        -A FW -s 10.1.2.0/24 -p tcp -m tcp --dport 80 -j DROP
        -A FW -s 10.0.0.0/8 -j ACCEPT
        -A FW -p udp -m udp --dport 53 -j ACCEPT
        -A FW -p tcp -m tcp --dport 53 -j ACCEPT
        -A FW -s 192.168.0.0/16 -j LOG
        -A FW -s 192.168.1.0/24 -j DROP
        -A FW ! -s 172.16.0.0/12 -j RETURN
        -A FW -s 172.16.1.0/24 -j DROP
        COMMIT
      `),
    },
  ],
  invalid: [
    {
      name: 'the same chain listed with -n -v: found',
      ...asPasted(LISTING_NUMBERS),
      errors: [{ message: SHADOWED, line: 4, column: 5 }],
    },
    {
      name: 'the listing without -n, were it read as exact, would be judged on names',
      ...asExact(asPasted(LISTING_NAMES)),
      errors: [{ message: SHADOWED, line: 4, column: 5 }],
    },
    {
      name: 'in an excerpt (no *filter line, no COMMIT), a rule whose matches are all shown is found shadowed',
      ...excerpt('-A FW -s 10.0.0.0/8 -j ACCEPT\n-A FW -s 10.1.2.0/24 -p tcp -m tcp --dport 80 -j DROP\n'),
      errors: [{ message: 'this rule is never reached: the rule at line 1 matches every packet it matches and ends chain FW with -j ACCEPT', line: 2, column: 1 }],
    },
    {
      name: 'a subnet rule after its supernet is accepted',
      code: dedent(`
        *filter
        :FW - [0:0]
        -A FW -s 10.0.0.0/8 -j ACCEPT
        -A FW -s 10.1.2.0/24 -p tcp -m tcp --dport 80 -j DROP
        COMMIT
      `),
      errors: [{ message: 'this rule is never reached: the rule at line 3 matches every packet it matches and ends chain FW with -j ACCEPT', line: 4, column: 1 }],
    },
    {
      name: 'a port inside a range already dropped; a source outside a negated network',
      code: dedent(`
        *filter
        :FW - [0:0]
        -A FW -p tcp -m tcp --dport 30000:32767 -j DROP
        -A FW -p tcp -m tcp --dport 30080 -d 192.168.0.2 -j ACCEPT
        -A FW ! -s 10.0.0.0/8 -j RETURN
        -A FW -s 192.168.5.0/24 -p udp -j ACCEPT
        COMMIT
      `),
      errors: [
        { message: 'this rule is never reached: the rule at line 3 matches every packet it matches and ends chain FW with -j DROP', line: 4, column: 1 },
        { message: 'this rule is never reached: the rule at line 5 matches every packet it matches and ends chain FW with -j RETURN', line: 6, column: 1 },
      ],
    },
  ],
});
