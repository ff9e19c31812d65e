import type { NftChainRole, NftRuleKind } from './nft-classify.js';
import type { NftLanguage } from './nft-language.js';

const HOOK_WHEN: Readonly<Record<string, string>> = {
  prerouting: '所有进入本节点的包（路由之前）',
  input: '发往本节点自身的包',
  forward: '本节点转发的包',
  output: '本节点自己发出的包',
  postrouting: '所有离开本节点的包（路由之后）',
};

const HELPER: Readonly<Record<string, string>> = {
  services: 'kube-proxy 的服务分发：按目的地址、协议和端口查 @service-ips（集群 IP、外部 IP 和负载均衡 IP），按协议和端口查 @service-nodeports（NodePort）。',
  masquerading: '对带有地址伪装标记的包做地址伪装，并清除该标记。',
  'mark-for-masquerade': '打上地址伪装标记：包离开节点时会被做地址伪装。',
  'service-endpoints-check': '在 DNAT 之前，丢弃或拒绝发往没有端点的服务的新连接（@no-endpoint-services）。',
  'nodeport-endpoints-check': '丢弃或拒绝发往没有端点的服务的 NodePort 的新连接（@no-endpoint-nodeports）。',
  'cluster-ips-check': '拒绝发往没有服务端口对应的集群 IP 的流量：集群 IP 的错误端口被拒绝，服务网段中未分配的地址被丢弃。',
  'firewall-check': '在 DNAT 之前，把发往设置了来源范围的负载均衡 IP 的包送到其防火墙链（@firewall-ips）。',
  'reject-chain': '拒绝该包：没有端点的服务的判决映射指向这里。',
};

function chainName(role: NftChainRole | undefined, fallback: string): string {
  if (role === undefined) return fallback;
  switch (role.role) {
    case 'service':
      return `${role.spn} 的服务链`;
    case 'external':
      return `${role.spn} 的外部流量链`;
    case 'local':
      return `${role.spn} 在本节点上的端点链`;
    case 'firewall':
      return `${role.spn} 的来源范围防火墙链`;
    case 'endpoint':
      return `${role.spn} 的端点 ${role.endpoint}`;
    default:
      return fallback;
  }
}

export const NFT_ZH: NftLanguage = {
  table: (family, name, chains, sets, kind) =>
    kind === 'kube-proxy'
      ? `kube-proxy 的 nftables 表（${family} ${name}）：${chains} 条链、${sets} 个集合和映射，即 kube-proxy 为该 IP 协议族写的全部规则。`
      : kind === 'iptables-nft'
        ? `由 iptables-nft 管理的表 ${family} ${name}：${chains} 条用 iptables 写的规则链（来自 iptables 或 IPVS 模式的 kube-proxy、kubelet、CNI 插件），这里是 nft 列出的样子。节点上的 iptables-save 会把它们打印成 iptables 规则，rulec 可以逐条解释。`
        : `表 ${family} ${name}：${chains} 条链、${sets} 个集合和映射，属于 kube-proxy 以外的程序。`,
  chain: (role) => {
    switch (role.role) {
      case 'base':
        return `基础链（${role.type}，挂在 ${role.hook}，优先级 ${role.priority}）：处理${HOOK_WHEN[role.hook] ?? role.hook}。`;
      case 'helper':
        return HELPER[role.name] ?? `辅助链 ${role.name}。`;
      case 'service':
        return `${role.spn} 的服务链：给需要地址伪装的流量打标记，并把新连接分给它所有可用的端点。`;
      case 'external':
        return `${role.spn} 的外部流量链（NodePort、外部 IP 和负载均衡 IP）：按 externalTrafficPolicy 决定是否做地址伪装，再转到端点。`;
      case 'local':
        return `${role.spn} 的本地端点链：只用本节点上的端点（Local 流量策略），因此保留客户端地址。`;
      case 'firewall':
        return `${role.spn} 的来源范围防火墙链：丢弃 loadBalancerSourceRanges 之外的客户端。`;
      case 'endpoint':
        return `${role.spn} 的端点链：DNAT 到 ${role.endpoint}。`;
      case 'other':
        return `链 ${role.name}：不是 kube-proxy 写的链。`;
      case 'iptables':
        return `链 ${role.name}：kube-proxy（iptables 或 IPVS 模式）或 kubelet 的 iptables 链，由 iptables-nft 存放。`;
    }
  },
  rule: (k) => {
    switch (k.kind) {
      case 'to-chain': {
        const what = k.role?.role === 'helper' || k.role?.role === 'base' ? k.chain : chainName(k.role, k.chain);
        const helper = k.role?.role === 'helper' ? `（${(HELPER[k.chain] ?? '').replace(/。$/, '')}）` : '';
        return `${k.newOnly ? '每个新连接的第一个包' : '所有包'}${k.how === 'goto' ? '转到' : '送到'} ${what}${helper}。`;
      }
      case 'lookup':
        return k.by === 'nodeport'
          ? `发往接受 NodePort 流量的地址（@nodeport-ips）的包，按协议和端口查 @${k.map}；查到的元素决定包的去向。`
          : `按目的地址、协议和端口查 @${k.map}；查到的元素决定包的去向。`;
      case 'masquerade-mark':
        if (k.from === 'endpoint') return `来自 ${k.ip ?? '端点'} 自身的包（Pod 通过服务访问自己，即“回环”/hairpin）被打上地址伪装标记，使回包经由本节点返回。`;
        if (k.from === 'node') return '来自本节点自身的包被打上地址伪装标记，使回包回到包离开时所用的地址。';
        if (k.ip !== null && k.outside !== null) return `来自 Pod 网段 ${k.outside} 之外、发往 ${k.ip} 的包被打上地址伪装标记：端点可能在别的节点上，回包必须经由本节点返回。`;
        if (k.ip !== null) return `所有发往 ${k.ip} 的包都被打上地址伪装标记（masqueradeAll）。`;
        return '这里的所有包都被打上地址伪装标记：外部流量做地址伪装，使回包经由本节点返回（externalTrafficPolicy: Cluster）。';
      case 'set-mark':
        return `打上地址伪装标记（${k.value}）：nat postrouting 会对该包做地址伪装，使回包经由本节点返回。`;
      case 'unmarked-return':
        return `没有地址伪装标记（${k.value}）的包不做处理。`;
      case 'clear-mark':
        return `清除地址伪装标记（${k.value}），之后不会再次对该包做地址伪装。`;
      case 'masquerade':
        return '对该包做地址伪装：源地址换成本节点的地址（端口随机选择）。';
      case 'masquerade-marked':
        return `带有地址伪装标记（${k.value}）的包去掉标记并做地址伪装：源地址换成本节点的地址，使回包经由本节点返回。`;
      case 'hairpin-masquerade':
        return `端点经由服务访问自己的已 DNAT 连接（“回环”/hairpin，记在 @${k.set} 中）做地址伪装，使回包经由本节点返回。`;
      case 'reject-wrong-port':
        return `发往集群 IP（@${k.set}）上没有服务的端口的包被拒绝：客户端立即收到错误。`;
      case 'drop-unallocated':
        return `发往服务网段（${k.cidrs.join('、')}）中未分配给任何服务的地址的包被丢弃。`;
      case 'reject':
        return '拒绝该包：客户端立即收到错误。';
      case 'split':
        return `每个新连接随机选择 ${k.endpoints.length} 个端点之一，每个端点各得 1/${k.endpoints.length}（${k.endpoints.join('、')}）。`;
      case 'dnat':
        return `包被 DNAT 到端点 ${k.to}。`;
      case 'affinity-update':
        return `客户端地址被记入 @${k.set}，它之后的连接都会去同一个端点（会话亲和性）。`;
      case 'affinity-hit':
        return `已记入 @${k.set} 的客户端仍去之前的端点（${k.chain}）。`;
      case 'pods-to-service':
        return `Pod（${k.cidr}）的流量转到服务链，可以到达所有端点：Local 策略只对集群外的客户端生效。`;
      case 'node-to-service':
        return '来自本节点自身的流量转到服务链，可以到达所有端点。';
      case 'source-ranges':
        return `允许的来源范围（${k.ranges.join('、')}）之外的客户端被丢弃。`;
      case 'other':
        return `不是 kube-proxy 写的规则：${k.words}。`;
    }
  },
  set: (name, kind, comment, elements) => `${kind === 'map' ? '映射' : '集合'} ${name}${comment === undefined ? '' : `：${comment}`}（${elements} 个元素）。`,
  element: (set, key, verdict, role) => (verdict === '' ? `${key} 在 @${set} 中。` : `@${set} 中：${key} -> ${verdict}${role ? `（${chainName(role, '')}）` : ''}。`),
};
