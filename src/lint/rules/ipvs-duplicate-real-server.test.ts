import type { IpvsRuleSet, RealServer, VirtualService } from '../../ast/types.js';
import rule from './ipvs-duplicate-real-server.js';
import { CASE_FILE, dedent, ruleTester } from '../testing/rule-tester.js';
import { asExact, asPasted } from '../testing/excerpt.js';

// ipvsadm -S parsing already refuses a repeated real server, so the failing case is a rule set
// built in memory (as a merge of two dumps would build it).
const at = (line: number) => ({ file: CASE_FILE, line, column: 1 });
const rs = (address: string, line: number): RealServer => ({ address, port: 53, forward: 'masq', weight: 1, pos: at(line) });
const vs = (servers: RealServer[]): VirtualService => ({
  protocol: 'udp',
  address: '10.96.0.10',
  port: 53,
  family: 'ipv4',
  scheduler: 'rr',
  schedulerFlags: [],
  realServers: servers,
  pos: at(1),
});
const ruleSet = (servers: RealServer[]): IpvsRuleSet => ({ kind: 'ipvs', services: [vs(servers)], origin: 'merged', fidelity: 'exact' });

/** `ipvsadm -L` (no -n): one host on two service ports, printed by name. */
const LISTING_NAMES = dedent(`
  IP Virtual Server version 1.2.1 (size=4096)
  Prot LocalAddress:Port Scheduler Flags
    -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
  TCP  kubernetes.default:https rr
    -> node-1:https                 Masq    1      0          0
    -> node-1:http                  Masq    1      0          0
`);

ruleTester(rule, {
  valid: [
    {
      name: 'two different real servers',
      code: dedent(`
        -A -u 10.96.0.10:53 -s rr
        -a -u 10.96.0.10:53 -r 10.244.0.5:53 -m -w 1
        -a -u 10.96.0.10:53 -r 10.244.0.6:53 -m -w 1
      `),
    },
    {
      name: 'a listing without -n (host and service names): not judged, one note',
      ...asPasted(LISTING_NAMES),
      notes: [{ message: 'not judged: the ipvsadm-list text is lossy (host names instead of addresses (a listing without -n))', line: 5, column: 3 }],
    },
  ],
  invalid: [
    {
      name: 'the same real server twice',
      ruleSet: ruleSet([rs('10.244.0.5', 2), rs('10.244.0.6', 3), rs('10.244.0.5', 4)]),
      errors: [
        {
          message: 'real server 10.244.0.5:53 of virtual service UDP 10.96.0.10:53 is listed twice (first at line 2); ipvsadm -R refuses the second',
          line: 4,
          column: 1,
        },
      ],
    },
  ],
});
