import type { VersionFactId } from '../../kube/kube-proxy-version-facts.js';
import type { Fields } from './classify.js';
import { bareAddress, type RuleFacts } from './facts.js';
import type { Language, OlderLayoutSentence } from './language.js';
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

/** Why kube-proxy masquerades traffic that may go to an endpoint on another node. */
const WHY_MASQUERADE =
  'the endpoint may be on another node, and masquerading makes its reply come back through this node, which undoes the NAT so that the client gets the answer from the address it sent to';

/** Why kube-proxy marks packets to drop instead of dropping them. */
const WHY_MARK_DROP = 'a nat rule cannot drop a packet, so KUBE-MARK-DROP only marks it and KUBE-FIREWALL drops it in the filter table';

const LOCAL_ONLY =
  "only endpoints on this node are used (externalTrafficPolicy: Local), so the packet is not masqueraded and the endpoint sees the client's own source address";

const BEFORE_124 = 'kube-proxy before 1.24';

/** The endpoint an endpoint rule jumps to, with its chain. */
function endpointOf(f: Fields): string {
  return f.endpoint ? `endpoint ${f.endpoint} (${f.target})` : `the endpoint behind ${f.target}`;
}

const SPLIT_FORM: Record<string, string> = {
  written: '',
  'written-old': ', with the five decimals of older kube-proxy',
  saved: ', as iptables-save prints the 31-bit fraction the kernel keeps',
};

/** A random split's probability: the even share it stands for, with the text as written. */
function probability(f: Fields): string {
  if (!f.split) return `probability ${f.probability}`;
  const how = f.splitForm === 'saved-old' ? `, as iptables-save prints the ${f.written} older kube-proxy wrote` : (own(SPLIT_FORM, f.splitForm ?? '') ?? '');
  return `probability ${f.split} (${f.probability}${how})`;
}

/** Where the pod traffic of a rule comes from. */
function pods(f: Fields): string {
  return f.podSource ? `source ${f.podSource}` : f.podIface ? `interface ${f.podIface}` : 'the pod network';
}

/** The masquerade rule of a cluster IP for clients outside the pod network. */
function clusterIpMasquerade(f: Fields): string {
  return `Packets to ${f.dest ?? 'the service'} (cluster IP of ${svc(f)}) that do not come from the pod network (${pods(f)}), such as the node's own or those of a host that routes the service range to this node, are marked for masquerading: ${WHY_MASQUERADE}.`;
}

/** What the 1.1 mark is, after the mark. */
function asciiMark(f: Fields): string {
  return f.asciiMark ? ' ("MASQ" in ASCII: kube-proxy 1.1 set the whole mark to it; since 1.2 it sets one bit, 0x4000 by default)' : '';
}

function why(f: Fields, policy: string): string {
  return f.other === 'local' ? `it has no endpoints on this node (${policy}: Local)` : 'the service has no endpoints';
}

/** Which releases wrote a line of an older layout, and what came after. */
const OLDER_LAYOUT: Partial<Record<VersionFactId, OlderLayoutSentence>> = {
  xlbChain: (r, next) => `kube-proxy ${r} wrote this KUBE-XLB- chain for externalTrafficPolicy: Local; ${next} and later write KUBE-EXT- and KUBE-SVL- chains instead.`,
  fwForEveryLoadBalancerIP: (r, next) => `kube-proxy ${r} wrote a KUBE-FW- chain for every load balancer IP; ${next} and later write one only for loadBalancerSourceRanges.`,
  markDropJump: (r, next) => `kube-proxy ${r} wrote this jump to KUBE-MARK-DROP; ${next} and later drop such packets with a filter rule instead.`,
  forwardPairWithCidr: (r, next) => `kube-proxy ${r} wrote this rule as one of a pair, for packets from and to the pod network; ${next} and later leave the pod network out.`,
  forwardPairWithoutCidr: (r, next) => `kube-proxy ${r} wrote this rule as one of a pair; ${next} and later write one conntrack rule.`,
  commentlessEndpointRule: (r) => `kube-proxy ${r} wrote endpoint rules without a comment.`,
  slash32Address: (r, next) => `kube-proxy ${r} wrote addresses with /32; ${next} and later write them bare.`,
  oneRulePostrouting: (r, next) => `kube-proxy ${r} wrote KUBE-POSTROUTING as this one rule; ${next} and later write three, which also clear the mark.`,
  setXmarkMasquerade: (r, next) => `kube-proxy ${r} set the mark with --set-xmark; ${next} and later with --or-mark.`,
  fiveDecimalProbability: (r, next) => `kube-proxy ${r} wrote probabilities with five decimals; ${next} and later with ten.`,
  plainEndpointComment: (r, next) => `kube-proxy ${r} commented endpoint jumps with the service port alone; ${next} and later add "-> IP:port".`,
  balancingRule: (r) => `kube-proxy ${r} wrote these "Balancing rule N" jumps.`,
  xlbLocalTraffic: (r) => `kube-proxy ${r} wrote this rule in KUBE-XLB- chains.`,
  clusterMasqueradeInServices: (r, next) => `kube-proxy ${r} wrote this masquerade rule in KUBE-SERVICES; ${next} and later write it in the KUBE-SVC- chain.`,
  externalIPPhysdevPair: (r, next) => `kube-proxy ${r} sent external IP traffic on with a physdev/addrtype pair of rules; ${next} and later with one rule.`,
  unnamedPortColon: (r, next) => `kube-proxy ${r} wrote an unnamed port as ns/name: with a colon; ${next} and later without.`,
  asciiMasqueradeMark: (r) => `kube-proxy ${r} used the whole-word mark 0x4d415351 ("MASQ").`,
  loadBalancerToServiceChain: (r, next) => `kube-proxy ${r} sent load balancer traffic straight to the service chain; ${next} and later through a KUBE-FW- chain.`,
};

export const EN: Language = {
  sentenceGap: ' ',
  olderLayout: OLDER_LAYOUT,
  rules: {
    hook: (f, x) =>
      `${x.ctstate === 'NEW' ? 'New connections' : 'Every packet'} in ${x.table} ${f.hook} (${own(HOOKS, f.hook ?? '') ?? f.hook}) go${x.ctstate === 'NEW' ? '' : 'es'} to ${chainRole(f.target)}.`,
    'svc-cluster-ip': (f) => `Packets to ${f.dest} (cluster IP of ${svc(f)}) go to ${chainRole(f.target)}.`,
    'svc-external-ip': (f) =>
      f.externalScope === 'from-outside'
        ? `Packets to ${f.dest} (external IP of ${svc(f)}) that come from outside the node, neither through a bridge port (a pod) nor from the node itself, go to ${chainRole(f.target)} (older kube-proxy).`
        : f.externalScope === 'node-address'
          ? `Packets to ${f.dest} (external IP of ${svc(f)}) go to ${chainRole(f.target)} when that address is one of the node's own, as a cloud load balancer IP added to the node's routing table is: such traffic stays on this node (older kube-proxy).`
          : `Packets to ${f.dest} (external IP of ${svc(f)}) go to ${chainRole(f.target)}.`,
    'svc-lb-ip': (f) => `Packets to ${f.dest} (load balancer IP of ${svc(f)}) go to ${chainRole(f.target)}.`,
    'svc-dispatch': (f) => `Packets to ${f.dest ?? 'this service'} (${svc(f)}) go to ${chainRole(f.target)}.`,
    'nodeports-jump': (f, x) =>
      x.dstType === 'LOCAL'
        ? `Packets to any address of the node itself${x.dst && x.dstNegated ? ` except ${x.dst}` : ''} go to KUBE-NODEPORTS, where NodePorts are matched; this rule comes last, after every service IP.`
        : `Packets to the node address ${f.ip} (one of the nodePortAddresses) go to KUBE-NODEPORTS, where NodePorts are matched; this rule comes last, after every service IP.`,
    'nodeport-localhost': (f, x) =>
      `Packets to 127.0.0.0/8 port ${f.dport}/${f.proto} (NodePort of ${svc(f)}, reached through localhost)${nfacct(x)} go to ${chainRole(f.target)}.`,
    nodeport: (f) => `Packets to port ${f.dport}/${f.proto} of ${f.ip ? `the node address ${f.ip}` : 'the node'} (NodePort of ${svc(f)}) go to ${chainRole(f.target)}.`,
    'nodeport-masq': (f) =>
      `Packets to port ${f.dport}/${f.proto} of the node (NodePort of ${svc(f)}) are marked for masquerading (externalTrafficPolicy: Cluster): ${WHY_MASQUERADE}.`,
    'nodeport-localhost-masq': (f) =>
      `Packets from ${f.source} to port ${f.dport}/${f.proto} of the node (NodePort of ${svc(f)}, reached through localhost) are marked for masquerading: once DNATed to an endpoint, a packet with a loopback source would be dropped by the kernel as a martian, so it gets the node's own address (with externalTrafficPolicy: Local, NodePort traffic is otherwise not masqueraded).`,
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
    'fw-drop-old': (f) =>
      `Other packets to the load balancer IP of ${svc(f)} come from no allowed source range and are marked for dropping: ${WHY_MARK_DROP} (${BEFORE_124}).`,
    'fw-masq-old': (f) =>
      `Packets to the load balancer IP of ${svc(f)} are marked for masquerading (externalTrafficPolicy: Cluster): ${WHY_MASQUERADE} (${BEFORE_124}).`,
    'fw-allow-all-old': (f) =>
      `Packets to the load balancer IP of ${svc(f)} go on to ${chainRole(f.target)}: the service sets no loadBalancerSourceRanges, so every source is allowed (${BEFORE_124} sent all load balancer traffic through this chain).`,
    'ext-masq': (f) =>
      `Packets for ${svc(f)} that came in through an external destination (NodePort, external IP or load balancer IP) are marked for masquerading (externalTrafficPolicy: Cluster), so replies return through this node.`,
    'ext-pod': (f) =>
      `Packets from pods (${f.podSource ? `source ${f.podSource}` : `interface ${f.podIface}`}) to an external destination of ${svc(f)} go straight to ${chainRole(f.target)}: pods reach every endpoint, whatever the external traffic policy.`,
    'ext-local-masq': (f) =>
      `Packets the node itself sends to an external destination of ${svc(f)} are marked for masquerading: the next rule sends them to any endpoint, and one on another node must send its reply back through this node.`,
    'ext-local-route': (f) =>
      `Packets the node itself sends to an external destination of ${svc(f)} go to ${chainRole(f.target)}, so the node reaches every endpoint despite externalTrafficPolicy: Local.`,
    'ext-to-policy-chain': (f) => `The other packets to an external destination of ${svc(f)} go to ${chainRole(f.target)}.`,
    'xlb-pod': (f) =>
      `Packets from pods (${pods(f)}) to an external address of ${svc(f)} (load balancer IP, external IP or NodePort) go to ${chainRole(f.target)}: a pod is served like a client of the cluster IP, by any endpoint, even when this node has none; externalTrafficPolicy: Local only keeps the address of clients outside the cluster (${BEFORE_124}).`,
    'xlb-local-masq': (f) =>
      `Packets the node itself sends to the load balancer IP of ${svc(f)} are marked for masquerading: the next rule sends them to any endpoint, and one on another node must send its reply back through this node (${BEFORE_124}).`,
    'xlb-local-route': (f) =>
      `Packets the node itself sends to the load balancer IP of ${svc(f)} go to ${chainRole(f.target)}: the node reaches the service at its load balancer IP through any endpoint, instead of being dropped when it has no endpoint of its own (externalTrafficPolicy: Local, ${BEFORE_124}).`,
    'xlb-endpoint': (f) =>
      f.share === '100%'
        ? `All new connections from outside the cluster to ${svc(f)} go to ${endpointOf(f)}, on this node: ${LOCAL_ONLY}.`
        : f.lastEndpoint
          ? `The remaining new connections from outside the cluster go to ${endpointOf(f)}, on this node: ${f.share} of those to ${svc(f)}; ${LOCAL_ONLY}.`
          : `A new connection from outside the cluster goes to ${endpointOf(f)}, on this node, with ${probability(f)} of those still undecided here: ${f.share} of those to ${svc(f)}; ${LOCAL_ONLY}.`,
    'svc-masq': (f) => clusterIpMasquerade(f),
    // Which releases wrote it there is said after it (OLDER_LAYOUT.clusterMasqueradeInServices).
    'svc-masq-old': (f) => clusterIpMasquerade(f),
    'external-masq': (f) =>
      `Packets to ${f.dest} (${f.via === 'loadbalancer-ip' ? 'load balancer IP' : 'external IP'} of ${svc(f)})${f.podSource || f.podIface ? ` that do not come from the pod network (${pods(f)})` : ''} are marked for masquerading (externalTrafficPolicy: Cluster): ${WHY_MASQUERADE}.`,
    'svc-masq-all': (f) =>
      f.ip
        ? `Every packet to ${f.dest} (cluster IP of ${svc(f)}) is marked for masquerading (masqueradeAll, or no way to tell pod traffic apart).`
        : `Every packet to port ${f.dport ?? '(any)'}${f.proto ? `/${f.proto}` : ''} of ${svc(f)} is marked for masquerading.`,
    'svc-affinity': (f, x) =>
      `Clients that connected to ${svc(f)} within the last ${f.seconds ?? '?'} s${f.seconds === '10800' ? ' (180 minutes: the default timeoutSeconds, and the fixed value of older kube-proxy)' : ''} go back to ${endpointOf(f)}, so that a client keeps talking to the same pod (sessionAffinity: ClientIP; recent list ${x.recent?.name ?? ''}).`,
    'svc-endpoint': (f) =>
      f.share === '100%'
        ? `All new connections to ${svc(f)} go to ${endpointOf(f)}.`
        : f.lastEndpoint
          ? `The remaining new connections go to ${endpointOf(f)}: ${f.share ?? '?'} of all new connections to ${svc(f)}.`
          : `A new connection goes to ${endpointOf(f)} with ${probability(f)} of those still undecided here: ${f.share ?? '?'} of all new connections to ${svc(f)}.`,
    'svc-no-local-old': (f, x) =>
      `Packets from outside the cluster to ${svc(f)} are ${f.target === 'KUBE-MARK-DROP' ? 'marked for dropping' : 'dropped'}: it has no endpoints on this node, and externalTrafficPolicy: Local forbids sending them to another node, which would hide the client's address${f.target === 'KUBE-MARK-DROP' ? `; ${WHY_MARK_DROP}` : ''}. The load balancer's health check finds no endpoint here and should send no traffic to this node (${x.chain.startsWith('KUBE-XLB-') ? BEFORE_124 : 'older kube-proxy'}).`,
    'sep-hairpin': (f) =>
      `Packets from the endpoint ${f.source} itself (a pod reaching its own service, "hairpin") are marked for masquerading, so the reply comes back through this node.`,
    'sep-dnat': (f, x) =>
      `Packets are DNATed to ${f.endpoint}, an endpoint of ${svc(f)}${x.recent?.mode === 'set' ? `; the client is remembered for session affinity (recent list ${x.recent.name})` : ''}.`,
    'mark-masq-jump': (f, x) => `Packets${f.dest ? ` to ${f.dest}` : ''}${f.svc ? ` (${svc(f)})` : ''}${conditions(x)} are marked for masquerading.`,
    'post-return': (f) => `Packets without the masquerade mark ${f.mark} leave KUBE-POSTROUTING untouched: only the connections the service rules marked need SNAT.`,
    'post-unmark': (f) =>
      `The masquerade mark ${f.mark} is cleared (XOR), so that a packet which goes through the network stack again (through a tunnel, for instance) is not masqueraded twice.`,
    'post-masquerade': (f) =>
      `The marked packet gets the node's outgoing address as its source (MASQUERADE)${f.verdict === 'random-fully' ? ', with fully random source ports' : ''}, so that replies come back to this node, which undoes the NAT.`,
    'post-masquerade-marked-old': (f) =>
      `Packets carrying the masquerade mark ${f.mark}${asciiMark(f)} get the node's outgoing address as their source (MASQUERADE): the service rules marked the connections that need SNAT, and the source can only be rewritten here, after routing.`,
    'mark-masq': (f) =>
      `The packet gets the masquerade mark ${f.mark}${asciiMark(f) || ' (one bit; the rest of the mark is left alone)'}: the nat rules decide which connections need SNAT, but the source can only be rewritten after routing, so the mark carries the decision to KUBE-POSTROUTING, which masquerades the packet on its way out.`,
    'mark-drop': (f) =>
      `The packet gets the drop mark ${f.mark}: a nat rule cannot drop a packet, so this chain only marks it and KUBE-FIREWALL drops it in the filter table (older kube-proxy and kubelet).`,
    'marked-drop': (f) =>
      `Packets carrying the drop mark ${f.mark} are dropped: KUBE-MARK-DROP marked them in the nat table, which cannot drop packets itself (load balancer traffic from sources not allowed, external traffic to a service without endpoints on this node; older kube-proxy and kubelet).`,
    'fwd-invalid': (_f, x) => `Forwarded packets that conntrack considers INVALID are dropped${nfacct(x)}.`,
    'fwd-marked': (f) => `Forwarded packets carrying the masquerade mark ${f.mark} (service traffic) are accepted, even when the FORWARD policy is DROP.`,
    'fwd-established': () =>
      'Forwarded packets of connections already established, or related to one, are accepted: the rule above lets the first packet of a service connection through by its masquerade mark, and this lets the rest of the connection through even when the FORWARD policy is DROP.',
    'fwd-established-pod': (f) =>
      `Forwarded packets ${f.podSource ? `${f.direction === 'source' ? 'from' : 'to'} the pod network ${f.podSource} ` : ''}of connections already established, or related to one, are accepted: the rule above lets the first packet of a service connection through by its masquerade mark, and this lets the rest of the connection through even when the FORWARD policy is DROP (older kube-proxy wrote two such rules, for packets from and to the pod network).`,
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
    if (name.startsWith('KUBE-XLB-'))
      return `External chain of ${s} under externalTrafficPolicy: Local (${BEFORE_124}): clients outside the cluster reach only endpoints on this node, so their source address is kept.`;
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
      'nat/KUBE-MARK-DROP': 'Sets the drop mark, which KUBE-FIREWALL drops in the filter table: nat rules cannot drop packets (older kube-proxy and kubelet).',
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
