import { nodePortAddresses, nodePortHostIPs, nodePortsKeepLoopback } from '../../compiler/node-port-addresses.js';
import type { ProxySettings } from '../../model/settings.js';
import { chainAt, nodeAt, ruleAt } from '../positions.js';
import { docsUrl, iptablesRule } from '../types.js';

/**
 * nat KUBE-SERVICES must end with the jump to KUBE-NODEPORTS: that jump matches every packet to
 * a node address, so rules after it (cluster IPs, external IPs that are also node addresses)
 * are never reached for such packets; without it, no NodePort answers. In an excerpt, rules
 * that follow the jump in the text are still found (lines cut out do not reorder the rest), but
 * neither a missing jump nor a jump that looks last can be told from lines left out: the rule
 * says once that it could not judge.
 */
export default iptablesRule({
  meta: {
    id: 'nodeports-not-last',
    severity: 'error',
    target: 'iptables',
    docs: {
      description: 'In nat KUBE-SERVICES, the jump to KUBE-NODEPORTS is missing or is not the last rule.',
      url: docsUrl('nodeports-not-last'),
    },
    messages: {
      missing: 'nat KUBE-SERVICES has no jump to KUBE-NODEPORTS, so its {{count}} NodePort rule(s) are never reached',
      notLast:
        'the jump to KUBE-NODEPORTS is not the last rule of nat KUBE-SERVICES: {{count}} rule(s) follow it (first at line {{line}}) and are skipped for traffic to node addresses',
      notLastInExcerpt:
        'the jump to KUBE-NODEPORTS is not the last rule of nat KUBE-SERVICES: rules follow it (the first at line {{line}}) and are skipped for traffic to node addresses',
    },
  },
  check(context) {
    const { index, file } = context;
    if (index.isIpvsMode()) return;
    const nat = index.table('nat');
    if (!nat) return;
    const why = nat.partial;
    const o = nat.ordinalOf('KUBE-SERVICES');
    if (o === undefined) {
      if (why !== undefined && (nat.chains.get('KUBE-NODEPORTS')?.rules.length ?? 0) > 0) context.notJudged(why, nodeAt(nat.table, file));
      return;
    }
    const services = nat.chainAt(o);
    const f = nat.facts();
    const targets = f.target.slice(f.firstRule[o], f.firstRule[o + 1]);
    const jumps: number[] = [];
    let lastOther = -1;
    targets.forEach((t, i) => {
      if (t === 'KUBE-NODEPORTS') jumps.push(i);
      else lastOther = i;
    });
    if (jumps.length === 0) {
      const nodePorts = nat.chains.get('KUBE-NODEPORTS');
      const count = nodePorts?.rules.length ?? 0;
      if (context.proxy && !expectsJump(context.proxy)) return;
      // KUBE-SERVICES may have lost the jump, or KUBE-NODEPORTS its rules, with the lines left out.
      if (why !== undefined && (nat.mayBeCut(o) || count === 0)) {
        context.notJudged(why, nodeAt(nat.table, file));
        return;
      }
      if (count === 0) return;
      context.report({ messageId: 'missing', data: { count }, at: chainAt(services, file) });
      return;
    }
    const cut = nat.mayBeCut(o);
    // A jump that is last in an excerpt may be followed by rules the text leaves out.
    if (why !== undefined && cut && (jumps[jumps.length - 1] as number) > lastOther) context.notJudged(why, nodeAt(nat.table, file));
    for (const i of jumps) {
      if (i > lastOther) continue;
      const rule = services.rules[i];
      if (!rule) continue;
      const after = targets.slice(i + 1).filter((t) => t !== 'KUBE-NODEPORTS').length;
      const next = services.rules.slice(i + 1).find((_, k) => targets[i + 1 + k] !== 'KUBE-NODEPORTS');
      context.report({
        messageId: cut ? 'notLastInExcerpt' : 'notLast',
        data: { count: after, line: next?.pos?.line ?? '?' },
        at: ruleAt(rule, file),
        suppressions: rule.suppressions ?? [],
      });
    }
  },
});

/**
 * Whether kube-proxy writes the jump at all: with nodePortAddresses naming no address of the
 * node (only loopback addresses while localhost NodePorts are off), it writes none.
 */
function expectsJump(settings: ProxySettings): boolean {
  const npa = nodePortAddresses(settings);
  if (npa.matchAll) return true;
  return nodePortHostIPs(settings, npa, nodePortsKeepLoopback(settings)).length > 0;
}
