import { rule, type RuleBuilder } from '../../ast/rule-builder.js';
import type { IptablesRuleSet } from '../../ast/types.js';
import type { ProxySettings } from '../../model/settings.js';
import { compareIps } from '../../kube/ip.js';
import { ipsetName, ipsetSpec, type SetKey } from './ipset-catalogue.js';
import { TablesBuilder } from '../xtables/tables-builder.js';
import { writeForwardAcceptRules, writeMasqueradeRules } from '../xtables/shared-rules.js';
import type { IpvsState, NoNodeAccessEntry } from './state.js';
import { ifNotLocal } from '../local-traffic.js';
import type { KubeProxyIpvsProfile } from '../../kube/kube-proxy-ipvs-profiles.js';
import { FIXED_COMMENTS } from '../../kube/rule-comments.js';

/**
 * The iptables-restore payload kube-proxy writes in IPVS mode (`iptables-restore --noflush
 * --counters`): fixed chains whose rules match the ipsets. Its order is kube-proxy's write
 * order, which is already deterministic: `*nat` then `*filter`, chain lines in a fixed order,
 * then the rules as they are appended, chains interleaved.
 */

/** The chains kube-proxy declares in its restore text (`iptablesChains`), in its order. */
export function ipvsChains(profile: KubeProxyIpvsProfile): { nat: string[]; filter: string[] } {
  const nat = ['KUBE-SERVICES', 'KUBE-POSTROUTING'];
  if (profile.natFirewallChain) nat.push('KUBE-FIREWALL');
  nat.push('KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ');
  if (profile.declaresMarkDrop) nat.push('KUBE-MARK-DROP');
  const filter = ['KUBE-FORWARD'];
  if (profile.healthCheckNodePorts) filter.push('KUBE-NODE-PORT');
  if (!profile.natFirewallChain) filter.push('KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL');
  if (profile.ipvsFilterSets) filter.push('KUBE-IPVS-FILTER');
  if (profile.outFilter) filter.push('KUBE-IPVS-OUT-FILTER');
  return { nat, filter };
}

interface SetRule {
  set: SetKey;
  table: 'nat' | 'filter';
  from: string;
  to: string;
  match: string;
  protocol?: string;
}

/**
 * The rules kube-proxy writes for a set when it has members, in its order
 * (`ipsetWithIptablesChain`). Up to 1.24 the source-range rules are nat rules around the nat
 * chain KUBE-FIREWALL, right after the load-balancer jump; the SCTP masquerade rule comes before
 * its Local RETURN up to 1.22.
 */
function setRules(profile: KubeProxyIpvsProfile): SetRule[] {
  const sourceRanges: SetRule[] = profile.natFirewallChain
    ? [
        { set: 'loadBalancerFW', table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'KUBE-FIREWALL', match: 'dst,dst' },
        { set: 'loadBalancerSourceCIDR', table: 'nat', from: 'KUBE-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
        { set: 'loadBalancerSourceIP', table: 'nat', from: 'KUBE-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
      ]
    : [
        { set: 'loadBalancerFW', table: 'filter', from: 'KUBE-PROXY-FIREWALL', to: 'KUBE-SOURCE-RANGES-FIREWALL', match: 'dst,dst' },
        { set: 'loadBalancerSourceCIDR', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
        { set: 'loadBalancerSourceIP', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
      ];
  const sctpLocal: SetRule = { set: 'nodePortLocalSCTP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst,dst', protocol: 'sctp' };
  const sctp: SetRule = { set: 'nodePortSCTP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst,dst', protocol: 'sctp' };
  // 1.12-1.14: bitmap sets; KUBE-SERVICES jumps on the port, KUBE-NODE-PORT RETURNs Local ones.
  const sctpBitmap: SetRule[] = [
    { set: 'nodePortSCTPBitmap', table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-NODE-PORT', match: 'dst', protocol: 'sctp' },
    { set: 'nodePortLocalSCTPBitmap', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', protocol: 'sctp' },
  ];
  const sctpRules = profile.sctpNodePorts === 'bitmap' ? sctpBitmap : profile.sctpMasqueradeFirst ? [sctp, sctpLocal] : [sctpLocal, sctp];
  return [
    { set: 'loopBack', table: 'nat', from: 'KUBE-POSTROUTING', to: 'MASQUERADE', match: 'dst,dst,src' },
    { set: 'loadBalancer', table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-LOAD-BALANCER', match: 'dst,dst' },
    ...(profile.natFirewallChain ? sourceRanges : []),
    { set: 'loadBalancerLocal', table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'RETURN', match: 'dst,dst' },
    { set: 'nodePortLocalTCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', protocol: 'tcp' },
    { set: 'nodePortTCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', protocol: 'tcp' },
    { set: 'nodePortLocalUDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', protocol: 'udp' },
    { set: 'nodePortUDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', protocol: 'udp' },
    ...sctpRules,
    ...(profile.natFirewallChain ? [] : sourceRanges),
  ];
}

/** KUBE-IPVS-OUT-FILTER entries by address (numerically), then port, then protocol. */
export function compareNoNodeAccess(a: NoNodeAccessEntry, b: NoNodeAccessEntry): number {
  return compareIps(a.ip, b.ip) || a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0);
}

export function writeIpvsPayload(state: IpvsState, settings: ProxySettings): IptablesRuleSet {
  const profile = settings.ipvsProfile;
  const out = new TablesBuilder(['nat', 'filter'], { keepWriteOrder: true });
  const chains = ipvsChains(profile);
  for (const c of chains.nat) out.declare('nat', c);
  for (const c of chains.filter) out.declare('filter', c);
  const name = (key: SetKey) => ipsetName(key, settings.family);
  const setMatch = (r: RuleBuilder, key: SetKey, match: string) => r.match('set').opt('--match-set', name(key), match);
  const commented = (key: SetKey) => rule().comment(ipsetSpec(key).comment);
  const mark = settings.masqueradeMark;

  // 0. Up to 1.18 the masquerade and mark rules come first (written while the chains are made).
  if (profile.markRules === 'set-xmark') writeSetXmarkRules(out, settings, profile);

  // 1. Connections from the node's loopback leave the service chain at once (1.26+).
  if (profile.ipvsFilterSets) out.add('nat', 'KUBE-SERVICES', rule().opt('-s', settings.family === 'ipv4' ? '127.0.0.0/8' : '::1/128').jump('RETURN').build());

  // 2. The table-driven rules of the sets that have members.
  for (const s of setRules(profile)) {
    if (!state.hasMembers(s.set)) continue;
    const r = rule();
    if (s.protocol) r.opt('-p', s.protocol);
    r.comment(ipsetSpec(s.set).comment);
    out.add(s.table, s.from, setMatch(r, s.set, s.match).jump(s.to).build());
  }

  // 3. Masquerade traffic to cluster IPs that does not come from a pod.
  if (state.hasMembers('clusterIP')) {
    const r = commented('clusterIP');
    if (settings.masqueradeAll) setMatch(r, 'clusterIP', 'dst,dst');
    else if (settings.localDetector.kind !== 'none') ifNotLocal(setMatch(r, 'clusterIP', 'dst,dst'), settings.localDetector);
    else setMatch(r, 'clusterIP', 'src,dst');
    out.add('nat', 'KUBE-SERVICES', r.jump('KUBE-MARK-MASQ').build());
  }

  // 4, 5. External IPs: masquerade (Cluster policy only), and accept off-node or node-local traffic.
  const externalRules = (key: SetKey, masquerade: boolean) => {
    if (!state.hasMembers(key)) return;
    if (masquerade) out.add('nat', 'KUBE-SERVICES', setMatch(commented(key), key, 'dst,dst').jump('KUBE-MARK-MASQ').build());
    out.add(
      'nat',
      'KUBE-SERVICES',
      setMatch(commented(key), key, 'dst,dst').match('physdev').not('--physdev-is-in').match('addrtype').not('--src-type', 'LOCAL').jump('ACCEPT').build(),
    );
    out.add('nat', 'KUBE-SERVICES', setMatch(commented(key), key, 'dst,dst').match('addrtype').opt('--dst-type', 'LOCAL').jump('ACCEPT').build());
  };
  externalRules('externalIP', true);
  externalRules('externalIPLocal', false);

  // 6-8. NodePorts, load-balancer masquerade, the source-range firewall's default.
  out.add('nat', 'KUBE-SERVICES', rule().match('addrtype').opt('--dst-type', 'LOCAL').jump('KUBE-NODE-PORT').build());
  out.add('nat', 'KUBE-LOAD-BALANCER', rule().jump('KUBE-MARK-MASQ').build());
  if (profile.natFirewallChain) out.add('nat', 'KUBE-FIREWALL', rule().jump('KUBE-MARK-DROP').build());
  else out.add('filter', 'KUBE-SOURCE-RANGES-FIREWALL', rule().jump('DROP').build());

  // 9. Load balancers whose source ranges leave the node out: the node may not reach them (1.29+).
  for (const e of profile.outFilter ? [...state.noNodeAccess].sort(compareNoNodeAccess) : []) {
    out.add(
      'filter',
      'KUBE-IPVS-OUT-FILTER',
      rule()
        .opt('-s', e.ip.text)
        .match('ipvs')
        .opt('--vaddr', e.ip.text)
        .opt('--vproto', e.protocol)
        .opt('--vport', String(e.port))
        .jump('DROP')
        .build(),
    );
  }

  // 10. Accept traffic to virtual services, whatever later rules say.
  for (const key of ['clusterIP', 'loadBalancer'] as const) {
    if (state.hasMembers(key)) out.add('nat', 'KUBE-SERVICES', setMatch(rule(), key, 'dst,dst').jump('ACCEPT').build());
  }

  // 11. Forwarding, health checks and the access filter of kube-ipvs0's addresses.
  if (profile.oneForwardConntrackRule) writeForwardAcceptRules(out, mark);
  else writeOlderForwardRules(out, settings, profile);
  if (profile.healthCheckNodePorts) {
    out.add('filter', 'KUBE-NODE-PORT', setMatch(commented('healthCheckNodePort'), 'healthCheckNodePort', 'dst').jump('ACCEPT').build());
  }
  if (profile.ipvsFilterSets) {
    for (const key of profile.ipvsFilterSets) {
      const match = ipsetSpec(key).type === 'bitmap:port' ? 'dst' : 'dst,dst';
      out.add('filter', 'KUBE-IPVS-FILTER', setMatch(rule(), key, match).jump('RETURN').build());
    }
    out.add('filter', 'KUBE-IPVS-FILTER', setMatch(rule().match('conntrack').opt('--ctstate', 'NEW'), 'ipvsIPs', 'dst').jump('REJECT').build());
  }

  // 12. Masquerade marked traffic once, and the mark itself (1.19+).
  if (profile.markRules === 'or-mark') writeMasqueradeRules(out, profile.randomFully ? settings : { ...settings, randomFully: false });

  return out.build(settings.family);
}

/** The mark as kube-proxy up to 1.18 wrote it: `value/mask`, both the bit (`%#08x/%#08x`). */
function markWithMask(settings: ProxySettings): string {
  return `${settings.masqueradeMark}/${settings.masqueradeMark}`;
}

/**
 * Up to 1.18: one KUBE-POSTROUTING rule masquerading marked packets (the mark is not cleared)
 * and KUBE-MARK-MASQ setting it with `--set-xmark`.
 */
function writeSetXmarkRules(out: TablesBuilder, settings: ProxySettings, profile: KubeProxyIpvsProfile): void {
  const mark = markWithMask(settings);
  const masq = rule().comment(FIXED_COMMENTS.snat).match('mark').opt('--mark', mark).jump('MASQUERADE');
  if (profile.randomFully && settings.randomFully) masq.opt('--random-fully');
  out.add('nat', 'KUBE-POSTROUTING', masq.build());
  out.add('nat', 'KUBE-MARK-MASQ', rule().jump('MARK', { flag: '--set-xmark', negated: false, values: [mark] }).build());
}

/**
 * KUBE-FORWARD before 1.23: the accept of marked traffic, then the conntrack accept twice under
 * two comments; up to 1.17 those two match the cluster CIDR (`-s`, then `-d` after the comment)
 * and are only written with one; up to 1.18 the mark is matched as kube-proxy wrote it.
 */
function writeOlderForwardRules(out: TablesBuilder, settings: ProxySettings, profile: KubeProxyIpvsProfile): void {
  const mark = profile.markRules === 'set-xmark' ? markWithMask(settings) : `${settings.masqueradeMark}/${settings.masqueradeMark}`;
  out.add('filter', 'KUBE-FORWARD', rule().comment(FIXED_COMMENTS.forwarding).match('mark').opt('--mark', mark).jump('ACCEPT').build());
  const conntrack = (r: RuleBuilder) => r.match('conntrack').opt('--ctstate', 'RELATED,ESTABLISHED').jump('ACCEPT').build();
  if (!profile.forwardConntrackCidr) {
    for (const comment of [FIXED_COMMENTS.forwardingConntrackPodSource, FIXED_COMMENTS.forwardingConntrackPodDestination]) {
      out.add('filter', 'KUBE-FORWARD', conntrack(rule().comment(comment)));
    }
    return;
  }
  const detector = settings.localDetector;
  if (detector.kind !== 'cidr') return;
  const cidr = detector.cidr.text;
  out.add('filter', 'KUBE-FORWARD', conntrack(rule().opt('-s', cidr).comment(FIXED_COMMENTS.forwardingConntrackPodSource)));
  out.add('filter', 'KUBE-FORWARD', conntrack(rule().comment(FIXED_COMMENTS.forwardingConntrackPodDestination).opt('-d', cidr)));
}
