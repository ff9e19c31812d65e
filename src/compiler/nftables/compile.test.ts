import { describe, expect, it } from 'vitest';
import { goQuote, printNft } from '../../ast/print-nft.js';
import type { SettingFlags } from '../../model/settings.js';
import { runCli } from '../../../test/support/run-cli.js';
import { loadCluster } from '../index.js';
import { NftBuilder } from './builder.js';
import { compileNftables } from './index.js';

function nft(yaml: string, flags: SettingFlags = {}): string {
  const { cluster, settings, diagnostics } = loadCluster(['-'], { mode: 'nftables', ...flags }, () => yaml);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return printNft(compileNftables(cluster, settings));
}

/** The lines of `text` that add rules to `chain` or elements to `set`, without the prefix. */
const rulesOf = (text: string, chain: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`add rule ip kube-proxy ${chain} `) || l.startsWith(`add rule ip6 kube-proxy ${chain} `))
    .map((l) => l.split(' ').slice(5).join(' '));
const elementsOf = (text: string, set: string) =>
  text
    .split('\n')
    .filter((l) => / kube-proxy (\S+) \{/.exec(l)?.[1] === set && l.startsWith('add element'))
    .map((l) => l.slice(l.indexOf('{')));
const chainsOf = (text: string) => text.split('\n').filter((l) => l.startsWith('add chain')).map((l) => l.split(' ')[4]);

const CONFIG = (extra = '', annotations = '') => `
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
metadata:
  name: kube-proxy
  annotations:
    rulec.io/ip-family: IPv4
${annotations}
mode: nftables
hostnameOverride: node-a
${extra}
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
status:
  addresses:
  - {type: InternalIP, address: 192.168.1.10}
`;

const SERVICE = (spec: string, status = '') => `
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  clusterIP: 172.30.0.10
  ports: [{name: http, protocol: TCP, port: 80, targetPort: 8080${spec.includes('type: NodePort') ? ', nodePort: 30080' : ''}}]
${spec}
${status}
`;

const SLICE = (endpoints: string) => `
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, protocol: TCP, port: 8080}]
endpoints: ${endpoints}
`;

const LOCAL_AND_REMOTE = '[{addresses: [10.0.1.5], nodeName: node-a}, {addresses: [10.0.2.6], nodeName: node-b}]';

describe('nftables backend', () => {
  it('masquerades traffic to the cluster IP from outside the pod network, or all of it with masqueradeAll', () => {
    const withDetector = nft(CONFIG('clusterCIDR: 10.0.0.0/8') + SERVICE('') + SLICE(LOCAL_AND_REMOTE));
    expect(rulesOf(withDetector, 'service-KHN6ECMT-shop/web/tcp/http')[0]).toBe('ip daddr 172.30.0.10 ip saddr != 10.0.0.0/8 jump mark-for-masquerade');
    const all = nft(CONFIG('clusterCIDR: 10.0.0.0/8\nnftables: {masqueradeAll: true}') + SERVICE('') + SLICE(LOCAL_AND_REMOTE));
    expect(rulesOf(all, 'service-KHN6ECMT-shop/web/tcp/http')[0]).toBe('ip daddr 172.30.0.10 jump mark-for-masquerade');
    const none = nft(CONFIG() + SERVICE('') + SLICE(LOCAL_AND_REMOTE));
    expect(rulesOf(none, 'service-KHN6ECMT-shop/web/tcp/http')[0]).toMatch(/^numgen random mod 2 vmap /);
  });

  it('writes the local-traffic detectors for bridges and interface prefixes', () => {
    const svc = SERVICE('  type: NodePort\n  externalTrafficPolicy: Local') + SLICE(LOCAL_AND_REMOTE);
    const bridge = nft(CONFIG('detectLocalMode: BridgeInterface\ndetectLocal: {bridgeInterface: cbr0}') + svc);
    expect(rulesOf(bridge, 'external-KHN6ECMT-shop/web/tcp/http')[0]).toBe('iifname cbr0 goto service-KHN6ECMT-shop/web/tcp/http comment "short-circuit pod traffic"');
    expect(rulesOf(bridge, 'service-KHN6ECMT-shop/web/tcp/http')[0]).toBe('ip daddr 172.30.0.10 iifname != cbr0 jump mark-for-masquerade');
    const prefix = nft(CONFIG('detectLocalMode: InterfaceNamePrefix\ndetectLocal: {interfaceNamePrefix: veth}') + svc);
    expect(rulesOf(prefix, 'service-KHN6ECMT-shop/web/tcp/http')[0]).toBe('ip daddr 172.30.0.10 iifname != veth* jump mark-for-masquerade');
  });

  it('quotes interface names nft would read as something else, and keeps plain ones bare', () => {
    const svc = SERVICE('  type: NodePort\n  externalTrafficPolicy: Local') + SLICE(LOCAL_AND_REMOTE);
    const bridge = (name: string) =>
      rulesOf(nft(CONFIG(`detectLocalMode: BridgeInterface\ndetectLocal: {bridgeInterface: ${JSON.stringify(name)}}`) + svc), 'service-KHN6ECMT-shop/web/tcp/http')[0];
    const prefix = (name: string) =>
      rulesOf(nft(CONFIG(`detectLocalMode: InterfaceNamePrefix\ndetectLocal: {interfaceNamePrefix: ${JSON.stringify(name)}}`) + svc), 'service-KHN6ECMT-shop/web/tcp/http')[0];
    expect(bridge('eth0.100')).toBe('ip daddr 172.30.0.10 iifname != eth0.100 jump mark-for-masquerade');
    expect(bridge('@pwn')).toBe('ip daddr 172.30.0.10 iifname != "@pwn" jump mark-for-masquerade');
    expect(bridge('0x10')).toBe('ip daddr 172.30.0.10 iifname != "0x10" jump mark-for-masquerade');
    expect(bridge('accept')).toBe('ip daddr 172.30.0.10 iifname != "accept" jump mark-for-masquerade');
    expect(bridge('a-j')).toBe('ip daddr 172.30.0.10 iifname != "a-j" jump mark-for-masquerade');
    expect(bridge('icmpv6')).toBe('ip daddr 172.30.0.10 iifname != "icmpv6" jump mark-for-masquerade');
    expect(bridge('veth-a_b')).toBe('ip daddr 172.30.0.10 iifname != "veth-a_b" jump mark-for-masquerade');
    expect(prefix('veth-a_b')).toBe('ip daddr 172.30.0.10 iifname != veth-a_b* jump mark-for-masquerade');
    expect(prefix('0x1')).toBe('ip daddr 172.30.0.10 iifname != "0x1*" jump mark-for-masquerade');
    expect(prefix('@x')).toBe('ip daddr 172.30.0.10 iifname != "@x*" jump mark-for-masquerade');
  });

  it('takes masqueradeAll from the nftables section only', () => {
    const text = nft(CONFIG('clusterCIDR: 10.0.0.0/8\niptables: {masqueradeAll: true}') + SERVICE('') + SLICE(LOCAL_AND_REMOTE));
    expect(rulesOf(text, 'service-KHN6ECMT-shop/web/tcp/http')[0]).toBe('ip daddr 172.30.0.10 ip saddr != 10.0.0.0/8 jump mark-for-masquerade');
  });

  it('keeps a 0.0.0.0/0 source range in the firewall, as the nftables proxier does', () => {
    const lb = SERVICE('  type: LoadBalancer\n  loadBalancerSourceRanges: [0.0.0.0/0]', 'status: {loadBalancer: {ingress: [{ip: 5.6.7.8}]}}') + SLICE(LOCAL_AND_REMOTE);
    expect(rulesOf(nft(CONFIG() + lb), 'firewall-KHN6ECMT-shop/web/tcp/http')).toEqual(['ip saddr != { 0.0.0.0/0 , 5.6.7.8 } drop']);
  });

  it('takes the masquerade bit from the nftables section, printed as kube-proxy formats it', () => {
    const text = nft(CONFIG('iptables: {masqueradeBit: 3}\nnftables: {masqueradeBit: 5}'));
    expect(rulesOf(text, 'mark-for-masquerade')).toEqual(['mark set mark or 0x00000020']);
  });

  it('drops cluster-IP traffic of an internal Local policy without local endpoints, rejects a service without endpoints', () => {
    const local = nft(CONFIG() + SERVICE('  internalTrafficPolicy: Local') + SLICE('[{addresses: [10.0.2.6], nodeName: node-b}]'));
    expect(elementsOf(local, 'no-endpoint-services')).toEqual(['{ 172.30.0.10 . tcp . 80 comment "shop/web:http" : drop }']);
    expect(elementsOf(local, 'service-ips')).toEqual([]);
    expect(chainsOf(local).some((c) => c?.startsWith('endpoint-'))).toBe(false);
    const empty = nft(CONFIG() + SERVICE('  type: NodePort\n  externalIPs: [192.0.2.9]') + SLICE('[]'));
    expect(elementsOf(empty, 'no-endpoint-services')).toEqual([
      '{ 172.30.0.10 . tcp . 80 comment "shop/web:http" : goto reject-chain }',
      '{ 192.0.2.9 . tcp . 80 comment "shop/web:http" : goto reject-chain }',
    ]);
    expect(chainsOf(empty).filter((c) => /^(service|external|endpoint)-[A-Z2-7]{8}-/.test(c ?? ''))).toEqual([]);
  });

  it('sends external Local traffic to the local endpoints only', () => {
    const text = nft(CONFIG('clusterCIDR: 10.0.0.0/8') + SERVICE('  type: NodePort\n  externalTrafficPolicy: Local') + SLICE(LOCAL_AND_REMOTE));
    const ext = rulesOf(text, 'external-KHN6ECMT-shop/web/tcp/http');
    expect(ext.at(-1)).toBe('goto local-KHN6ECMT-shop/web/tcp/http');
    expect(rulesOf(text, 'local-KHN6ECMT-shop/web/tcp/http')).toEqual(['numgen random mod 1 vmap { 0 : goto endpoint-B2576GON-shop/web/tcp/http__10.0.1.5/8080 }']);
    expect(rulesOf(text, 'service-KHN6ECMT-shop/web/tcp/http').at(-1)).toMatch(/^numgen random mod 2 vmap \{ 0 : goto endpoint-\S+ , 1 : goto endpoint-\S+ \}$/);
  });

  it('lets the node through a load-balancer firewall whose ranges hold the node IP', () => {
    const lb = SERVICE('  type: LoadBalancer\n  loadBalancerSourceRanges: [192.168.0.0/16, 203.0.113.0/24]', 'status: {loadBalancer: {ingress: [{ip: 5.6.7.8}]}}') + SLICE(LOCAL_AND_REMOTE);
    const text = nft(CONFIG() + lb);
    expect(rulesOf(text, 'firewall-KHN6ECMT-shop/web/tcp/http')).toEqual(['ip saddr != { 192.168.0.0/16 , 203.0.113.0/24 , 5.6.7.8 } drop']);
    expect(elementsOf(text, 'firewall-ips')).toEqual(['{ 5.6.7.8 . tcp . 80 : goto firewall-KHN6ECMT-shop/web/tcp/http }']);
  });

  it('answers NodePorts on the primary node IP by default, as kube-proxy defaults nftables mode', () => {
    const text = nft(CONFIG() + SERVICE('  type: NodePort'));
    expect(rulesOf(text, 'services')[1]).toBe('ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports');
    expect(elementsOf(text, 'nodeport-ips')).toEqual(['{ 192.168.1.10 }']);
  });

  it('answers NodePorts on every local address when nodePortAddresses matches all', () => {
    const text = nft(CONFIG('nodePortAddresses: [0.0.0.0/0]') + SERVICE('  type: NodePort'));
    expect(rulesOf(text, 'services')).toEqual([
      'ip daddr . meta l4proto . th dport vmap @service-ips',
      'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports',
    ]);
    expect(text).not.toContain('nodeport-ips');
  });

  it('writes the IPv6 table with ip6 words, bracketed DNAT and dotted endpoint names', () => {
    const yaml = `${CONFIG('clusterCIDR: fd00:10::/64', '    rulec.io/service-cidrs: "fd00:172::/112,10.96.0.0/12"')}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  clusterIP: fd00:172::10
  ipFamilies: [IPv6]
  sessionAffinity: ClientIP
  ports: [{name: http, protocol: TCP, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv6
ports: [{name: http, protocol: TCP, port: 8080}]
endpoints:
- {addresses: ["fd00:10::5"]}
`;
    const text = nft(yaml, { family: 'ipv6' });
    expect(text.startsWith('add table ip6 kube-proxy { comment "rules for kube-proxy" ; }\n')).toBe(true);
    expect(rulesOf(text, 'cluster-ips-check')[1]).toBe('ip6 daddr { fd00:172::/112 } drop comment "Drop traffic to unallocated ClusterIPs"');
    const ep = chainsOf(text).find((c) => c?.startsWith('endpoint-')) ?? '';
    expect(ep).toMatch(/^endpoint-[A-Z2-7]{8}-shop\/web\/tcp\/http__fd00\.10\.\.5\/8080$/);
    expect(rulesOf(text, ep)).toEqual([
      'ip6 saddr fd00:10::5 jump mark-for-masquerade',
      `update @affinity-${ep.slice('endpoint-'.length)} { ip6 saddr }`,
      'meta l4proto tcp dnat to [fd00:10::5]:8080',
    ]);
    expect(text).toContain(`add set ip6 kube-proxy affinity-${ep.slice('endpoint-'.length)} { type ipv6_addr ; flags dynamic,timeout ; timeout 10800s ; }\n`);
  });
});

describe('NftBuilder elements', () => {
  it('keeps one element per key: a new value replaces it, the same value keeps the first comment', () => {
    const b = new NftBuilder('ip', 't', 'c');
    b.set({ name: 'm', kind: 'map', type: 'inet_proto . inet_service : verdict' });
    b.element('m', { key: ['tcp', '80'], comment: 'first', value: 'drop' });
    b.element('m', { key: ['tcp', '80'], comment: 'second', value: 'drop' });
    b.element('m', { key: ['tcp', '81'], comment: 'a', value: 'drop' });
    b.element('m', { key: ['tcp', '81'], comment: 'b', value: 'goto x' });
    expect(b.build().sets[0]?.elements).toEqual([
      { key: ['tcp', '80'], comment: 'first', value: 'drop' },
      { key: ['tcp', '81'], comment: 'b', value: 'goto x' },
    ]);
  });
});

describe('goQuote', () => {
  it('quotes as Go %q does for the characters names and comments can hold', () => {
    expect(goQuote('ns/svc:p80')).toBe('"ns/svc:p80"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('x\ny\u0001')).toBe('"x\\ny\\x01"');
  });
});

describe('rulec compile --mode nftables', () => {
  it('refuses emits and flags of the other modes, and writes nothing', async () => {
    const ipset = await runCli(['compile', '--mode', 'nftables', '--emit', 'ipset', 'examples/cluster']);
    expect(ipset).toEqual({ code: 2, stdout: '', stderr: 'rulec: --emit ipset does not go with --mode nftables; nftables mode writes --emit nft\n' });
    const hooks = await runCli(['compile', '--mode', 'nftables', '--with-hooks', 'examples/cluster']);
    expect(hooks).toEqual({ code: 2, stdout: '', stderr: 'rulec: --with-hooks is for iptables text; nftables mode writes its own base chains\n' });
    const nftInIptables = await runCli(['compile', '--mode', 'iptables', '--emit', 'nft', 'examples/cluster']);
    expect(nftInIptables.code).toBe(2);
    expect(nftInIptables.stderr).toContain('nft needs --mode nftables');
  });

  it('follows the mode of the KubeProxyConfiguration', async () => {
    const r = await runCli(['compile', '-'], CONFIG() + SERVICE(''));
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('add table ip kube-proxy')).toBe(true);
  });
});
