import type { VersionFactId } from '../../kube/kube-proxy-version-facts.js';
import type { Fields } from './classify.js';
import { bareAddress, type RuleFacts } from './facts.js';
import type { Language, OlderLayoutSentence } from './language.js';
import { own } from '../../records.js';

/** `ns/name 的端口 p`，规则没有写出服务名时用替代说法。 */
function svc(f: Fields): string {
  if (!f.svc) return '该服务端口';
  return f.port ? `${f.svc} 的端口 ${f.port}` : f.svc;
}

const HOOKS: Record<string, string> = {
  PREROUTING: '从网络进入、尚未路由的包',
  INPUT: '发给本节点自身的包',
  FORWARD: '本节点转发的包',
  OUTPUT: '本节点自己发出的包',
  POSTROUTING: '即将离开本节点的包',
};

/** 作为跳转目标的链，并说明它的作用。 */
export function chainRole(name: string | undefined, f: Fields = {}): string {
  if (!name) return '（无链）';
  const role = (text: string) => `${name}（${text}）`;
  if (name.startsWith('KUBE-SVC-')) return role('从所有端点中选择一个');
  if (name.startsWith('KUBE-SVL-')) return role('从本节点上的端点中选择一个');
  if (name.startsWith('KUBE-EXT-')) return role('执行外部流量策略');
  if (name.startsWith('KUBE-FW-')) return role('检查负载均衡器允许的源地址范围');
  if (name.startsWith('KUBE-XLB-')) return role('选择本节点上的端点，旧版 kube-proxy');
  if (name.startsWith('KUBE-SEP-')) return f.endpoint ? role(`端点 ${f.endpoint} 的链`) : role('端点链');
  const fixed: Record<string, string> = {
    'KUBE-SERVICES': '服务分发',
    'KUBE-NODEPORTS': '匹配 NodePort',
    'KUBE-NODE-PORT': '匹配 NodePort',
    'KUBE-POSTROUTING': '对带标记的包做地址伪装',
    'KUBE-MARK-MASQ': '给包打上地址伪装（SNAT）标记',
    'KUBE-MARK-DROP': '给包打上丢弃标记',
    'KUBE-FORWARD': '放行转发的服务流量',
    'KUBE-EXTERNAL-SERVICES': '拒绝发往没有端点的服务的外部流量',
    'KUBE-PROXY-FIREWALL': '丢弃来自不允许的源地址的负载均衡器流量',
    'KUBE-FIREWALL': '阻止外部发往 127.0.0.0/8 的包',
    'KUBE-LOAD-BALANCER': '处理负载均衡器 IP',
    'KUBE-SOURCE-RANGES-FIREWALL': '检查负载均衡器的源地址范围',
    'KUBE-IPVS-FILTER': '拒绝访问 kube-ipvs0 上地址的非服务端口',
    'KUBE-IPVS-OUT-FILTER': '防止本节点借负载均衡器 IP 绕过源地址范围',
  };
  return fixed[name] ? role(fixed[name]) : name;
}

const SETS: Record<string, string> = {
  'KUBE-LOOP-BACK': '访问自身的端点，用于回环（hairpin）地址伪装',
  'KUBE-CLUSTER-IP': '集群 IP 及端口',
  'KUBE-EXTERNAL-IP': '外部 IP 及端口（externalTrafficPolicy: Cluster）',
  'KUBE-EXTERNAL-IP-LOCAL': '外部 IP 及端口（externalTrafficPolicy: Local）',
  'KUBE-LOAD-BALANCER': '负载均衡器 IP 及端口',
  'KUBE-LOAD-BALANCER-FW': '设置了源地址范围的负载均衡器 IP 及端口',
  'KUBE-LOAD-BALANCER-LOCAL': '负载均衡器 IP 及端口（externalTrafficPolicy: Local）',
  'KUBE-LOAD-BALANCER-SOURCE-IP': '允许访问自身的负载均衡器 IP（本节点在源地址范围内）',
  'KUBE-LOAD-BALANCER-SOURCE-CIDR': '负载均衡器 IP 及其允许的源地址范围',
  'KUBE-NODE-PORT-TCP': 'TCP NodePort',
  'KUBE-NODE-PORT-LOCAL-TCP': 'TCP NodePort（externalTrafficPolicy: Local）',
  'KUBE-NODE-PORT-UDP': 'UDP NodePort',
  'KUBE-NODE-PORT-LOCAL-UDP': 'UDP NodePort（externalTrafficPolicy: Local）',
  'KUBE-NODE-PORT-SCTP-HASH': 'SCTP NodePort 及其节点地址',
  'KUBE-NODE-PORT-LOCAL-SCTP-HASH': 'SCTP NodePort（externalTrafficPolicy: Local）',
  'KUBE-HEALTH-CHECK-NODE-PORT': '健康检查节点端口',
  'KUBE-IPVS-IPS': '绑定在 kube-ipvs0 上的所有地址',
};

function setPurpose(name: string | undefined): string {
  const base = (name ?? '').replace(/^KUBE-6-/, 'KUBE-');
  return own(SETS, base) ?? 'kube-proxy 的 ipset';
}

const DIRS: Record<string, string> = {
  dst: '目的地址',
  'dst,dst': '目的地址和端口',
  'dst,dst,src': '目的地址、端口及源地址',
  'src,dst': '源地址及目的端口',
  src: '源地址',
};

function conditions(x: RuleFacts): string {
  const out: string[] = [];
  if (x.ctstate === 'NEW' && !x.ctstateNegated) out.push('且为新连接');
  if (x.src && x.srcNegated) out.push(`且不来自 ${bareAddress(x.src)}`);
  if (x.inIface && x.inIfaceNegated) out.push(`且不是从 ${x.inIface} 进入`);
  if (x.physdevNotIn) out.push('且不是从网桥端口进入');
  if (x.srcType === 'LOCAL') out.push(x.srcTypeNegated ? '且不是本节点发出' : '且由本节点发出');
  if (x.dstType === 'LOCAL') out.push(x.dstTypeNegated ? '且不是发给本节点' : '且发给本节点');
  if (x.protocol) out.push(`且协议为 ${x.protocol}`);
  return out.length ? `，${out.join('，')}` : '';
}

function setSubject(f: Fields, x: RuleFacts): string {
  return `${own(DIRS, f.dirs ?? '') ?? f.dirs ?? '地址'}在 ipset ${f.set}（${setPurpose(f.set)}）中的包${conditions(x)}，`;
}

function nfacct(x: RuleFacts): string {
  return x.nfacct ? `（由 nfacct ${x.nfacct} 计数）` : '';
}

const VERDICT: Record<string, string> = { REJECT: '被拒绝', DROP: '被丢弃' };

/** kube-proxy 为何给可能发往其他节点端点的流量做地址伪装。 */
const WHY_MASQUERADE = '端点可能在其他节点上，做地址伪装后它的回包会经由本节点返回，由本节点撤销 NAT，客户端才能从它所访问的地址收到应答';

/** kube-proxy 为何只给要丢弃的包打标记而不直接丢弃。 */
const WHY_MARK_DROP = 'nat 表的规则不能丢弃包，所以 KUBE-MARK-DROP 只打标记，由 filter 表的 KUBE-FIREWALL 丢弃';

const LOCAL_ONLY = '只使用本节点上的端点（externalTrafficPolicy: Local），因此包不做地址伪装，端点看到的是客户端自己的源地址';

const BEFORE_124 = 'kube-proxy 1.24 之前';

/** 端点规则跳转到的端点及其链。 */
function endpointOf(f: Fields): string {
  return f.endpoint ? `端点 ${f.endpoint}（${f.target}）` : `${f.target} 背后的端点`;
}

const SPLIT_FORM: Record<string, string> = {
  written: '',
  'written-old': '，旧版 kube-proxy 写的五位小数',
  saved: '，iptables-save 打印的内核所存 31 位小数值',
};

/** 随机分流的概率：它代表的均分份额，以及写出的文本。 */
function probability(f: Fields): string {
  if (!f.split) return `概率 ${f.probability}`;
  const how = f.splitForm === 'saved-old' ? `，iptables-save 打印的旧版 kube-proxy 所写的 ${f.written}` : (own(SPLIT_FORM, f.splitForm ?? '') ?? '');
  return `概率 ${f.split}（${f.probability}${how}）`;
}

/** 规则中 Pod 流量的来源。 */
function pods(f: Fields): string {
  return f.podSource ? `源地址 ${f.podSource}` : f.podIface ? `网卡 ${f.podIface}` : 'Pod 网络';
}

/** 集群 IP 对 Pod 网络之外客户端的地址伪装规则。 */
function clusterIpMasquerade(f: Fields): string {
  return `发往 ${f.dest ?? '该服务'}（${svc(f)} 的集群 IP）、且不来自 Pod 网络（${pods(f)}）的包（例如本节点自己的包，或把服务网段路由到本节点的主机发来的包）被打上地址伪装标记：${WHY_MASQUERADE}。`;
}

/** 1.1 版标记的说明，接在标记之后。 */
function asciiMark(f: Fields): string {
  return f.asciiMark ? '（ASCII 码即 “MASQ”：kube-proxy 1.1 把整个标记设为此值；从 1.2 起只设置一位，默认 0x4000）' : '';
}

function why(f: Fields, policy: string): string {
  return f.other === 'local' ? `该服务在本节点上没有端点（${policy}: Local）` : '该服务没有任何端点';
}

/** 哪些版本写过某种旧布局的行，以及之后的版本怎么写。 */
const OLDER_LAYOUT: Partial<Record<VersionFactId, OlderLayoutSentence>> = {
  xlbChain: (r, next) => `kube-proxy ${r} 为 externalTrafficPolicy: Local 写这条 KUBE-XLB- 链；${next} 及之后改写 KUBE-EXT- 和 KUBE-SVL- 链。`,
  fwForEveryLoadBalancerIP: (r, next) => `kube-proxy ${r} 为每个负载均衡 IP 写一条 KUBE-FW- 链；${next} 及之后只在设置了 loadBalancerSourceRanges 时才写。`,
  markDropJump: (r, next) => `kube-proxy ${r} 写这条跳转到 KUBE-MARK-DROP 的规则；${next} 及之后改由 filter 表的规则丢弃这类包。`,
  forwardPairWithCidr: (r, next) => `kube-proxy ${r} 把这条规则写成一对中的一条，分别针对来自和发往 Pod 网络的包；${next} 及之后不再写 Pod 网络。`,
  forwardPairWithoutCidr: (r, next) => `kube-proxy ${r} 把这条规则写成一对中的一条；${next} 及之后只写一条 conntrack 规则。`,
  commentlessEndpointRule: (r) => `kube-proxy ${r} 写的端点规则不带注释。`,
  slash32Address: (r, next) => `kube-proxy ${r} 写地址时带 /32；${next} 及之后不带。`,
  oneRulePostrouting: (r, next) => `kube-proxy ${r} 的 KUBE-POSTROUTING 只有这一条规则；${next} 及之后写三条，并会清除标记。`,
  setXmarkMasquerade: (r, next) => `kube-proxy ${r} 用 --set-xmark 打标记；${next} 及之后用 --or-mark。`,
  fiveDecimalProbability: (r, next) => `kube-proxy ${r} 写的概率带五位小数；${next} 及之后带十位。`,
  plainEndpointComment: (r, next) => `kube-proxy ${r} 在端点跳转规则的注释里只写服务端口；${next} 及之后加上 "-> IP:端口"。`,
  balancingRule: (r) => `kube-proxy ${r} 写这种 "Balancing rule N" 跳转规则。`,
  xlbLocalTraffic: (r) => `kube-proxy ${r} 在 KUBE-XLB- 链里写这条规则。`,
  clusterMasqueradeInServices: (r, next) => `kube-proxy ${r} 把这条地址伪装规则写在 KUBE-SERVICES 里；${next} 及之后写在 KUBE-SVC- 链里。`,
  externalIPPhysdevPair: (r, next) => `kube-proxy ${r} 用一对 physdev/addrtype 规则转发外部 IP 的流量；${next} 及之后只用一条规则。`,
  unnamedPortColon: (r, next) => `kube-proxy ${r} 把未命名端口写成带冒号的 ns/name:；${next} 及之后不带冒号。`,
  asciiMasqueradeMark: (r) => `kube-proxy ${r} 使用整字标记 0x4d415351（"MASQ"）。`,
  loadBalancerToServiceChain: (r, next) => `kube-proxy ${r} 把负载均衡流量直接送到服务链；${next} 及之后经由 KUBE-FW- 链。`,
};

export const ZH: Language = {
  sentenceGap: '',
  olderLayout: OLDER_LAYOUT,
  rules: {
    hook: (f, x) => `${x.table} 表 ${f.hook}（${own(HOOKS, f.hook ?? '') ?? f.hook}）中的${x.ctstate === 'NEW' ? '新连接' : '所有包'}都转到 ${chainRole(f.target)}。`,
    'svc-cluster-ip': (f) => `发往 ${f.dest}（${svc(f)} 的集群 IP）的包转到 ${chainRole(f.target)}。`,
    'svc-external-ip': (f) =>
      f.externalScope === 'from-outside'
        ? `发往 ${f.dest}（${svc(f)} 的外部 IP）、来自本节点之外（既不经网桥端口即来自 Pod，也不由本节点发出）的包转到 ${chainRole(f.target)}（旧版 kube-proxy）。`
        : f.externalScope === 'node-address'
          ? `当 ${f.dest}（${svc(f)} 的外部 IP）是本节点自己的地址时（例如加入本节点路由表的云负载均衡器 IP），发往它的包转到 ${chainRole(f.target)}：这类流量留在本节点（旧版 kube-proxy）。`
          : `发往 ${f.dest}（${svc(f)} 的外部 IP）的包转到 ${chainRole(f.target)}。`,
    'svc-lb-ip': (f) => `发往 ${f.dest}（${svc(f)} 的负载均衡器 IP）的包转到 ${chainRole(f.target)}。`,
    'svc-dispatch': (f) => `发往 ${f.dest ?? '该服务'}（${svc(f)}）的包转到 ${chainRole(f.target)}。`,
    'nodeports-jump': (f, x) =>
      x.dstType === 'LOCAL'
        ? `发往本节点任一地址${x.dst && x.dstNegated ? `（${x.dst} 除外）` : ''}的包转到 KUBE-NODEPORTS 匹配 NodePort；这条规则排在最后，在所有服务 IP 之后。`
        : `发往节点地址 ${f.ip}（nodePortAddresses 之一）的包转到 KUBE-NODEPORTS 匹配 NodePort；这条规则排在最后，在所有服务 IP 之后。`,
    'nodeport-localhost': (f, x) => `经 localhost 发往 127.0.0.0/8 端口 ${f.dport}/${f.proto}（${svc(f)} 的 NodePort）的包${nfacct(x)}转到 ${chainRole(f.target)}。`,
    nodeport: (f) => `发往${f.ip ? `节点地址 ${f.ip} ` : '本节点'}端口 ${f.dport}/${f.proto}（${svc(f)} 的 NodePort）的包转到 ${chainRole(f.target)}。`,
    'nodeport-masq': (f) => `发往本节点端口 ${f.dport}/${f.proto}（${svc(f)} 的 NodePort）的包被打上地址伪装标记（externalTrafficPolicy: Cluster）：${WHY_MASQUERADE}。`,
    'nodeport-localhost-masq': (f) =>
      `来自 ${f.source}、经 localhost 发往本节点端口 ${f.dport}/${f.proto}（${svc(f)} 的 NodePort）的包被打上地址伪装标记：DNAT 到端点后，源地址为回环地址的包会被内核当作火星包丢弃，所以要换成本节点自己的地址（externalTrafficPolicy: Local 时 NodePort 流量本来不做地址伪装）。`,
    healthcheck: (f) => `发往本节点端口 ${f.dport}（${svc(f)} 的健康检查节点端口）的 TCP 连接被接受，负载均衡器借此询问 kube-proxy 本节点是否有该服务的端点。`,
    'no-endpoints-cluster-ip': (f) => `发往 ${f.dest}（${svc(f)} 的集群 IP）的包${own(VERDICT, f.verdict ?? '') ?? f.verdict}：${why(f, 'internalTrafficPolicy')}。`,
    'no-endpoints-external-ip': (f) => `发往 ${f.dest}（${svc(f)} 的外部 IP 或负载均衡器 IP）的包${own(VERDICT, f.verdict ?? '') ?? f.verdict}：${why(f, 'externalTrafficPolicy')}。`,
    'no-endpoints-nodeport': (f) => `发往本节点端口 ${f.dport}/${f.proto}（${svc(f)} 的 NodePort）的包${own(VERDICT, f.verdict ?? '') ?? f.verdict}：${why(f, 'externalTrafficPolicy')}。`,
    'firewall-drop': (f) =>
      `发往 ${f.dest}（${svc(f)} 的负载均衡器 IP）、未被 ${f.other ?? '其防火墙链'} 放行的包（源地址不在 loadBalancerSourceRanges 允许范围内）被丢弃。`,
    'fw-allow-range': (f) => `来自 ${f.source}（${svc(f)} 的 loadBalancerSourceRanges 允许范围）的包继续转到 ${chainRole(f.target)}。`,
    'fw-allow-lb-ip': (f) =>
      `来自负载均衡器 IP ${f.source} 本身的包继续转到 ${chainRole(f.target)}：本节点 IP 在 ${svc(f)} 允许的源地址范围内，因此负载均衡器发回给自己的流量被允许。`,
    'fw-other': (f) => `发往 ${svc(f)} 负载均衡器 IP 的其他包在这里不作决定就离开本链，随后由 filter 表的 KUBE-PROXY-FIREWALL 丢弃。`,
    'fw-drop-old': (f) => `发往 ${svc(f)} 的负载均衡器 IP 的其他包不来自任何允许的源地址范围，被打上丢弃标记：${WHY_MARK_DROP}（${BEFORE_124}）。`,
    'fw-masq-old': (f) => `发往 ${svc(f)} 的负载均衡器 IP 的包被打上地址伪装标记（externalTrafficPolicy: Cluster）：${WHY_MASQUERADE}（${BEFORE_124}）。`,
    'fw-allow-all-old': (f) =>
      `发往 ${svc(f)} 的负载均衡器 IP 的包继续转到 ${chainRole(f.target)}：该服务没有设置 loadBalancerSourceRanges，允许所有源地址（${BEFORE_124}所有负载均衡器流量都经过这条链）。`,
    'ext-masq': (f) => `经外部目的地址（NodePort、外部 IP 或负载均衡器 IP）进入的 ${svc(f)} 的包被打上地址伪装标记（externalTrafficPolicy: Cluster），使回包经由本节点返回。`,
    'ext-pod': (f) =>
      `来自 Pod（${f.podSource ? `源地址 ${f.podSource}` : `网卡 ${f.podIface}`}）发往 ${svc(f)} 外部目的地址的包直接转到 ${chainRole(f.target)}：无论外部流量策略如何，Pod 都能访问所有端点。`,
    'ext-local-masq': (f) => `本节点自己发往 ${svc(f)} 外部目的地址的包被打上地址伪装标记：下一条规则把它们发给任一端点，其他节点上的端点必须经由本节点回包。`,
    'ext-local-route': (f) => `本节点自己发往 ${svc(f)} 外部目的地址的包转到 ${chainRole(f.target)}，因此即使 externalTrafficPolicy: Local，本节点也能访问所有端点。`,
    'ext-to-policy-chain': (f) => `发往 ${svc(f)} 外部目的地址的其余包转到 ${chainRole(f.target)}。`,
    'xlb-pod': (f) =>
      `来自 Pod（${pods(f)}）发往 ${svc(f)} 的外部地址（负载均衡器 IP、外部 IP 或 NodePort）的包转到 ${chainRole(f.target)}：Pod 像访问集群 IP 的客户端一样由任一端点服务，即使本节点没有端点；externalTrafficPolicy: Local 只为集群外的客户端保留源地址（${BEFORE_124}）。`,
    'xlb-local-masq': (f) => `本节点自己发往 ${svc(f)} 的负载均衡器 IP 的包被打上地址伪装标记：下一条规则把它们发给任一端点，其他节点上的端点必须经由本节点回包（${BEFORE_124}）。`,
    'xlb-local-route': (f) =>
      `本节点自己发往 ${svc(f)} 的负载均衡器 IP 的包转到 ${chainRole(f.target)}：本节点通过任一端点访问该服务的负载均衡器 IP，而不会因为自己没有端点而被丢弃（externalTrafficPolicy: Local，${BEFORE_124}）。`,
    'xlb-endpoint': (f) =>
      f.share === '100%'
        ? `来自集群外、发往 ${svc(f)} 的所有新连接都转到本节点上的${endpointOf(f)}：${LOCAL_ONLY}。`
        : f.lastEndpoint
          ? `来自集群外的其余新连接转到本节点上的${endpointOf(f)}：占发往 ${svc(f)} 的这类连接的 ${f.share}；${LOCAL_ONLY}。`
          : `来自集群外、尚未分配的新连接以${probability(f)}转到本节点上的${endpointOf(f)}：占发往 ${svc(f)} 的这类连接的 ${f.share}；${LOCAL_ONLY}。`,
    'svc-masq': (f) => clusterIpMasquerade(f),
    // 哪些版本把它写在这里，由其后的句子说明（OLDER_LAYOUT.clusterMasqueradeInServices）。
    'svc-masq-old': (f) => clusterIpMasquerade(f),
    'external-masq': (f) =>
      `发往 ${f.dest}（${svc(f)} 的${f.via === 'loadbalancer-ip' ? '负载均衡器 IP' : '外部 IP'}）${f.podSource || f.podIface ? `、且不来自 Pod 网络（${pods(f)}）` : ''}的包被打上地址伪装标记（externalTrafficPolicy: Cluster）：${WHY_MASQUERADE}。`,
    'svc-masq-all': (f) =>
      f.ip
        ? `发往 ${f.dest}（${svc(f)} 的集群 IP）的所有包都被打上地址伪装标记（masqueradeAll，或无法区分 Pod 流量）。`
        : `发往 ${svc(f)} 端口 ${f.dport ?? '（任意）'}${f.proto ? `/${f.proto}` : ''} 的所有包都被打上地址伪装标记。`,
    'svc-affinity': (f, x) =>
      `最近 ${f.seconds ?? '?'} 秒${f.seconds === '10800' ? '（180 分钟：timeoutSeconds 的默认值，也是旧版 kube-proxy 的固定值）' : ''}内连接过 ${svc(f)} 的客户端回到${endpointOf(f)}，使同一客户端一直访问同一个 Pod（sessionAffinity: ClientIP；recent 列表 ${x.recent?.name ?? ''}）。`,
    'svc-endpoint': (f) =>
      f.share === '100%'
        ? `发往 ${svc(f)} 的所有新连接都转到${endpointOf(f)}。`
        : f.lastEndpoint
          ? `其余新连接转到${endpointOf(f)}：占发往 ${svc(f)} 的全部新连接的 ${f.share ?? '?'}。`
          : `尚未分配的新连接以${probability(f)}转到${endpointOf(f)}：占发往 ${svc(f)} 的全部新连接的 ${f.share ?? '?'}。`,
    'svc-no-local-old': (f, x) =>
      `来自集群外、发往 ${svc(f)} 的包${f.target === 'KUBE-MARK-DROP' ? '被打上丢弃标记' : '被丢弃'}：它在本节点上没有端点，而 externalTrafficPolicy: Local 不允许把包转给其他节点（那样会隐藏客户端地址）${f.target === 'KUBE-MARK-DROP' ? `；${WHY_MARK_DROP}` : ''}。负载均衡器的健康检查在本节点找不到端点，不应再往本节点发流量（${x.chain.startsWith('KUBE-XLB-') ? BEFORE_124 : '旧版 kube-proxy'}）。`,
    'sep-hairpin': (f) => `来自端点 ${f.source} 自身的包（Pod 通过服务访问自己，即“回环”/hairpin）被打上地址伪装标记，使回包经由本节点返回。`,
    'sep-dnat': (f, x) =>
      `包被 DNAT 到 ${f.endpoint}，即 ${svc(f)} 的一个端点${x.recent?.mode === 'set' ? `；同时记录该客户端以实现会话亲和（recent 列表 ${x.recent.name}）` : ''}。`,
    'mark-masq-jump': (f, x) => `${f.dest ? `发往 ${f.dest} ` : ''}${f.svc ? `（${svc(f)}）` : ''}的包${conditions(x)}，被打上地址伪装标记。`,
    'post-return': (f) => `没有地址伪装标记 ${f.mark} 的包原样离开 KUBE-POSTROUTING：只有服务规则标记过的连接需要 SNAT。`,
    'post-unmark': (f) => `用异或清除地址伪装标记 ${f.mark}，使再次经过网络协议栈的包（例如经过隧道）不会被第二次地址伪装。`,
    'post-masquerade': (f) => `带标记的包的源地址被改写为本节点出口地址（MASQUERADE）${f.verdict === 'random-fully' ? '，源端口完全随机' : ''}，使回包回到本节点，由本节点撤销 NAT。`,
    'post-masquerade-marked-old': (f) =>
      `带有地址伪装标记 ${f.mark}${asciiMark(f)} 的包的源地址被改写为本节点出口地址（MASQUERADE）：服务规则标记了需要 SNAT 的连接，而源地址只能在路由之后的这里改写。`,
    'mark-masq': (f) =>
      `给包加上地址伪装标记 ${f.mark}${asciiMark(f) || '（只占一位，标记的其余位不变）'}：nat 规则决定哪些连接需要 SNAT，但源地址只能在路由之后改写，所以用标记把这个决定带到 KUBE-POSTROUTING，在包离开时做地址伪装。`,
    'mark-drop': (f) => `给包加上丢弃标记 ${f.mark}：nat 表的规则不能丢弃包，所以这条链只打标记，由 filter 表的 KUBE-FIREWALL 丢弃（旧版 kube-proxy 和 kubelet）。`,
    'marked-drop': (f) =>
      `带有丢弃标记 ${f.mark} 的包被丢弃：KUBE-MARK-DROP 在不能丢弃包的 nat 表中标记了它们（来自不允许的源地址的负载均衡器流量、发往本节点上没有端点的服务的外部流量；旧版 kube-proxy 和 kubelet）。`,
    'fwd-invalid': (_f, x) => `conntrack 判定为 INVALID 的转发包被丢弃${nfacct(x)}。`,
    'fwd-marked': (f) => `带有地址伪装标记 ${f.mark} 的转发包（服务流量）被接受，即使 FORWARD 的默认策略是 DROP。`,
    'fwd-established': () =>
      '属于已建立连接或与之相关的转发包被接受：上一条规则凭地址伪装标记放行服务连接的第一个包，这条规则放行连接的其余包，即使 FORWARD 的默认策略是 DROP。',
    'fwd-established-pod': (f) =>
      `${f.podSource ? `${f.direction === 'source' ? '来自' : '发往'} Pod 网络 ${f.podSource}、` : ''}属于已建立连接或与之相关的转发包被接受：上一条规则凭地址伪装标记放行服务连接的第一个包，这条规则放行连接的其余包，即使 FORWARD 的默认策略是 DROP（旧版 kube-proxy 写两条这样的规则，分别针对来自和发往 Pod 网络的包）。`,
    'fwd-pod-old': (f) => `Pod 网络 ${f.source} 的转发包被接受（旧版 kube-proxy）。`,
    'localnet-block': () => '发往 127.0.0.0/8、但不来自 127.0.0.0/8 且未经 DNAT 的包被丢弃：节点外部不能访问其 localhost 服务。',
    'ipvs-loopback-return': (f) => `来自 ${f.source}（localhost）的包跳过 KUBE-SERVICES 的其余规则，因而不会被打上地址伪装标记。`,
    'ipvs-set-masq': (f, x) => `${setSubject(f, x)}被打上地址伪装标记。`,
    'ipvs-set-accept': (f, x) => `${setSubject(f, x)}在此被接受，随后由 IPVS 均衡到某个真实服务器。`,
    'ipvs-set-return': (f, x) => `${setSubject(f, x)}离开 ${x.chain}，回到调用它的链。`,
    'ipvs-set-jump': (f, x) => `${setSubject(f, x)}转到 ${chainRole(f.target)}。`,
    'ipvs-set-reject': (f, x) => `${setSubject(f, x)}若未被前面的规则放行则被拒绝：绑定在 kube-ipvs0 上的地址只在其服务端口上响应。`,
    'ipvs-set-masquerade': (f, x) => `${setSubject(f, x)}被做地址伪装：端点通过服务访问自己（回环/hairpin）。`,
    'ipvs-nodeport-jump': () => '发往本节点自身地址的包转到 KUBE-NODE-PORT 匹配 NodePort。',
    'ipvs-lb-masq': () => '到达这条规则的负载均衡器 IP 流量被打上地址伪装标记。',
    'ipvs-source-ranges-drop': () => '发往设置了源地址范围的负载均衡器 IP、但不来自任何允许源地址的包被丢弃。',
    'ipvs-out-filter': (f) =>
      `本节点从 ${f.source} 发往 IPVS 服务 ${f.dest} 的包被丢弃：本节点不在该负载均衡器的源地址范围内，不能借 kube-ipvs0 上的地址绕过限制。`,
  },
  generic: (x) => {
    const cond: string[] = [];
    if (x.src) cond.push(`${x.srcNegated ? '不' : ''}来自 ${x.src}`);
    if (x.dst) cond.push(`${x.dstNegated ? '不' : ''}发往 ${x.dst}`);
    if (x.protocol) cond.push(`协议为 ${x.protocol}`);
    if (x.dport) cond.push(`目的端口${x.dportNegated ? '不' : ''}为 ${x.dport}`);
    if (x.inIface) cond.push(`${x.inIfaceNegated ? '不是' : ''}从 ${x.inIface} 进入`);
    if (x.ctstate) cond.push(`conntrack 状态${x.ctstateNegated ? '不' : ''}为 ${x.ctstate}`);
    if (x.mark) cond.push(`${x.markNegated ? '不带' : '带有'}标记 ${x.mark}`);
    for (const s of x.sets) cond.push(`${s.negated ? '不' : ''}在 ipset ${s.name}（${s.dirs}）中`);
    for (const m of x.otherModules) cond.push(`匹配 -m ${m}`);
    const who = `${cond.length ? `${cond.join('、')}的` : '所有'}包`;
    const t = x.target;
    let action: string;
    if (!t) action = '被计数后继续匹配下一条规则';
    else if (t === 'ACCEPT') action = '被接受';
    else if (t === 'DROP') action = '被丢弃';
    else if (t === 'REJECT') action = '被拒绝';
    else if (t === 'RETURN') action = '返回调用它的链';
    else if (t === 'DNAT') action = `被 DNAT 到 ${x.targetOption('--to-destination') ?? '?'}`;
    else if (t === 'SNAT') action = `被 SNAT 到 ${x.targetOption('--to-source') ?? '?'}`;
    else if (t === 'MASQUERADE') action = '被做地址伪装';
    else if (t === 'MARK') action = '的标记被修改';
    else if (t === 'LOG') action = '被记录日志';
    else action = `${x.goto ? '（goto）' : ''}转到 ${t}`;
    return `${who}${action}${x.comment ? `（“${x.comment}”）` : ''}。（这不是 kube-proxy 写的规则。）`;
  },
  chain: (table, name, spn, endpoint) => {
    const s = spn ?? '某个服务端口';
    if (name.startsWith('KUBE-SVC-')) return `${s} 的服务链：把新连接分配给它所有可用的端点。`;
    if (name.startsWith('KUBE-SVL-')) return `${s} 的本地服务链：把新连接分配给它在本节点上的端点。`;
    if (name.startsWith('KUBE-EXT-')) return `${s} 的外部链：按外部流量策略处理发往其 NodePort、外部 IP 和负载均衡器 IP 的流量。`;
    if (name.startsWith('KUBE-FW-')) return `${s} 的负载均衡器防火墙链：放行其允许的源地址范围。`;
    if (name.startsWith('KUBE-SEP-')) return `${s} 的端点链：DNAT 到 ${endpoint ?? '一个端点'}。`;
    if (name.startsWith('KUBE-XLB-')) return `${s} 在 externalTrafficPolicy: Local 下的外部链（${BEFORE_124}）：集群外的客户端只访问本节点上的端点，因此保留其源地址。`;
    const fixed: Record<string, string> = {
      'nat/PREROUTING': '内置链：从网络进入、尚未路由的包（在此做 DNAT）。',
      'nat/OUTPUT': '内置链：本节点发出、尚未路由的包（在此做 DNAT）。',
      'nat/POSTROUTING': '内置链：即将离开本节点的包（在此做 SNAT 和地址伪装）。',
      'nat/INPUT': '内置链：交付给本节点的包（SNAT）。',
      'filter/INPUT': '内置链：交付给本节点自身的包。',
      'filter/FORWARD': '内置链：本节点转发的包。',
      'filter/OUTPUT': '内置链：本节点发出的包。',
      'nat/KUBE-SERVICES': 'kube-proxy 的服务分发：每个服务 IP 和端口一条规则，最后是 NodePort。',
      'filter/KUBE-SERVICES': '拒绝或丢弃发往没有（本地）端点的服务集群 IP 的流量。',
      'nat/KUBE-NODEPORTS': 'NodePort 分发：每个 NodePort 一条规则。',
      'filter/KUBE-NODEPORTS': '接受健康检查节点端口。',
      'filter/KUBE-EXTERNAL-SERVICES': '拒绝或丢弃发往没有（本地）端点的服务的外部流量。',
      'nat/KUBE-POSTROUTING': '对带有地址伪装标记的包做地址伪装。',
      'nat/KUBE-MARK-MASQ': '打上地址伪装标记。',
      'nat/KUBE-MARK-DROP': '打上丢弃标记，由 filter 表的 KUBE-FIREWALL 丢弃：nat 规则不能丢弃包（旧版 kube-proxy 和 kubelet）。',
      'filter/KUBE-FORWARD': '放行转发的服务流量。',
      'filter/KUBE-PROXY-FIREWALL': '丢弃来自不允许的源地址的负载均衡器流量。',
      'filter/KUBE-FIREWALL': '阻止外部发往 127.0.0.0/8 的包。',
      'nat/KUBE-NODE-PORT': 'IPVS 模式：给 NodePort 流量打上地址伪装标记。',
      'filter/KUBE-NODE-PORT': 'IPVS 模式：接受健康检查节点端口。',
      'nat/KUBE-LOAD-BALANCER': 'IPVS 模式：负载均衡器 IP。',
      'filter/KUBE-SOURCE-RANGES-FIREWALL': 'IPVS 模式：负载均衡器允许的源地址范围。',
      'filter/KUBE-IPVS-FILTER': 'IPVS 模式：拒绝访问 kube-ipvs0 上地址的非服务端口。',
      'filter/KUBE-IPVS-OUT-FILTER': 'IPVS 模式：防止本节点借负载均衡器 IP 绕过源地址范围。',
      'mangle/KUBE-PROXY-CANARY': 'kube-proxy 监视的空链，用来发现规则表被清空。',
    };
    return fixed[`${table}/${name}`] ?? (name.startsWith('KUBE-') ? `kube-proxy 的链（${name}）。` : `不是 kube-proxy 写的链（${name}）。`);
  },
  virtualService: (v) =>
    `IPVS 虚拟服务 ${v.selector}：以${v.scheduler === 'rr' ? '轮询' : v.scheduler === '' ? '列表未显示的调度算法' : `调度算法 ${v.scheduler} `}方式把新连接分配给它的 ${v.realServers} 个真实服务器${v.realServers === 0 ? '（没有真实服务器：连接被拒绝）' : ''}${v.persistence !== null ? `；客户端在 ${v.persistence} 秒内保持同一服务器（会话亲和）` : ''}。`,
  realServer: (r) =>
    `${r.selector} 的真实服务器 ${r.server}，转发方式${r.forward === null ? '未显示' : r.forward === 'masq' ? '为 NAT（地址伪装）' : `为 ${r.forward}`}，${r.weight === null ? '权重未显示' : `权重 ${r.weight}`}：分到 ${r.share} 的新连接。`,
  ipset: (name, type, members) => `ipset ${name}（${type}，${members} 个成员）：${setPurpose(name)}。`,
};
