import type { Rule } from '../../ast/types.js';
import { matchValue, viewRule, type RuleView } from '../../ast/rule-view.js';
import { parsePortRange } from '../../ast/xtables/values.js';
import { bytesToIp } from '../../kube/ip.js';
import type { RuleSetIndex } from './rule-set-index.js';
import { netOf, protocolOf, servicePortNameIn } from './rule-facts.js';
import { readServiceComment } from '../../kube/rule-comments.js';

/**
 * The services an iptables rule set (kube-proxy's iptables mode) implements, read back from its
 * rules: per service port, its cluster IP and port, NodePort, external and load-balancer
 * addresses and the endpoints its service chains send to. Reading a compiled rule set and a
 * dump the same way lets `drift` compare them.
 */
export interface ServicePortView {
  servicePortName: string;
  protocol: string;
  clusterIPs: Set<string>;
  ports: Set<number>;
  nodePorts: Set<number>;
  /** External and load-balancer addresses (the filter table does not tell them apart). */
  externalAddresses: Set<string>;
  /** Endpoints the cluster-policy chain (KUBE-SVC) sends to. */
  clusterEndpoints: Set<string>;
  /** Endpoints the local-policy chain (KUBE-SVL) sends to. */
  localEndpoints: Set<string>;
  /** The first rule of the service port, where findings point. */
  rule?: Rule;
}

export function readServiceViews(index: RuleSetIndex): Map<string, ServicePortView> {
  const views = new Map<string, ServicePortView>();
  const get = (spn: string, proto: string, rule: Rule | undefined): ServicePortView => {
    const key = `${spn} ${proto}`;
    let v = views.get(key);
    if (!v) {
      v = {
        servicePortName: spn,
        protocol: proto,
        clusterIPs: new Set(),
        ports: new Set(),
        nodePorts: new Set(),
        externalAddresses: new Set(),
        clusterEndpoints: new Set(),
        localEndpoints: new Set(),
      };
      if (rule) v.rule = rule;
      views.set(key, v);
    } else if (!v.rule && rule) v.rule = rule;
    return v;
  };
  const family = index.ruleSet.family;
  const host = (view: RuleView): string | undefined => {
    const d = view.destination;
    if (!d || d.negated) return undefined;
    const net = netOf(d.value, family);
    if (!net) return d.value;
    const bytes: number[] = [];
    const width = net.family === 'ipv4' ? 4 : 16;
    for (let i = width - 1; i >= 0; i--) bytes.push(Number((net.addr >> BigInt(i * 8)) & 0xffn));
    return bytesToIp(bytes).text;
  };
  const dport = (view: RuleView): number | undefined => {
    const proto = protocolOf(view);
    const text = proto ? matchValue(view, proto, '--dport') : undefined;
    const range = text ? parsePortRange(text, proto) : undefined;
    return range && range[0] === range[1] ? range[0] : undefined;
  };

  for (const tableName of ['nat', 'filter']) {
    const t = index.table(tableName);
    if (!t) continue;
    for (const chainName of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS']) {
      const chain = t.chains.get(chainName);
      if (chain) chain.rules.forEach((rule) => readRule(tableName, chainName, rule, viewRule(rule)));
    }
  }

  function readRule(table: string, chain: string, rule: Rule, view: RuleView): void {
    const comment = view.comment;
    if (comment === undefined) return;
    const spn = servicePortNameIn(comment);
    const proto = protocolOf(view);
    if (!spn || !proto) return;
    if (chain === 'KUBE-SERVICES') {
      const role = readServiceComment(comment)?.role;
      if (role === 'cluster-ip' || role === 'no-endpoints' || role === 'no-local-endpoints') {
        const v = get(spn, proto, rule);
        const ip = host(view);
        const port = dport(view);
        if (ip) v.clusterIPs.add(ip);
        if (port !== undefined) v.ports.add(port);
      } else if (role === 'external-ip' || role === 'loadbalancer-ip') {
        const ip = host(view);
        if (ip) get(spn, proto, rule).externalAddresses.add(ip);
      }
    } else if (chain === 'KUBE-EXTERNAL-SERVICES') {
      const v = get(spn, proto, rule);
      if (matchValue(view, 'addrtype', '--dst-type') === 'LOCAL') {
        const port = dport(view);
        if (port !== undefined) v.nodePorts.add(port);
      } else {
        const ip = host(view);
        if (ip) v.externalAddresses.add(ip);
      }
    } else if (chain === 'KUBE-NODEPORTS' && table === 'nat') {
      const port = dport(view);
      if (port !== undefined) get(spn, proto, rule).nodePorts.add(port);
    }
  }

  const kube = index.kubeChains();
  if (!kube) return views;
  const f = kube.facts;
  for (const kc of kube.all) {
    if (!kube.isServiceChain(kc)) continue;
    const spn = kube.servicePortName(kc);
    const protocol = kube.protocol(kc);
    const v = spn !== undefined && protocol !== undefined ? views.get(`${spn} ${protocol}`) : undefined;
    if (!v) continue;
    const into = kube.kind(kc) === 'SVC' ? v.clusterEndpoints : v.localEndpoints;
    for (let n = f.firstRule[kc] as number; n < (f.firstRule[kc + 1] as number); n++) {
      const t = f.target[n];
      const sep = t !== undefined ? kube.get(t) : undefined;
      const destination = sep !== undefined && kube.kind(sep) === 'SEP' ? kube.destination(sep) : undefined;
      if (destination !== undefined) into.add(destination);
    }
  }
  return views;
}
