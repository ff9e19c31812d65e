import type { Fields } from './classify.js';
import { bareAddress, type RuleFacts } from './facts.js';
import type { Language } from './language.js';
import { own } from '../../records.js';

/** `ns/name, port p` or a stand-in when the rules do not name the service. */
function svc(f: Fields): string {
  if (!f.svc) return 'this service port';
  return f.port ? `${f.svc}, port ${f.port}` : f.svc;
}

const HOOKS: Record<string, string> = {
  PREROUTING: 'packets arriving from the network, before routing',
  INPUT: 'packets addressed to the node itself',
  FORWARD: 'packets the node forwards',
  OUTPUT: 'packets the node itself sends',
  POSTROUTING: 'packets leaving the node',
};

/** A chain as the target of a jump, with what it does. */
export function chainRole(name: string | undefined, f: Fields = {}): string {
  if (!name) return 'no chain';
  const role = (text: string) => `${name}, ${text}`;
  if (name.startsWith('KUBE-SVC-')) return role('which picks one of the endpoints');
  if (name.startsWith('KUBE-SVL-')) return role('which picks one of the endpoints on this node');
  if (name.startsWith('KUBE-EXT-')) return role('which applies the external traffic policy');
  if (name.startsWith('KUBE-FW-')) return role("which checks the load balancer's allowed source ranges");
  if (name.startsWith('KUBE-XLB-')) return role('which picks an endpoint on this node (older kube-proxy)');
  if (name.startsWith('KUBE-SEP-')) return f.endpoint ? role(`the chain of endpoint ${f.endpoint}`) : role('an endpoint chain');
  const fixed: Record<string, string> = {
    'KUBE-SERVICES': 'the service dispatch',
    'KUBE-NODEPORTS': 'where NodePorts are matched',
    'KUBE-NODE-PORT': 'where NodePorts are matched',
    'KUBE-POSTROUTING': 'which masquerades marked packets',
    'KUBE-MARK-MASQ': 'which marks them for masquerading (SNAT)',
    'KUBE-MARK-DROP': 'which marks them for dropping',
    'KUBE-FORWARD': 'which lets forwarded service traffic through',
    'KUBE-EXTERNAL-SERVICES': 'which refuses external traffic to services without endpoints',
    'KUBE-PROXY-FIREWALL': 'which drops load balancer traffic from sources not allowed',
    'KUBE-FIREWALL': 'which blocks outside packets to 127.0.0.0/8',
    'KUBE-LOAD-BALANCER': 'which handles load balancer IPs',
    'KUBE-SOURCE-RANGES-FIREWALL': "which checks load balancers' source ranges",
    'KUBE-IPVS-FILTER': 'which refuses connections to kube-ipvs0 addresses other than service ports',
    'KUBE-IPVS-OUT-FILTER': 'which stops the node from using load balancer IPs to bypass source ranges',
  };
  return fixed[name] ? role(fixed[name]) : name;
}

const SETS: Record<string, string> = {
  'KUBE-LOOP-BACK': 'endpoints reached by themselves, for hairpin masquerading',
  'KUBE-CLUSTER-IP': 'cluster IPs and ports',
  'KUBE-EXTERNAL-IP': 'external IPs and ports (externalTrafficPolicy: Cluster)',
  'KUBE-EXTERNAL-IP-LOCAL': 'external IPs and ports with externalTrafficPolicy: Local',
  'KUBE-LOAD-BALANCER': 'load balancer IPs and ports',
  'KUBE-LOAD-BALANCER-FW': 'load balancer IPs and ports with source ranges',
  'KUBE-LOAD-BALANCER-LOCAL': 'load balancer IPs and ports with externalTrafficPolicy: Local',
  'KUBE-LOAD-BALANCER-SOURCE-IP': 'load balancer IPs allowed to reach themselves (the node is inside the source ranges)',
  'KUBE-LOAD-BALANCER-SOURCE-CIDR': 'load balancer IPs with their allowed source ranges',
  'KUBE-NODE-PORT-TCP': 'TCP NodePorts',
  'KUBE-NODE-PORT-LOCAL-TCP': 'TCP NodePorts with externalTrafficPolicy: Local',
  'KUBE-NODE-PORT-UDP': 'UDP NodePorts',
  'KUBE-NODE-PORT-LOCAL-UDP': 'UDP NodePorts with externalTrafficPolicy: Local',
  'KUBE-NODE-PORT-SCTP-HASH': 'SCTP NodePorts with their node addresses',
  'KUBE-NODE-PORT-LOCAL-SCTP-HASH': 'SCTP NodePorts with externalTrafficPolicy: Local',
  'KUBE-HEALTH-CHECK-NODE-PORT': 'health check node ports',
  'KUBE-IPVS-IPS': 'every address bound to kube-ipvs0',
};

function setPurpose(name: string | undefined): string {
  const base = (name ?? '').replace(/^KUBE-6-/, 'KUBE-');
  return own(SETS, base) ?? 'a kube-proxy ipset';
}

const DIRS: Record<string, string> = {
  dst: 'destination address',
  'dst,dst': 'destination address and port',
  'dst,dst,src': 'destination address and port with the source address',
  'src,dst': 'source address with the destination port',
  src: 'source address',
};

/** The extra conditions of a rule that the sentence of its kind does not already say. */
function conditions(x: RuleFacts): string {
  const out: string[] = [];
  if (x.ctstate === 'NEW' && !x.ctstateNegated) out.push('opening a new connection');
  if (x.src && x.srcNegated) out.push(`not from ${bareAddress(x.src)}`);
  if (x.inIface && x.inIfaceNegated) out.push(`not arriving on ${x.inIface}`);
  if (x.physdevNotIn) out.push('not arriving on a bridge port');
  if (x.srcType === 'LOCAL') out.push(x.srcTypeNegated ? 'not sent by the node itself' : 'sent by the node itself');
  if (x.dstType === 'LOCAL') out.push(x.dstTypeNegated ? 'not addressed to the node itself' : 'addressed to the node itself');
  if (x.protocol) out.push(`using ${x.protocol}`);
  return out.length ? `, ${out.join(', ')},` : '';
}

function setSubject(f: Fields, x: RuleFacts): string {
  return `Packets whose ${own(DIRS, f.dirs ?? '') ?? f.dirs ?? 'address'} is in ipset ${f.set} (${setPurpose(f.set)})${conditions(x)}`;
}

function nfacct(x: RuleFacts): string {
  return x.nfacct ? ` (counted by nfacct ${x.nfacct})` : '';
}

const VERDICT: Record<string, string> = { REJECT: 'rejected', DROP: 'dropped' };

function why(f: Fields, policy: string): string {
  return f.other === 'local' ? `it has no endpoints on this node (${policy}: Local)` : 'the service has no endpoints';
}

export const EN: Language = {
  rules: {
    hook: (f, x) =>
      `${x.ctstate === 'NEW' ? 'New connections' : 'Every packet'} in ${x.table} ${f.hook} (${own(HOOKS, f.hook ?? '') ?? f.hook}) go${x.ctstate === 'NEW' ? '' : 'es'} to ${chainRole(f.target)}.`,
    'svc-cluster-ip': (f) => `Packets to ${f.dest} (cluster IP of ${svc(f)}) go to ${chainRole(f.target)}.`,
    'svc-external-ip': (f) => `Packets to ${f.dest} (external IP of ${svc(f)}) go to ${chainRole(f.target)}.`,
    'svc-lb-ip': (f) => `Packets to ${f.dest} (load balancer IP of ${svc(f)}) go to ${chainRole(f.target)}.`,
    'svc-dispatch': (f) => `Packets to ${f.dest ?? 'this service'} (${svc(f)}) go to ${chainRole(f.target)}.`,
    'nodeports-jump': (f, x) =>
      x.dstType === 'LOCAL'
        ? `Packets to any address of the node itself${x.dst && x.dstNegated ? ` except ${x.dst}` : ''} go to KUBE-NODEPORTS, where NodePorts are matched; this rule comes last, after every service IP.`
        : `Packets to the node address ${f.ip} (one of the nodePortAddresses) go to KUBE-NODEPORTS, where NodePorts are matched; this rule comes last, after every service IP.`,
    'nodeport-localhost': (f, x) =>
      `Packets to 127.0.0.0/8 port ${f.dport}/${f.proto} (NodePort of ${svc(f)}, reached through localhost)${nfacct(x)} go to ${chainRole(f.target)}.`,
    nodeport: (f) => `Packets to port ${f.dport}/${f.proto} of ${f.ip ? `the node address ${f.ip}` : 'the node'} (NodePort of ${svc(f)}) go to ${chainRole(f.target)}.`,
    healthcheck: (f) =>
      `TCP connections to port ${f.dport} of the node (health check node port of ${svc(f)}) are accepted, so the load balancer can ask kube-proxy whether this node has endpoints of the service.`,
    'no-endpoints-cluster-ip': (f) => `Packets to ${f.dest} (cluster IP of ${svc(f)}) are ${own(VERDICT, f.verdict ?? '') ?? f.verdict}: ${why(f, 'internalTrafficPolicy')}.`,
    'no-endpoints-external-ip': (f) =>
      `Packets to ${f.dest} (an external or load balancer IP of ${svc(f)}) are ${own(VERDICT, f.verdict ?? '') ?? f.verdict}: ${why(f, 'externalTrafficPolicy')}.`,
    'no-endpoints-nodeport': (f) =>
      `Packets to port ${f.dport}/${f.proto} of the node (NodePort of ${svc(f)}) are ${own(VERDICT, f.verdict ?? '') ?? f.verdict}: ${why(f, 'externalTrafficPolicy')}.`,
    'firewall-drop': (f) =>
      `Packets to ${f.dest} (load balancer IP of ${svc(f)}) that ${f.other ?? 'its firewall chain'} did not let through, because they come from no allowed loadBalancerSourceRanges source, are dropped.`,
    'fw-allow-range': (f) => `Packets from ${f.source} (an allowed loadBalancerSourceRanges range of ${svc(f)}) go on to ${chainRole(f.target)}.`,
    'fw-allow-lb-ip': (f) =>
      `Packets from ${f.source}, the load balancer IP itself, go on to ${chainRole(f.target)}: the node's IP is inside the allowed source ranges of ${svc(f)}, so traffic the load balancer sends back to itself is allowed.`,
    'fw-other': (f) =>
      `Other packets to the load balancer IP of ${svc(f)} leave this chain with no decision here; KUBE-PROXY-FIREWALL drops them in the filter table.`,
    'fw-drop-old': (f) => `Other packets to the load balancer IP of ${svc(f)} are marked for dropping (older kube-proxy).`,
    'ext-masq': (f) =>
      `Packets for ${svc(f)} that came in through an external destination (NodePort, external IP or load balancer IP) are marked for masquerading (externalTrafficPolicy: Cluster), so replies return through this node.`,
    'ext-pod': (f) =>
      `Packets from pods (${f.podSource ? `source ${f.podSource}` : `interface ${f.podIface}`}) to an external destination of ${svc(f)} go straight to ${chainRole(f.target)}: pods reach every endpoint, whatever the external traffic policy.`,
    'ext-local-masq': (f) => `Packets the node itself sends to an external destination of ${svc(f)} are marked for masquerading.`,
    'ext-local-route': (f) =>
      `Packets the node itself sends to an external destination of ${svc(f)} go to ${chainRole(f.target)}, so the node reaches every endpoint despite externalTrafficPolicy: Local.`,
    'ext-to-policy-chain': (f) => `The other packets to an external destination of ${svc(f)} go to ${chainRole(f.target)}.`,
    'svc-masq': (f) =>
      `Packets to ${f.dest ?? 'the service'} (cluster IP of ${svc(f)}) that do not come from the pod network (${f.podSource ? `source ${f.podSource}` : `interface ${f.podIface}`}) are marked for masquerading, so replies return through this node.`,
    'svc-masq-all': (f) =>
      f.ip
        ? `Every packet to ${f.dest} (cluster IP of ${svc(f)}) is marked for masquerading (masqueradeAll, or no way to tell pod traffic apart).`
        : `Every packet to port ${f.dport ?? '(any)'}${f.proto ? `/${f.proto}` : ''} of ${svc(f)} is marked for masquerading.`,
    'svc-affinity': (f, x) =>
      `Clients that connected to ${svc(f)} within the last ${f.seconds ?? '?'} s (session affinity, recent list ${x.recent?.name ?? ''}) go back to endpoint ${f.endpoint ?? f.target} (${f.target}).`,
    'svc-endpoint': (f) =>
      f.share === '100%'
        ? `All new connections to ${svc(f)} go to endpoint ${f.endpoint ?? '?'} (${f.target}).`
        : f.lastEndpoint
          ? `The remaining new connections go to endpoint ${f.endpoint ?? '?'} (${f.target}): ${f.share ?? '?'} of all new connections to ${svc(f)}.`
          : `A new connection goes to endpoint ${f.endpoint ?? '?'} (${f.target}) with probability ${f.probability} of those still undecided here: ${f.share ?? '?'} of all new connections to ${svc(f)}.`,
    'svc-no-local-old': (f) => `Packets for ${svc(f)} are dropped: it has no endpoints on this node (older kube-proxy).`,
    'sep-hairpin': (f) =>
      `Packets from the endpoint ${f.source} itself (a pod reaching its own service, "hairpin") are marked for masquerading, so the reply comes back through this node.`,
    'sep-dnat': (f, x) =>
      `Packets are DNATed to ${f.endpoint}, an endpoint of ${svc(f)}${x.recent?.mode === 'set' ? `; the client is remembered for session affinity (recent list ${x.recent.name})` : ''}.`,
    'mark-masq-jump': (f, x) => `Packets${f.dest ? ` to ${f.dest}` : ''}${f.svc ? ` (${svc(f)})` : ''}${conditions(x)} are marked for masquerading.`,
    'post-return': (f) => `Packets without the masquerade mark ${f.mark} leave KUBE-POSTROUTING untouched.`,
    'post-unmark': (f) => `The masquerade mark ${f.mark} is cleared (XOR), so it does not stay on the packet.`,
    'post-masquerade': (f) =>
      `The marked packet gets the node's outgoing address as its source (MASQUERADE)${f.verdict === 'random-fully' ? ', with fully random source ports' : ''}.`,
    'post-masquerade-marked-old': (f) => `Packets carrying the masquerade mark ${f.mark} get the node's outgoing address as their source (MASQUERADE).`,
    'mark-masq': (f) => `The packet gets the masquerade mark ${f.mark} (ORed in); KUBE-POSTROUTING masquerades it on the way out.`,
    'mark-drop': (f) => `The packet gets the drop mark ${f.mark}; KUBE-FIREWALL drops it (older kube-proxy).`,
    'marked-drop': (f) => `Packets carrying the drop mark ${f.mark} are dropped (older kube-proxy).`,
    'fwd-invalid': (_f, x) => `Forwarded packets that conntrack considers INVALID are dropped${nfacct(x)}.`,
    'fwd-marked': (f) => `Forwarded packets carrying the masquerade mark ${f.mark} (service traffic) are accepted, even when the FORWARD policy is DROP.`,
    'fwd-established': () => 'Forwarded packets of connections already established, or related to one, are accepted.',
    'fwd-pod-old': (f) => `Forwarded packets of the pod network ${f.source} are accepted (older kube-proxy).`,
    'localnet-block': () =>
      'Packets to 127.0.0.0/8 that do not come from 127.0.0.0/8 and were not DNATed are dropped: nothing outside the node may reach its localhost services.',
    'ipvs-loopback-return': (f) => `Packets from ${f.source} (localhost) skip the rest of KUBE-SERVICES, so they are not marked for masquerading.`,
    'ipvs-set-masq': (f, x) => `${setSubject(f, x)} are marked for masquerading.`,
    'ipvs-set-accept': (f, x) => `${setSubject(f, x)} are accepted here; IPVS then balances them to a real server.`,
    'ipvs-set-return': (f, x) => `${setSubject(f, x)} leave ${x.chain} and go back to the chain that called it.`,
    'ipvs-set-jump': (f, x) => `${setSubject(f, x)} go to ${chainRole(f.target)}.`,
    'ipvs-set-reject': (f, x) =>
      `${setSubject(f, x)} that no rule above let through are rejected: an address bound to kube-ipvs0 only answers on its service ports.`,
    'ipvs-set-masquerade': (f, x) => `${setSubject(f, x)} are masqueraded: an endpoint reaching itself through its service (hairpin).`,
    'ipvs-nodeport-jump': () => 'Packets to an address of the node itself go to KUBE-NODE-PORT, where NodePorts are matched.',
    'ipvs-lb-masq': () => 'Packets to load balancer IPs that reach this rule are marked for masquerading.',
    'ipvs-source-ranges-drop': () => 'Packets to a load balancer IP with source ranges that come from no allowed source are dropped.',
    'ipvs-out-filter': (f) =>
      `Packets the node sends from ${f.source} to the IPVS service ${f.dest} are dropped: the node is not inside the load balancer's source ranges and must not get around them through the address on kube-ipvs0.`,
  },
  generic: (x) => {
    const cond: string[] = [];
    if (x.src) cond.push(`${x.srcNegated ? 'not ' : ''}from ${x.src}`);
    if (x.dst) cond.push(`${x.dstNegated ? 'not ' : ''}to ${x.dst}`);
    if (x.protocol) cond.push(`using ${x.protocol}`);
    if (x.dport) cond.push(`${x.dportNegated ? 'not ' : ''}to port ${x.dport}`);
    if (x.inIface) cond.push(`${x.inIfaceNegated ? 'not ' : ''}arriving on ${x.inIface}`);
    if (x.ctstate) cond.push(`${x.ctstateNegated ? 'not ' : ''}in conntrack state ${x.ctstate}`);
    if (x.mark) cond.push(`${x.markNegated ? 'without' : 'with'} mark ${x.mark}`);
    for (const s of x.sets) cond.push(`${s.negated ? 'not ' : ''}in ipset ${s.name} (${s.dirs})`);
    for (const m of x.otherModules) cond.push(`matching -m ${m}`);
    const who = `Packets${cond.length ? ` ${cond.join(', ')}` : ''}`;
    const t = x.target;
    let action: string;
    if (!t) action = 'are counted and go on to the next rule';
    else if (t === 'ACCEPT') action = 'are accepted';
    else if (t === 'DROP') action = 'are dropped';
    else if (t === 'REJECT') action = 'are rejected';
    else if (t === 'RETURN') action = 'return to the calling chain';
    else if (t === 'DNAT') action = `are DNATed to ${x.targetOption('--to-destination') ?? '?'}`;
    else if (t === 'SNAT') action = `are SNATed to ${x.targetOption('--to-source') ?? '?'}`;
    else if (t === 'MASQUERADE') action = 'are masqueraded';
    else if (t === 'MARK') action = 'get their mark changed';
    else if (t === 'LOG') action = 'are logged';
    else action = `${x.goto ? 'go (goto) to' : 'go to'} ${t}`;
    return `${who} ${action}${x.comment ? ` ("${x.comment}")` : ''}. (Not a rule kube-proxy writes.)`;
  },
  chain: (table, name, spn, endpoint) => {
    const s = spn ?? 'a service port';
    if (name.startsWith('KUBE-SVC-')) return `Service chain of ${s}: splits new connections among all its usable endpoints.`;
    if (name.startsWith('KUBE-SVL-')) return `Local service chain of ${s}: splits new connections among its endpoints on this node.`;
    if (name.startsWith('KUBE-EXT-')) return `External chain of ${s}: traffic to its NodePort, external IPs and load balancer IPs, under the external traffic policy.`;
    if (name.startsWith('KUBE-FW-')) return `Load balancer firewall chain of ${s}: lets through its allowed source ranges.`;
    if (name.startsWith('KUBE-SEP-')) return `Endpoint chain of ${s}: DNATs to ${endpoint ?? 'one endpoint'}.`;
    if (name.startsWith('KUBE-XLB-')) return `Local chain of ${s} (older kube-proxy).`;
    const fixed: Record<string, string> = {
      'nat/PREROUTING': 'Built-in: packets arriving from the network, before routing (DNAT happens here).',
      'nat/OUTPUT': 'Built-in: packets the node sends, before routing (DNAT happens here).',
      'nat/POSTROUTING': 'Built-in: packets leaving the node (SNAT and masquerading happen here).',
      'nat/INPUT': 'Built-in: packets delivered to the node (SNAT).',
      'filter/INPUT': 'Built-in: packets delivered to the node itself.',
      'filter/FORWARD': 'Built-in: packets the node forwards.',
      'filter/OUTPUT': 'Built-in: packets the node sends.',
      'nat/KUBE-SERVICES': "kube-proxy's service dispatch: a rule per service IP and port, NodePorts last.",
      'filter/KUBE-SERVICES': 'Rejects or drops traffic to cluster IPs of services without (local) endpoints.',
      'nat/KUBE-NODEPORTS': 'NodePort dispatch: a rule per NodePort.',
      'filter/KUBE-NODEPORTS': 'Accepts health check node ports.',
      'filter/KUBE-EXTERNAL-SERVICES': 'Rejects or drops external traffic to services without (local) endpoints.',
      'nat/KUBE-POSTROUTING': 'Masquerades packets that carry the masquerade mark.',
      'nat/KUBE-MARK-MASQ': 'Sets the masquerade mark.',
      'nat/KUBE-MARK-DROP': 'Sets the drop mark (older kube-proxy).',
      'filter/KUBE-FORWARD': 'Lets forwarded service traffic through.',
      'filter/KUBE-PROXY-FIREWALL': 'Drops load balancer traffic from sources not allowed.',
      'filter/KUBE-FIREWALL': 'Blocks outside packets to 127.0.0.0/8.',
      'nat/KUBE-NODE-PORT': 'IPVS mode: marks NodePort traffic for masquerading.',
      'filter/KUBE-NODE-PORT': 'IPVS mode: accepts health check node ports.',
      'nat/KUBE-LOAD-BALANCER': 'IPVS mode: load balancer IPs.',
      'filter/KUBE-SOURCE-RANGES-FIREWALL': "IPVS mode: load balancers' allowed source ranges.",
      'filter/KUBE-IPVS-FILTER': 'IPVS mode: refuses connections to kube-ipvs0 addresses other than service ports.',
      'filter/KUBE-IPVS-OUT-FILTER': 'IPVS mode: stops the node from using load balancer IPs to bypass source ranges.',
      'mangle/KUBE-PROXY-CANARY': 'Empty chain kube-proxy watches to notice the tables being flushed.',
    };
    return fixed[`${table}/${name}`] ?? (name.startsWith('KUBE-') ? `A kube-proxy chain (${name}).` : `A chain kube-proxy does not write (${name}).`);
  },
  virtualService: (v) =>
    `IPVS virtual service ${v.selector}: balances new connections ${v.scheduler === 'rr' ? 'round robin' : v.scheduler === '' ? 'with a scheduler the listing does not show' : `with scheduler ${v.scheduler}`} among its ${v.realServers} real server${v.realServers === 1 ? '' : 's'}${v.realServers === 0 ? ' (none: connections are refused)' : ''}${v.persistence !== null ? `; a client keeps its server for ${v.persistence} s (session affinity)` : ''}.`,
  realServer: (r) =>
    `Real server ${r.server} of ${r.selector}, reached by ${r.forward === null ? 'a forwarding method the listing does not show' : r.forward === 'masq' ? 'NAT (masquerading)' : r.forward}, ${r.weight === null ? 'weight not shown' : `weight ${r.weight}`}: it gets ${r.share} of new connections.`,
  ipset: (name, type, members) => `ipset ${name} (${type}, ${members} member${members === 1 ? '' : 's'}): ${setPurpose(name)}.`,
};
