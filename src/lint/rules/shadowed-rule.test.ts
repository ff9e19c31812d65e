import rule from './shadowed-rule.js';
import { dedent, ruleTester } from '../testing/rule-tester.js';

ruleTester(rule, {
  valid: [
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
