import type { Chain, IptablesRuleSet, Rule, Table } from '../../ast/types.js';
import { isKubeChain } from '../../kube/chain-kind.js';
import { ChainContext, type RuleAt } from '../explain/chain-context.js';
import { bareAddress, spnOfComment } from '../explain/facts.js';
import { readServiceComment, type ServiceCommentRole } from '../../kube/rule-comments.js';
import { frontendText, hostPortText, serviceStates, type FrontendKind, type ServicePortState } from '../../ast/service-port-state.js';

export { serviceKey, type ServicePortState } from '../../ast/service-port-state.js';

/** What a rule's comment says of its service port, if it names one. */
function roleOf(comment: string | null): ServiceCommentRole | undefined {
  return comment ? readServiceComment(comment)?.role : undefined;
}

export interface ServiceModel {
  services: Map<string, ServicePortState>;
  /** The rules the model does not account for, per table and chain (compared rule by rule). */
  leftover: IptablesRuleSet;
}


function hostPort(ip: string | null, port: string | null): string {
  return hostPortText(ip ? bareAddress(ip) : '', port);
}

/** Reads the service ports out of kube-proxy's chains (iptables mode). */
export function serviceModel(ruleSet: IptablesRuleSet): ServiceModel {
  // Each chain is walked about once: its facts are read as it is walked and not kept.
  const ctx = new ChainContext(ruleSet);
  const consumed = new Set<Rule>();
  const { get, add, sorted } = serviceStates();
  const walked = new Set<string>();

  /** The endpoints of a KUBE-SVC/SVL chain, and what it says besides (affinity, masquerading). */
  const walkServiceChain = (s: ServicePortState, chain: string, local: boolean) => {
    const key = `${chain}/${local}`;
    if (walked.has(key)) return;
    walked.add(key);
    for (const r of ctx.eachRuleOf('nat', chain)) {
      const x = r.facts;
      if (x.target === 'KUBE-MARK-MASQ') {
        consumed.add(r.rule);
        if (x.src && x.srcNegated) add(s.policies, `masquerade traffic not from ${x.src}`);
        else if (x.inIface && x.inIfaceNegated) add(s.policies, `masquerade traffic not from interface ${x.inIface}`);
        else add(s.policies, 'masquerade all traffic');
        continue;
      }
      if (x.target?.startsWith('KUBE-SEP-')) {
        consumed.add(r.rule);
        if (x.recent) {
          add(s.policies, `session affinity${x.recent.seconds ? ` ${x.recent.seconds}s` : ''}`);
          continue;
        }
        const ep = walkEndpointChain(x.target);
        if (ep) add(local ? s.localEndpoints : s.endpoints, ep);
      }
    }
  };
  const walkEndpointChain = (chain: string): string | null => {
    let ep: string | null = null;
    for (const r of ctx.eachRuleOf('nat', chain)) {
      const x = r.facts;
      if (x.target === 'DNAT') {
        ep = x.targetOption('--to-destination') ?? null;
        consumed.add(r.rule);
      } else if (x.target === 'KUBE-MARK-MASQ' && x.src) consumed.add(r.rule);
    }
    return ep;
  };
  const walkPolicyChain = (s: ServicePortState, chain: string) => {
    if (chain.startsWith('KUBE-SVC-')) walkServiceChain(s, chain, false);
    else if (chain.startsWith('KUBE-SVL-') || chain.startsWith('KUBE-XLB-')) walkServiceChain(s, chain, true);
    else if (chain.startsWith('KUBE-EXT-')) walkExtChain(s, chain);
    else if (chain.startsWith('KUBE-FW-')) walkFwChain(s, chain);
  };
  const walkExtChain = (s: ServicePortState, chain: string) => {
    if (walked.has(chain)) return;
    walked.add(chain);
    for (const r of ctx.eachRuleOf('nat', chain)) {
      const x = r.facts;
      consumed.add(r.rule);
      if (x.target === 'KUBE-MARK-MASQ' && x.srcType !== 'LOCAL') add(s.policies, 'externalTrafficPolicy: Cluster');
      else if (x.srcType === 'LOCAL' || (x.target && roleOf(x.comment) === 'pod-external')) add(s.policies, 'externalTrafficPolicy: Local');
      if (x.target) walkPolicyChain(s, x.target);
    }
  };
  const walkFwChain = (s: ServicePortState, chain: string) => {
    if (walked.has(chain)) return;
    walked.add(chain);
    for (const r of ctx.eachRuleOf('nat', chain)) {
      const x = r.facts;
      consumed.add(r.rule);
      if (x.src && x.target) {
        const single = /\/(32|128)$/.test(x.src) || !x.src.includes('/');
        add(s.policies, single ? `source ${bareAddress(x.src)} (the load balancer IP itself) allowed` : `source range ${x.src}`);
      }
      if (x.target) walkPolicyChain(s, x.target);
    }
  };

  const dispatch = (r: RuleAt, handle: (s: ServicePortState) => void) => {
    const name = spnOfComment(r.facts.comment);
    if (!name) return;
    const protocol = r.facts.protocol ?? 'tcp';
    consumed.add(r.rule);
    handle(get(name, protocol));
  };

  for (const r of ctx.eachRuleOf('nat', 'KUBE-SERVICES')) {
    const x = r.facts;
    if (!x.target || !isKubeChain(x.target)) continue;
    const dest = hostPort(x.dst, x.dport);
    const role = roleOf(x.comment);
    const kind: FrontendKind = role === 'cluster-ip' ? 'cluster IP' : role === 'external-ip' ? 'external IP' : role === 'loadbalancer-ip' ? 'load balancer IP' : 'service IP';
    dispatch(r, (s) => {
      add(s.frontends, frontendText(kind, dest));
      if (kind === 'cluster IP' && x.target?.startsWith('KUBE-SVL-')) add(s.policies, 'internalTrafficPolicy: Local');
      walkPolicyChain(s, x.target as string);
    });
  }
  for (const r of ctx.eachRuleOf('nat', 'KUBE-NODEPORTS')) {
    const x = r.facts;
    if (!x.target || !isKubeChain(x.target)) continue;
    dispatch(r, (s) => {
      if (x.dst?.startsWith('127.')) add(s.policies, 'node port reachable on localhost');
      else add(s.frontends, frontendText('node port', `${x.dport ?? '?'}${x.dst ? ` on ${bareAddress(x.dst)}` : ''}`));
      walkPolicyChain(s, x.target as string);
    });
  }
  for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) {
    for (const r of ctx.eachRuleOf('filter', chain)) {
      const x = r.facts;
      const role = roleOf(x.comment);
      const verdict = x.target;
      if (verdict !== 'REJECT' && verdict !== 'DROP' && verdict !== 'ACCEPT') continue;
      dispatch(r, (s) => {
        if (role === 'health-check-node-port') add(s.frontends, frontendText('health check node port', x.dport ?? '?'));
        else if (role === 'no-endpoints') {
          add(s.policies, 'no endpoints: rejected');
          if (chain === 'KUBE-SERVICES') add(s.frontends, frontendText('cluster IP', hostPort(x.dst, x.dport)));
          else if (x.dst) add(s.frontends, frontendText('external or load balancer IP', hostPort(x.dst, x.dport)));
          else add(s.frontends, frontendText('node port', x.dport ?? '?'));
        } else if (role === 'no-local-endpoints') {
          add(s.policies, chain === 'KUBE-SERVICES' ? 'no local endpoints for internal traffic: dropped' : 'no local endpoints for external traffic: dropped');
          if (chain === 'KUBE-SERVICES') add(s.frontends, frontendText('cluster IP', hostPort(x.dst, x.dport)));
        } else if (role === 'firewall-not-accepted') add(s.policies, `firewall on load balancer IP ${hostPort(x.dst, x.dport)}`);
      });
    }
  }
  return { services: sorted(), leftover: leftoverRules(ruleSet, consumed) };
}

/** The rule set without the rules the model accounts for, and without the per-service chains left empty. */
function leftoverRules(ruleSet: IptablesRuleSet, consumed: Set<Rule>): IptablesRuleSet {
  const tables: Table[] = ruleSet.tables.map((t) => {
    const chains: Chain[] = [];
    for (const c of t.chains) {
      const rules = c.rules.filter((r) => !consumed.has(r));
      // Empty per-service chains are the service model's business; empty canary chains say nothing.
      if (rules.length === 0 && (isKubeChain(c.name) || /^KUBE-.*-CANARY$/.test(c.name))) continue;
      chains.push({ ...c, rules });
    }
    return { ...t, chains };
  });
  return { ...ruleSet, tables };
}
