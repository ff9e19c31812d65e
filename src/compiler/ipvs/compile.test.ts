import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printIpsetSave } from '../../ast/print-ipset.js';
import { printIptablesRestore, ruleLine } from '../../ast/print-iptables.js';
import { printIpvsadmSave } from '../../ast/print-ipvs.js';
import type { SettingFlags } from '../../model/settings.js';
import { loadCluster } from '../index.js';
import { compileIpvs, type IpvsCompilation } from './index.js';
import { proxierPrimaryNodeIP } from '../primary-node-ip.js';

function compile(yaml: string, flags: SettingFlags = {}): IpvsCompilation {
  const { cluster, settings, diagnostics } = loadCluster(['-'], { mode: 'ipvs', ...flags }, () => yaml);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compileIpvs(cluster, settings);
}

const ipvsadm = (c: IpvsCompilation) => printIpvsadmSave(c.ipvs);
const members = (c: IpvsCompilation, name: string) => c.ipsets.sets.find((s) => s.name === name)?.members.map((m) => m.value);
const rulesOf = (c: IpvsCompilation, table: string, chain: string) =>
  (c.iptables.tables.find((t) => t.name === table)?.chains.find((ch) => ch.name === chain)?.rules ?? []).map((r) => ruleLine(chain, r));

const CONFIG = (extra = '', annotations = '') => `
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
metadata:
  name: kube-proxy
  annotations:
    rulec.io/random-fully: "false"
${annotations}
mode: ipvs
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
  - {type: InternalIP, address: "fd00::10"}
`;

interface SvcOpts {
  name?: string;
  type?: string;
  clusterIP?: string;
  port?: number;
  protocol?: string;
  nodePort?: number;
  extra?: string;
  status?: string;
}

function svc(o: SvcOpts = {}): string {
  const name = o.name ?? 'web';
  return `
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  type: ${o.type ?? 'ClusterIP'}
  clusterIP: "${o.clusterIP ?? '10.96.0.20'}"
${o.extra ?? ''}
  ports:
  - name: http
    port: ${o.port ?? 80}
    protocol: ${o.protocol ?? 'TCP'}
    ${o.nodePort ? `nodePort: ${o.nodePort}` : ''}
${o.status ?? ''}`;
}

/** An EndpointSlice with endpoints `ip@node[:ready|terminating|notready]`. */
function slice(service: string, eps: string[], family = 'IPv4', port = 8080, protocol = 'TCP'): string {
  const lines = eps.map((e) => {
    const [addr = '', rest = ''] = e.split('@');
    const [node, state] = rest.split(':');
    const cond =
      state === 'terminating'
        ? '{ready: false, serving: true, terminating: true}'
        : state === 'notready'
          ? '{ready: false, serving: false, terminating: false}'
          : '{ready: true}';
    return `- addresses: ["${addr}"]\n  conditions: ${cond}\n  nodeName: ${node}`;
  });
  return `
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${service}-${family.toLowerCase()}
  namespace: shop
  labels: {kubernetes.io/service-name: ${service}}
addressType: ${family}
endpoints:
${lines.join('\n')}
ports:
- {name: http, port: ${port}, protocol: ${protocol}}
`;
}

describe('virtual servers', () => {
  it('creates one per cluster IP, external IP, LB IP and node address, with masq weight-1 real servers', () => {
    const c = compile(
      CONFIG() +
        svc({
          type: 'LoadBalancer',
          nodePort: 30080,
          extra: '  externalIPs: [203.0.113.5]',
          status: 'status:\n  loadBalancer:\n    ingress: [{ip: 198.51.100.7}]',
        }) +
        slice('web', ['10.244.1.5@node-a', '10.244.2.6@node-b']),
    );
    const rs = (vs: string) => `-a ${vs} -r 10.244.1.5:8080 -m -w 1\n-a ${vs} -r 10.244.2.6:8080 -m -w 1\n`;
    expect(ipvsadm(c)).toBe(
      ['10.96.0.20:80', '192.168.1.10:30080', '198.51.100.7:80', '203.0.113.5:80'].map((a) => `-A -t ${a} -s rr\n${rs(`-t ${a}`)}`).join(''),
    );
    expect(c.kubeIpvs0.map((ip) => ip.text)).toEqual(['10.96.0.20', '198.51.100.7', '203.0.113.5']);
  });

  it('sorts services by protocol, then address numerically, then port; real servers by address then port', () => {
    const c = compile(
      CONFIG() +
        svc({ name: 'b', clusterIP: '10.96.0.100', protocol: 'UDP' }) +
        svc({ name: 'a', clusterIP: '10.96.0.9', port: 8080 }) +
        svc({ name: 'c', clusterIP: '10.96.0.9', port: 443 }) +
        slice('a', ['10.244.0.10@node-b', '10.244.0.9@node-b']),
    );
    expect(ipvsadm(c)).toBe(
      '-A -t 10.96.0.9:443 -s rr\n' +
        '-A -t 10.96.0.9:8080 -s rr\n' +
        '-a -t 10.96.0.9:8080 -r 10.244.0.9:8080 -m -w 1\n' +
        '-a -t 10.96.0.9:8080 -r 10.244.0.10:8080 -m -w 1\n' +
        '-A -u 10.96.0.100:80 -s rr\n',
    );
  });

  it('uses the configured scheduler and adds mh-port for mh; ClientIP affinity gives -p TIMEOUT', () => {
    const c = compile(
      CONFIG('ipvs: {scheduler: mh}') +
        svc({ extra: '  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}' }) +
        svc({ name: 'plain', clusterIP: '10.96.0.21' }),
    );
    expect(ipvsadm(c)).toBe('-A -t 10.96.0.20:80 -s mh -p 600 -b mh-port\n-A -t 10.96.0.21:80 -s mh -b mh-port\n');
  });

  it('defaults the affinity timeout to 10800 s and the scheduler to rr', () => {
    const c = compile(CONFIG('ipvs: {scheduler: ""}') + svc({ extra: '  sessionAffinity: ClientIP' }));
    expect(ipvsadm(c)).toBe('-A -t 10.96.0.20:80 -s rr -p 10800\n');
  });

  it('writes SCTP and UDP services with --sctp-service and -u', () => {
    const c = compile(CONFIG() + svc({ protocol: 'SCTP' }) + svc({ name: 'u', clusterIP: '10.96.0.30', protocol: 'UDP' }));
    expect(ipvsadm(c)).toBe('-A -u 10.96.0.30:80 -s rr\n-A --sctp-service 10.96.0.20:80 -s rr\n');
  });

  it('leaves out headless and ExternalName services and other-family objects', () => {
    const c = compile(
      CONFIG() +
        svc({ name: 'headless', clusterIP: 'None' }) +
        `\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: shop}\nspec:\n  type: ExternalName\n  externalName: example.com\n` +
        svc({ name: 'v6', clusterIP: 'fd00:96::20' }),
    );
    expect(c.ipvs.services).toEqual([]);
    expect(members(c, 'KUBE-CLUSTER-IP')).toEqual([]);
  });

  it('uses bracketed IPv6 addresses, KUBE-6- set names and ::1/128 for the IPv6 proxier', () => {
    const c = compile(CONFIG() + svc({ clusterIP: 'fd00:96::20', type: 'NodePort', nodePort: 30080 }) + slice('web', ['fd00:244::5@node-a'], 'IPv6'), {
      family: 'ipv6',
    });
    expect(ipvsadm(c)).toBe(
      '-A -t [fd00::10]:30080 -s rr\n-a -t [fd00::10]:30080 -r [fd00:244::5]:8080 -m -w 1\n' +
        '-A -t [fd00:96::20]:80 -s rr\n-a -t [fd00:96::20]:80 -r [fd00:244::5]:8080 -m -w 1\n',
    );
    expect(members(c, 'KUBE-6-LOOP-BACK')).toEqual(['fd00:244::5,tcp:8080,fd00:244::5']);
    expect(members(c, 'KUBE-6-CLUSTER-IP')).toEqual(['fd00:96::20,tcp:80']);
    const text = printIpsetSave(c.ipsets);
    expect(text).toContain('create KUBE-6-NODE-PORT-LOCAL-SCTP-HAS hash:ip,port family inet6 hashsize 1024 maxelem 65536\n');
    expect(printIptablesRestore(c.iptables)).toContain('-A KUBE-SERVICES -s ::1/128 -j RETURN\n');
    expect(printIptablesRestore(c.iptables)).toContain('--match-set KUBE-6-IPVS-IPS dst -j REJECT\n');
  });

  it('lets a later service port replace an identical virtual server (ns/name:port order)', () => {
    const c = compile(
      CONFIG() +
        svc({ name: 'a', extra: '  externalIPs: [203.0.113.5]' }) +
        svc({ name: 'b', clusterIP: '10.96.0.21', extra: '  externalIPs: [203.0.113.5]\n  sessionAffinity: ClientIP' }) +
        slice('a', ['10.244.0.1@node-b']) +
        slice('b', ['10.244.0.2@node-b']),
    );
    expect(ipvsadm(c).endsWith('\n-A -t 203.0.113.5:80 -s rr -p 10800\n-a -t 203.0.113.5:80 -r 10.244.0.2:8080 -m -w 1\n')).toBe(true);
    expect(c.ipvs.services.filter((s) => s.address === '203.0.113.5')).toHaveLength(1);
  });
});

describe('real servers and traffic policies', () => {
  const eps = ['10.244.1.5@node-a', '10.244.2.6@node-b', '10.244.3.7@node-c'];

  it('externalTrafficPolicy Local: cluster IP keeps every endpoint, external ones only local ones', () => {
    const c = compile(CONFIG() + svc({ type: 'NodePort', nodePort: 30080, extra: '  externalTrafficPolicy: Local' }) + slice('web', eps));
    expect(c.ipvs.services.map((s) => [s.address, s.realServers.map((r) => r.address)])).toEqual([
      ['10.96.0.20', ['10.244.1.5', '10.244.2.6', '10.244.3.7']],
      ['192.168.1.10', ['10.244.1.5']],
    ]);
    expect(members(c, 'KUBE-NODE-PORT-LOCAL-TCP')).toEqual(['30080']);
    expect(members(c, 'KUBE-NODE-PORT-TCP')).toEqual(['30080']);
  });

  it('falls back to the cluster-wide endpoints when a Local policy finds no local endpoint (IPVS only)', () => {
    const c = compile(
      CONFIG() + svc({ type: 'NodePort', nodePort: 30080, extra: '  externalTrafficPolicy: Local\n  internalTrafficPolicy: Local' }) + slice('web', eps.slice(1)),
    );
    for (const vs of c.ipvs.services) expect(vs.realServers.map((r) => r.address)).toEqual(['10.244.2.6', '10.244.3.7']);
  });

  it('gives a ClusterIP-only port with internalTrafficPolicy Local and no local endpoint no real servers', () => {
    const c = compile(CONFIG() + svc({ extra: '  internalTrafficPolicy: Local' }) + slice('web', eps.slice(1)));
    expect(ipvsadm(c)).toBe('-A -t 10.96.0.20:80 -s rr\n');
  });

  it('internalTrafficPolicy Local with a local endpoint uses only that one', () => {
    const c = compile(CONFIG() + svc({ extra: '  internalTrafficPolicy: Local' }) + slice('web', eps));
    expect(ipvsadm(c)).toBe('-A -t 10.96.0.20:80 -s rr\n-a -t 10.96.0.20:80 -r 10.244.1.5:8080 -m -w 1\n');
  });

  it('uses serving terminating endpoints only when none is ready, never not-serving ones', () => {
    const onlyTerminating = compile(CONFIG() + svc() + slice('web', ['10.244.1.1@node-b:terminating', '10.244.1.2@node-b:notready']));
    expect(ipvsadm(onlyTerminating)).toBe('-A -t 10.96.0.20:80 -s rr\n-a -t 10.96.0.20:80 -r 10.244.1.1:8080 -m -w 1\n');
    const mixed = compile(CONFIG() + svc() + slice('web', ['10.244.1.1@node-b:terminating', '10.244.1.2@node-b', '10.244.1.3@node-b:notready']));
    expect(ipvsadm(mixed)).toBe('-A -t 10.96.0.20:80 -s rr\n-a -t 10.96.0.20:80 -r 10.244.1.2:8080 -m -w 1\n');
  });

  it('puts every local endpoint in KUBE-LOOP-BACK, ready or not', () => {
    const c = compile(CONFIG() + svc({ protocol: 'UDP' }) + slice('web', ['10.244.1.1@node-a:notready', '10.244.1.2@node-b', '10.244.1.3@node-a'], 'IPv4', 53, 'UDP'));
    expect(members(c, 'KUBE-LOOP-BACK')).toEqual(['10.244.1.1,udp:53,10.244.1.1', '10.244.1.3,udp:53,10.244.1.3']);
  });

  it('keeps Cluster policy for a ClusterIP service with external IPs whatever externalTrafficPolicy says', () => {
    const c = compile(CONFIG() + svc({ extra: '  externalIPs: [203.0.113.5]\n  externalTrafficPolicy: Local' }) + slice('web', eps.slice(1)));
    expect(members(c, 'KUBE-EXTERNAL-IP')).toEqual(['203.0.113.5,tcp:80']);
    expect(members(c, 'KUBE-EXTERNAL-IP-LOCAL')).toEqual([]);
  });
});

describe('node addresses', () => {
  it('listens on every local address of the family but loopback and link-local; external IPs on an interface are not bound', () => {
    const c = compile(
      CONFIG('', '    rulec.io/interface-addresses: "127.0.0.1/8,192.168.1.10/24,10.0.0.4/16,fe80::1/64,fd00::10/64,169.254.3.3/16"') +
        svc({ type: 'NodePort', nodePort: 30080, extra: '  externalIPs: [10.0.0.4]' }),
    );
    expect(c.ipvs.services.map((s) => `${s.address}:${s.port}`)).toEqual(['10.0.0.4:80', '10.0.0.4:30080', '10.96.0.20:80', '169.254.3.3:30080', '192.168.1.10:30080']);
    expect(c.kubeIpvs0.map((ip) => ip.text)).toEqual(['10.96.0.20']);
    expect(members(c, 'KUBE-IPVS-IPS')).toEqual(['10.96.0.20']);
  });

  it('with nodePortAddresses CIDRs, listens on matching addresses, kube-ipvs0 ones included (steady state)', () => {
    const c = compile(CONFIG('nodePortAddresses: [10.96.0.0/24, 127.0.0.0/8, "fd00::/64"]') + svc({ type: 'NodePort', nodePort: 30080 }));
    expect(c.ipvs.services.map((s) => `${s.address}:${s.port}`)).toEqual(['10.96.0.20:80', '10.96.0.20:30080']);
  });

  it('skips the NodePort part of a port, health check included, when no node address matches', () => {
    const c = compile(
      CONFIG('nodePortAddresses: [172.31.0.0/16]') +
        svc({
          type: 'LoadBalancer',
          nodePort: 30080,
          extra: '  externalTrafficPolicy: Local\n  healthCheckNodePort: 32000',
          status: 'status:\n  loadBalancer:\n    ingress: [{ip: 198.51.100.7}]',
        }),
    );
    expect(c.ipvs.services.map((s) => `${s.address}:${s.port}`)).toEqual(['10.96.0.20:80', '198.51.100.7:80']);
    expect(members(c, 'KUBE-NODE-PORT-TCP')).toEqual([]);
    expect(members(c, 'KUBE-HEALTH-CHECK-NODE-PORT')).toEqual([]);
  });

  it('adds the health-check node port of a Local LoadBalancer service', () => {
    const c = compile(
      CONFIG() +
        svc({
          type: 'LoadBalancer',
          nodePort: 30080,
          extra: '  externalTrafficPolicy: Local\n  healthCheckNodePort: 32000',
          status: 'status:\n  loadBalancer:\n    ingress: [{ip: 198.51.100.7}, {ip: 198.51.100.8, ipMode: Proxy}]',
        }),
    );
    expect(members(c, 'KUBE-HEALTH-CHECK-NODE-PORT')).toEqual(['32000']);
    expect(members(c, 'KUBE-LOAD-BALANCER')).toEqual(['198.51.100.7,tcp:80']);
    expect(members(c, 'KUBE-LOAD-BALANCER-LOCAL')).toEqual(['198.51.100.7,tcp:80']);
  });

  it('puts every node address in the SCTP NodePort hash set', () => {
    const c = compile(
      CONFIG('', '    rulec.io/interface-addresses: "192.168.1.10/24,192.168.2.10/24"') + svc({ type: 'NodePort', nodePort: 30080, protocol: 'SCTP' }),
    );
    expect(members(c, 'KUBE-NODE-PORT-SCTP-HASH')).toEqual(['192.168.1.10,sctp:30080', '192.168.2.10,sctp:30080']);
  });

  it('takes the primary node IP from the annotation, then bindAddress, then the Node, else loopback', () => {
    const primary = (yaml: string) => {
      const { cluster, settings } = loadCluster(['-'], { mode: 'ipvs' }, () => yaml);
      return proxierPrimaryNodeIP(cluster, settings).text;
    };
    expect(primary(CONFIG('bindAddress: 192.168.1.99', '    rulec.io/primary-node-ip: 192.168.1.77'))).toBe('192.168.1.77');
    expect(primary(CONFIG('bindAddress: 192.168.1.99'))).toBe('192.168.1.99');
    expect(primary(CONFIG('bindAddress: 0.0.0.0'))).toBe('192.168.1.10');
    expect(primary('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n')).toBe('127.0.0.1');
  });
});

describe('load-balancer source ranges', () => {
  const lb = (ranges: string) =>
    svc({
      type: 'LoadBalancer',
      nodePort: 30443,
      port: 443,
      extra: `  loadBalancerSourceRanges: [${ranges}]`,
      status: 'status:\n  loadBalancer:\n    ingress: [{ip: 198.51.100.7}]',
    });

  it('fills the FW and SOURCE-CIDR sets and blocks the node when no range holds its IP', () => {
    const c = compile(CONFIG() + lb('" 203.0.113.9/24 ", 10.1.2.3/32'));
    expect(members(c, 'KUBE-LOAD-BALANCER-FW')).toEqual(['198.51.100.7,tcp:443']);
    expect(members(c, 'KUBE-LOAD-BALANCER-SOURCE-CIDR')).toEqual(['198.51.100.7,tcp:443,10.1.2.3/32', '198.51.100.7,tcp:443,203.0.113.0/24']);
    expect(members(c, 'KUBE-LOAD-BALANCER-SOURCE-IP')).toEqual([]);
    expect(rulesOf(c, 'filter', 'KUBE-IPVS-OUT-FILTER')).toEqual([
      '-A KUBE-IPVS-OUT-FILTER -s 198.51.100.7 -m ipvs --vaddr 198.51.100.7 --vproto tcp --vport 443 -j DROP',
    ]);
    expect(rulesOf(c, 'filter', 'KUBE-PROXY-FIREWALL')).toEqual([
      '-A KUBE-PROXY-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port for load balancer with sourceRange" -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j KUBE-SOURCE-RANGES-FIREWALL',
    ]);
  });

  it('lets the node in through SOURCE-IP when a range holds its IP', () => {
    const c = compile(CONFIG() + lb('192.168.0.0/16'));
    expect(members(c, 'KUBE-LOAD-BALANCER-SOURCE-IP')).toEqual(['198.51.100.7,tcp:443,198.51.100.7']);
    expect(rulesOf(c, 'filter', 'KUBE-IPVS-OUT-FILTER')).toEqual([]);
  });

  it('treats a zero CIDR among the ranges as no ranges at all', () => {
    const c = compile(CONFIG() + lb('10.0.0.0/8, 0.0.0.0/0'));
    expect(members(c, 'KUBE-LOAD-BALANCER-FW')).toEqual([]);
    expect(members(c, 'KUBE-LOAD-BALANCER-SOURCE-CIDR')).toEqual([]);
  });
});

describe('the iptables payload', () => {
  it('masquerades cluster-IP traffic per the local detector, masqueradeAll first', () => {
    const rule = (extra: string, flags: SettingFlags = {}) =>
      rulesOf(compile(CONFIG(extra) + svc(), flags), 'nat', 'KUBE-SERVICES').find((l) => l.includes('KUBE-MARK-MASQ'));
    expect(rule('clusterCIDR: 10.244.0.0/16')).toBe(
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ',
    );
    expect(rule('clusterCIDR: 10.244.0.0/16\niptables: {masqueradeAll: true}')).toBe(
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ',
    );
    expect(rule('detectLocalMode: InterfaceNamePrefix\ndetectLocal: {interfaceNamePrefix: veth}')).toContain('dst,dst ! -i veth+ -j KUBE-MARK-MASQ');
    expect(rule('')).toContain('--match-set KUBE-CLUSTER-IP src,dst -j KUBE-MARK-MASQ');
  });

  it('writes the external-IP rules after the cluster-IP rule, masquerading only Cluster policy', () => {
    const c = compile(
      CONFIG() +
        svc({ extra: '  externalIPs: [203.0.113.5]' }) +
        svc({ name: 'local', clusterIP: '10.96.0.21', type: 'NodePort', nodePort: 30001, extra: '  externalIPs: [203.0.113.6]\n  externalTrafficPolicy: Local' }),
    );
    const text = printIptablesRestore(c.iptables);
    const ext = 'Kubernetes service external ip + port for masquerade and filter purpose';
    const extLocal = 'Kubernetes service external ip + port with externalTrafficPolicy=local';
    expect(text).toContain(
      [
        `-A KUBE-SERVICES -m comment --comment "${ext}" -m set --match-set KUBE-EXTERNAL-IP dst,dst -j KUBE-MARK-MASQ`,
        `-A KUBE-SERVICES -m comment --comment "${ext}" -m set --match-set KUBE-EXTERNAL-IP dst,dst -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`,
        `-A KUBE-SERVICES -m comment --comment "${ext}" -m set --match-set KUBE-EXTERNAL-IP dst,dst -m addrtype --dst-type LOCAL -j ACCEPT`,
        `-A KUBE-SERVICES -m comment --comment "${extLocal}" -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`,
        `-A KUBE-SERVICES -m comment --comment "${extLocal}" -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -m addrtype --dst-type LOCAL -j ACCEPT`,
        '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
      ].join('\n'),
    );
  });

  it('writes LB rules and --random-fully and the configured mark', () => {
    const c = compile(
      CONFIG('', '    rulec.io/masquerade-mark: "0x8000"').replace('rulec.io/random-fully: "false"', 'rulec.io/random-fully: "true"') +
        svc({ type: 'LoadBalancer', nodePort: 30080, extra: '  externalTrafficPolicy: Local', status: 'status:\n  loadBalancer:\n    ingress: [{ip: 198.51.100.7}]' }),
    );
    const text = printIptablesRestore(c.iptables);
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service lb portal" -m set --match-set KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER\n' +
        '-A KUBE-LOAD-BALANCER -m comment --comment "Kubernetes service load balancer ip + port with externalTrafficPolicy=local" -m set --match-set KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN\n' +
        '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port with externalTrafficPolicy=local" -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN\n' +
        '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ\n',
    );
    expect(text).toContain('-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT\n-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT\n');
    expect(text).toContain('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully\n');
    expect(text).toContain('-A KUBE-MARK-MASQ -j MARK --or-mark 0x8000\n');
  });

  it('sorts KUBE-IPVS-OUT-FILTER rules by address, port and protocol', () => {
    const lbSvc = (name: string, ip: string, port: number, protocol: string) =>
      svc({ name, clusterIP: `10.96.0.${port % 250}`, type: 'LoadBalancer', port, protocol, extra: '  loadBalancerSourceRanges: [203.0.113.0/24]', status: `status:\n  loadBalancer:\n    ingress: [{ip: ${ip}}]` });
    const c = compile(CONFIG() + lbSvc('a', '198.51.100.20', 80, 'UDP') + lbSvc('b', '198.51.100.3', 443, 'TCP') + lbSvc('c', '198.51.100.20', 80, 'TCP') + lbSvc('d', '198.51.100.20', 53, 'UDP'));
    expect(rulesOf(c, 'filter', 'KUBE-IPVS-OUT-FILTER').map((l) => l.replace(/.*--vaddr /, ''))).toEqual([
      '198.51.100.3 --vproto tcp --vport 443 -j DROP',
      '198.51.100.20 --vproto udp --vport 53 -j DROP',
      '198.51.100.20 --vproto tcp --vport 80 -j DROP',
      '198.51.100.20 --vproto udp --vport 80 -j DROP',
    ]);
  });
});

describe('determinism', () => {
  const docs = [
    CONFIG('clusterCIDR: 10.244.0.0/16'),
    svc({ name: 'a', type: 'NodePort', nodePort: 30001, extra: '  externalIPs: [203.0.113.5]' }),
    svc({ name: 'b', clusterIP: '10.96.0.21', protocol: 'UDP' }),
    svc({ name: 'c', clusterIP: '10.96.0.22', type: 'LoadBalancer', extra: '  loadBalancerSourceRanges: [203.0.113.0/24]', status: 'status:\n  loadBalancer:\n    ingress: [{ip: 198.51.100.7}]' }),
    slice('a', ['10.244.1.1@node-a', '10.244.1.2@node-b']),
    slice('b', ['10.244.2.1@node-c'], 'IPv4', 8080, 'UDP'),
    slice('c', ['10.244.3.1@node-a', '10.244.3.2@node-b:terminating']),
  ].map((d) => d.replace(/^\s*---\s*/, ''));
  const render = (c: IpvsCompilation) => [printIpvsadmSave(c.ipvs), printIpsetSave(c.ipsets), printIptablesRestore(c.iptables)].join('\n#\n');
  const reference = render(compile(docs.join('\n---\n')));

  it('prints the same bytes for any document order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(docs, { minLength: docs.length, maxLength: docs.length }), (order) => {
        expect(render(compile(order.join('\n---\n')))).toBe(reference);
      }),
      { numRuns: 40 },
    );
  });
});
