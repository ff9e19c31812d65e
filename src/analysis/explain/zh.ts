import type { Fields } from './classify.js';
import { bareAddress, type RuleFacts } from './facts.js';
import type { Language } from './language.js';
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

function why(f: Fields, policy: string): string {
  return f.other === 'local' ? `该服务在本节点上没有端点（${policy}: Local）` : '该服务没有任何端点';
}

export const ZH: Language = {
  rules: {
    hook: (f, x) => `${x.table} 表 ${f.hook}（${own(HOOKS, f.hook ?? '') ?? f.hook}）中的${x.ctstate === 'NEW' ? '新连接' : '所有包'}都转到 ${chainRole(f.target)}。`,
    'svc-cluster-ip': (f) => `发往 ${f.dest}（${svc(f)} 的集群 IP）的包转到 ${chainRole(f.target)}。`,
    'svc-external-ip': (f) => `发往 ${f.dest}（${svc(f)} 的外部 IP）的包转到 ${chainRole(f.target)}。`,
    'svc-lb-ip': (f) => `发往 ${f.dest}（${svc(f)} 的负载均衡器 IP）的包转到 ${chainRole(f.target)}。`,
    'svc-dispatch': (f) => `发往 ${f.dest ?? '该服务'}（${svc(f)}）的包转到 ${chainRole(f.target)}。`,
    'nodeports-jump': (f, x) =>
      x.dstType === 'LOCAL'
        ? `发往本节点任一地址${x.dst && x.dstNegated ? `（${x.dst} 除外）` : ''}的包转到 KUBE-NODEPORTS 匹配 NodePort；这条规则排在最后，在所有服务 IP 之后。`
        : `发往节点地址 ${f.ip}（nodePortAddresses 之一）的包转到 KUBE-NODEPORTS 匹配 NodePort；这条规则排在最后，在所有服务 IP 之后。`,
    'nodeport-localhost': (f, x) => `经 localhost 发往 127.0.0.0/8 端口 ${f.dport}/${f.proto}（${svc(f)} 的 NodePort）的包${nfacct(x)}转到 ${chainRole(f.target)}。`,
    nodeport: (f) => `发往${f.ip ? `节点地址 ${f.ip} ` : '本节点'}端口 ${f.dport}/${f.proto}（${svc(f)} 的 NodePort）的包转到 ${chainRole(f.target)}。`,
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
    'fw-drop-old': (f) => `发往 ${svc(f)} 负载均衡器 IP 的其他包被打上丢弃标记（旧版 kube-proxy）。`,
    'ext-masq': (f) => `经外部目的地址（NodePort、外部 IP 或负载均衡器 IP）进入的 ${svc(f)} 的包被打上地址伪装标记（externalTrafficPolicy: Cluster），使回包经由本节点返回。`,
    'ext-pod': (f) =>
      `来自 Pod（${f.podSource ? `源地址 ${f.podSource}` : `网卡 ${f.podIface}`}）发往 ${svc(f)} 外部目的地址的包直接转到 ${chainRole(f.target)}：无论外部流量策略如何，Pod 都能访问所有端点。`,
    'ext-local-masq': (f) => `本节点自己发往 ${svc(f)} 外部目的地址的包被打上地址伪装标记。`,
    'ext-local-route': (f) => `本节点自己发往 ${svc(f)} 外部目的地址的包转到 ${chainRole(f.target)}，因此即使 externalTrafficPolicy: Local，本节点也能访问所有端点。`,
    'ext-to-policy-chain': (f) => `发往 ${svc(f)} 外部目的地址的其余包转到 ${chainRole(f.target)}。`,
    'svc-masq': (f) =>
      `发往 ${f.dest ?? '该服务'}（${svc(f)} 的集群 IP）、且不来自 Pod 网络（${f.podSource ? `源地址 ${f.podSource}` : `网卡 ${f.podIface}`}）的包被打上地址伪装标记，使回包经由本节点返回。`,
    'svc-masq-all': (f) =>
      f.ip
        ? `发往 ${f.dest}（${svc(f)} 的集群 IP）的所有包都被打上地址伪装标记（masqueradeAll，或无法区分 Pod 流量）。`
        : `发往 ${svc(f)} 端口 ${f.dport ?? '（任意）'}${f.proto ? `/${f.proto}` : ''} 的所有包都被打上地址伪装标记。`,
    'svc-affinity': (f, x) =>
      `最近 ${f.seconds ?? '?'} 秒内连接过 ${svc(f)} 的客户端（会话亲和，recent 列表 ${x.recent?.name ?? ''}）回到端点 ${f.endpoint ?? f.target}（${f.target}）。`,
    'svc-endpoint': (f) =>
      f.share === '100%'
        ? `发往 ${svc(f)} 的所有新连接都转到端点 ${f.endpoint ?? '?'}（${f.target}）。`
        : f.lastEndpoint
          ? `其余新连接转到端点 ${f.endpoint ?? '?'}（${f.target}）：占发往 ${svc(f)} 的全部新连接的 ${f.share ?? '?'}。`
          : `尚未分配的新连接以概率 ${f.probability} 转到端点 ${f.endpoint ?? '?'}（${f.target}）：占发往 ${svc(f)} 的全部新连接的 ${f.share ?? '?'}。`,
    'svc-no-local-old': (f) => `${svc(f)} 的包被丢弃：它在本节点上没有端点（旧版 kube-proxy）。`,
    'sep-hairpin': (f) => `来自端点 ${f.source} 自身的包（Pod 通过服务访问自己，即“回环”/hairpin）被打上地址伪装标记，使回包经由本节点返回。`,
    'sep-dnat': (f, x) =>
      `包被 DNAT 到 ${f.endpoint}，即 ${svc(f)} 的一个端点${x.recent?.mode === 'set' ? `；同时记录该客户端以实现会话亲和（recent 列表 ${x.recent.name}）` : ''}。`,
    'mark-masq-jump': (f, x) => `${f.dest ? `发往 ${f.dest} ` : ''}${f.svc ? `（${svc(f)}）` : ''}的包${conditions(x)}，被打上地址伪装标记。`,
    'post-return': (f) => `没有地址伪装标记 ${f.mark} 的包原样离开 KUBE-POSTROUTING。`,
    'post-unmark': (f) => `用异或清除地址伪装标记 ${f.mark}，使它不再留在包上。`,
    'post-masquerade': (f) => `带标记的包的源地址被改写为本节点出口地址（MASQUERADE）${f.verdict === 'random-fully' ? '，源端口完全随机' : ''}。`,
    'post-masquerade-marked-old': (f) => `带有地址伪装标记 ${f.mark} 的包的源地址被改写为本节点出口地址（MASQUERADE）。`,
    'mark-masq': (f) => `给包加上地址伪装标记 ${f.mark}（按位或）；包离开时由 KUBE-POSTROUTING 做地址伪装。`,
    'mark-drop': (f) => `给包加上丢弃标记 ${f.mark}；随后由 KUBE-FIREWALL 丢弃（旧版 kube-proxy）。`,
    'marked-drop': (f) => `带有丢弃标记 ${f.mark} 的包被丢弃（旧版 kube-proxy）。`,
    'fwd-invalid': (_f, x) => `conntrack 判定为 INVALID 的转发包被丢弃${nfacct(x)}。`,
    'fwd-marked': (f) => `带有地址伪装标记 ${f.mark} 的转发包（服务流量）被接受，即使 FORWARD 的默认策略是 DROP。`,
    'fwd-established': () => '属于已建立连接或与之相关的转发包被接受。',
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
    if (name.startsWith('KUBE-XLB-')) return `${s} 的本地链（旧版 kube-proxy）。`;
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
      'nat/KUBE-MARK-DROP': '打上丢弃标记（旧版 kube-proxy）。',
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
