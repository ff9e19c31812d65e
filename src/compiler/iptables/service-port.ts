import { commentArgs, rule } from '../../ast/rule-builder.js';
import type { Service, ServicePort } from '../../model/cluster.js';
import { cidrContains, type ParsedIp } from '../../model/ip.js';
import type { ProxySettings } from '../../model/settings.js';
import { endpointChainName, flat, servicePortHash } from '../chain-names.js';
import { categorize, protocolLower, type ServiceEndpoint } from '../endpoints.js';
import { localhostNodePortsEffective } from '../node-port-addresses.js';
import type { TablesBuilder } from './tables-builder.js';
import { ifLocal, ifNotLocal } from '../local-traffic.js';

export interface ServicePortContext {
  out: TablesBuilder;
  settings: ProxySettings;
  /** More than 1000 endpoints in all: per-endpoint comments are left out. */
  largeCluster: boolean;
}

/** The address lists of a service in the compiler's family. */
export function familyAddresses(svc: Service, settings: ProxySettings) {
  const f = settings.family;
  return {
    clusterIP: svc.clusterIPs[f] as ParsedIp,
    externalIPs: svc.externalIPs.filter((ip) => ip.family === f),
    loadBalancerIPs: svc.loadBalancerIPs.filter((ip) => ip.family === f),
    sourceRanges: svc.sourceRanges.filter((c) => c.family === f),
  };
}

/**
 * Writes every rule of one service port, following kube-proxy's decisions: which chains exist,
 * which traffic is rejected or dropped in the filter table, and the endpoint fan-out.
 */
export function compileServicePort(
  ctx: ServicePortContext,
  svc: Service,
  port: ServicePort,
  spn: string,
  endpoints: readonly ServiceEndpoint[],
): void {
  const { out, settings } = ctx;
  const proto = protocolLower(port.protocol);
  const addrs = familyAddresses(svc, settings);
  const cip = addrs.clusterIP.text;
  const dport = String(port.port);

  const externallyAccessible = port.nodePort !== 0 || addrs.loadBalancerIPs.length > 0 || addrs.externalIPs.length > 0;
  const externalPolicyLocal = externallyAccessible && svc.externalTrafficLocal;
  const internalPolicyLocal = svc.internalTrafficLocal;
  const cat = categorize(endpoints, { externallyAccessible, externalPolicyLocal, internalPolicyLocal }, settings.nodeZone);

  const hash = servicePortHash(spn, proto);
  const svcChain = flat(`KUBE-SVC-${hash}`);
  const svlChain = flat(`KUBE-SVL-${hash}`);
  const extChain = flat(`KUBE-EXT-${hash}`);
  const fwChain = flat(`KUBE-FW-${hash}`);

  const sepNames = new Map<string, string>();
  const sepOf = (ep: ServiceEndpoint): string => {
    let name = sepNames.get(ep.text);
    if (name === undefined) {
      name = endpointChainName(spn, proto, ep.text);
      sepNames.set(ep.text, name);
    }
    return name;
  };

  const localCount = cat.local?.length ?? 0;
  const usesClusterChain = (cat.cluster?.length ?? 0) > 0;
  const usesLocalChain = localCount > 0 && (internalPolicyLocal || externalPolicyLocal);
  const internalChain = internalPolicyLocal ? svlChain : svcChain;
  const externalPolicyChain = externalPolicyLocal ? svlChain : svcChain;
  const hasEndpoints = cat.hasEndpoints;
  const hasInternalEndpoints = hasEndpoints && !(internalPolicyLocal && localCount === 0);
  const hasExternalEndpoints = hasEndpoints && !(externalPolicyLocal && localCount === 0);
  const usesExtChain = hasEndpoints && externallyAccessible;
  const usesFwChain = hasEndpoints && addrs.loadBalancerIPs.length > 0 && addrs.sourceRanges.length > 0;

  const noEndpoints = !hasEndpoints;
  const filterTarget = noEndpoints ? 'REJECT' : 'DROP';
  const filterComment = noEndpoints ? `${spn} has no endpoints` : `${spn} has no local endpoints`;
  const toService = (comment: string) => rule().comment(comment).protocol(proto);

  // 1. Cluster IP.
  if (hasInternalEndpoints) {
    out.add('nat', 'KUBE-SERVICES', toService(`${spn} cluster IP`).opt('-d', cip).opt('--dport', dport).jump(internalChain).build());
  } else {
    out.add('filter', 'KUBE-SERVICES', toService(filterComment).opt('-d', cip).opt('--dport', dport).jump(filterTarget).build());
  }

  // 2. External IPs.
  for (const eip of addrs.externalIPs) {
    if (hasEndpoints) {
      out.add('nat', 'KUBE-SERVICES', toService(`${spn} external IP`).opt('-d', eip.text).opt('--dport', dport).jump(extChain).build());
    }
    if (!hasExternalEndpoints) {
      out.add('filter', 'KUBE-EXTERNAL-SERVICES', toService(filterComment).opt('-d', eip.text).opt('--dport', dport).jump(filterTarget).build());
    }
  }

  // 3. Load-balancer IPs.
  for (const lb of addrs.loadBalancerIPs) {
    if (hasEndpoints) {
      out.add(
        'nat',
        'KUBE-SERVICES',
        toService(`${spn} loadbalancer IP`).opt('-d', lb.text).opt('--dport', dport).jump(usesFwChain ? fwChain : extChain).build(),
      );
    }
    if (usesFwChain) {
      out.add(
        'filter',
        'KUBE-PROXY-FIREWALL',
        toService(`${spn} traffic not accepted by ${fwChain}`).opt('-d', lb.text).opt('--dport', dport).jump('DROP').build(),
      );
    }
  }
  if (!hasExternalEndpoints) {
    for (const lb of addrs.loadBalancerIPs) {
      out.add('filter', 'KUBE-EXTERNAL-SERVICES', toService(filterComment).opt('-d', lb.text).opt('--dport', dport).jump(filterTarget).build());
    }
  }

  // 4. NodePort.
  if (port.nodePort !== 0) {
    const np = String(port.nodePort);
    if (hasEndpoints) {
      if (localhostNodePortsEffective(settings) && settings.nfacct) {
        out.add(
          'nat',
          'KUBE-NODEPORTS',
          rule()
            .comment(spn)
            .protocol(proto)
            .opt('-d', '127.0.0.0/8')
            .opt('--dport', np)
            .match('nfacct')
            .opt('--nfacct-name', 'localhost_nps_accepted_pkts')
            .jump(extChain)
            .build(),
        );
      }
      out.add('nat', 'KUBE-NODEPORTS', rule().comment(spn).protocol(proto).opt('--dport', np).jump(extChain).build());
    }
    if (!hasExternalEndpoints) {
      out.add(
        'filter',
        'KUBE-EXTERNAL-SERVICES',
        rule().comment(filterComment).match('addrtype').opt('--dst-type', 'LOCAL').protocol(proto).opt('--dport', np).jump(filterTarget).build(),
      );
    }
  }

  // 5. Health check node port.
  if (svc.type === 'LoadBalancer' && svc.externalTrafficLocal && svc.healthCheckNodePort !== 0) {
    out.add(
      'filter',
      'KUBE-NODEPORTS',
      rule().comment(`${spn} health check node port`).protocol('tcp').opt('--dport', String(svc.healthCheckNodePort)).jump('ACCEPT').build(),
    );
  }

  // 6. Masquerade off-cluster traffic to the cluster IP.
  if (hasInternalEndpoints) {
    if (settings.masqueradeAll) {
      out.add('nat', internalChain, toService(`${spn} cluster IP`).opt('-d', cip).opt('--dport', dport).jump('KUBE-MARK-MASQ').build());
    } else if (settings.localDetector.kind !== 'none') {
      const r = toService(`${spn} cluster IP`).opt('-d', cip).opt('--dport', dport);
      out.add('nat', internalChain, ifNotLocal(r, settings.localDetector).jump('KUBE-MARK-MASQ').build());
    }
  }

  // 7. The external-destination chain.
  if (usesExtChain) {
    out.declare('nat', extChain);
    if (!externalPolicyLocal) {
      out.add('nat', extChain, rule().comment(`masquerade traffic for ${spn} external destinations`).jump('KUBE-MARK-MASQ').build());
    } else {
      if (settings.localDetector.kind !== 'none') {
        const r = rule().comment(`pod traffic for ${spn} external destinations`);
        out.add('nat', extChain, ifLocal(r, settings.localDetector).jump(svcChain).build());
      }
      out.add(
        'nat',
        extChain,
        rule().comment(`masquerade LOCAL traffic for ${spn} external destinations`).match('addrtype').opt('--src-type', 'LOCAL').jump('KUBE-MARK-MASQ').build(),
      );
      out.add(
        'nat',
        extChain,
        rule().comment(`route LOCAL traffic for ${spn} external destinations`).match('addrtype').opt('--src-type', 'LOCAL').jump(svcChain).build(),
      );
    }
    if (hasExternalEndpoints) out.add('nat', extChain, rule().jump(externalPolicyChain).build());
  }

  // 8. The load-balancer source-range firewall chain.
  if (usesFwChain) {
    out.declare('nat', fwChain);
    const lbComment = `${spn} loadbalancer IP`;
    for (const range of addrs.sourceRanges) {
      out.add('nat', fwChain, rule().comment(lbComment).opt('-s', range.text).jump(extChain).build());
    }
    const primary = settings.primaryNodeIP;
    if (primary && addrs.sourceRanges.some((c) => cidrContains(c, primary))) {
      for (const lb of addrs.loadBalancerIPs) {
        out.add('nat', fwChain, rule().comment(lbComment).opt('-s', lb.text).jump(extChain).build());
      }
    }
    out.add('nat', fwChain, rule().comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`).build());
  }

  // 9, 10. Service chains with their endpoint fan-out.
  if (usesClusterChain) writeEndpointJumps(ctx, svcChain, spn, sepOf, cat.cluster ?? [], svc.affinityTimeout);
  if (usesLocalChain) writeEndpointJumps(ctx, svlChain, spn, sepOf, cat.local ?? [], svc.affinityTimeout);

  // 11. Endpoint chains.
  const spnComment = ctx.largeCluster ? [] : commentArgs(spn);
  for (const ep of cat.reachable) {
    const sep = sepOf(ep);
    out.add('nat', sep, rule().with(...spnComment).opt('-s', ep.ip.text).jump('KUBE-MARK-MASQ').build());
    const dnat = rule().with(...spnComment);
    if (svc.affinityTimeout !== null) dnat.match('recent').opt('--name', sep).opt('--set');
    dnat.protocol(proto).jump('DNAT', { flag: '--to-destination', negated: false, values: [ep.text] });
    out.add('nat', sep, dnat.build());
  }
}

function writeEndpointJumps(
  ctx: ServicePortContext,
  chain: string,
  spn: string,
  sepOf: (ep: ServiceEndpoint) => string,
  endpoints: readonly ServiceEndpoint[],
  affinityTimeout: number | null,
): void {
  const { out } = ctx;
  out.declare('nat', chain);
  const named = endpoints.map((ep) => ({ ep, sep: sepOf(ep) }));
  const start = (ep: ServiceEndpoint) => {
    const r = rule();
    if (!ctx.largeCluster) r.comment(`${spn} -> ${ep.text}`);
    return r;
  };
  if (affinityTimeout !== null) {
    for (const { ep, sep } of named) {
      out.add(
        'nat',
        chain,
        start(ep).match('recent').opt('--name', sep).opt('--rcheck').opt('--seconds', String(affinityTimeout)).opt('--reap').jump(sep).build(),
      );
    }
  }
  named.forEach(({ ep, sep }, i) => {
    const r = start(ep);
    const remaining = named.length - i;
    if (remaining > 1) r.match('statistic').opt('--mode', 'random').opt('--probability', probability(remaining));
    out.add('nat', chain, r.jump(sep).build());
  });
}

/** 1/n with ten decimals, as kube-proxy prints it. */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}
