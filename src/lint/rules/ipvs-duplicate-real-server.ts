import { parseIp } from '../../kube/ip.js';
import { nodeAt } from '../positions.js';
import { lossiness } from '../kube/rule-set-index.js';
import { describeRealServer, describeVirtualService } from '../kube/ipvs-names.js';
import { docsUrl, ipvsRule } from '../types.js';

/**
 * The kernel keeps one real server per address and port in a virtual service, so a dump that
 * lists one twice was edited by hand or concatenated from two dumps; `ipvsadm -R` fails on it
 * ("Destination already exists"). In a lossy listing, a real server printed with a host or
 * service name is not compared (two names may be one address, one name two ports): the rule says
 * so once.
 */
export default ipvsRule({
  meta: {
    id: 'ipvs-duplicate-real-server',
    severity: 'error',
    target: 'ipvs',
    docs: {
      description: 'The same real server listed twice in one IPVS virtual service.',
      url: docsUrl('ipvs-duplicate-real-server'),
    },
    messages: {
      duplicate: 'real server {{server}} of virtual service {{service}} is listed twice (first at line {{line}}); ipvsadm -R refuses the second',
    },
  },
  check(context) {
    const lossy = lossiness(context.ruleSet);
    for (const vs of context.ruleSet.services) {
      const seen = new Map<string, number | undefined>();
      for (const rs of vs.realServers) {
        if (lossy !== undefined && (rs.portName !== undefined || parseIp(rs.address) === null)) {
          context.notJudged(lossy, nodeAt(rs, context.file));
          continue;
        }
        const key = describeRealServer(rs);
        if (!seen.has(key)) {
          seen.set(key, rs.pos?.line);
          continue;
        }
        context.report({
          messageId: 'duplicate',
          data: { server: key, service: describeVirtualService(vs), line: seen.get(key) ?? '?' },
          at: nodeAt(rs, context.file),
        });
      }
    }
  },
});
