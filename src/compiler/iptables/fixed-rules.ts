import type { ProxySettings } from '../../model/settings.js';
import { localhostNodePortsEffective, nodePortAddresses, nodePortHostIPs, nodePortsKeepLoopback } from '../node-port-addresses.js';
import type { IptablesSink } from '../xtables/rule-sink.js';
import { writeForwardAcceptRules, writeMasqueradeRules } from '../xtables/shared-rules.js';
import { FIXED_COMMENTS } from '../../kube/rule-comments.js';

/** The chains kube-proxy always writes, in its own order (canonical order is applied later). */
export const FILTER_CHAINS = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'] as const;
export const NAT_CHAINS = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'] as const;

export function writesKubeFirewall(settings: ProxySettings): boolean {
  return settings.family === 'ipv4' && localhostNodePortsEffective(settings) && settings.profile.kubeFirewallChain && settings.kubeFirewallChain;
}

/** nfacct counter matches: kube-proxy 1.31+ on a node that has them (`rulec.io/nfacct`). */
export function writesNfacct(settings: ProxySettings): boolean {
  return settings.profile.nfacct && settings.nfacct;
}

/** Whether the kube-proxy release writes one of the FILTER_CHAINS. */
function writesFilterChain(settings: ProxySettings, chain: (typeof FILTER_CHAINS)[number]): boolean {
  if (chain === 'KUBE-PROXY-FIREWALL') return settings.profile.proxyFirewallChain;
  if (chain === 'KUBE-NODEPORTS') return settings.profile.filterNodePortsChain;
  if (chain === 'KUBE-EXTERNAL-SERVICES') return settings.profile.externalServicesChain;
  if (chain === 'KUBE-FORWARD') return settings.profile.forwardChain;
  return true;
}

/**
 * kube-proxy 1.2 to 1.18's masquerade chains: KUBE-POSTROUTING one rule that masquerades marked
 * packets (keeping the mark), KUBE-MARK-MASQ setting the mark with `--set-xmark M/M`.
 */
function writeOneRuleMasquerade(out: IptablesSink, settings: ProxySettings): void {
  const mark = `${settings.masqueradeMark}/${settings.masqueradeMark}`;
  const masq = out.rule('nat', 'KUBE-POSTROUTING').comment(FIXED_COMMENTS.snat).match('mark').opt('--mark', mark).jump('MASQUERADE');
  if (settings.randomFully && settings.profile.randomFully) masq.opt('--random-fully');
  masq.add();
  out.rule('nat', 'KUBE-MARK-MASQ').jump('MARK', { flag: '--set-xmark', negated: false, values: [mark] }).add();
}

/** Chain lines and the rules written before any service. */
export function writeLeadingFixedRules(out: IptablesSink, settings: ProxySettings): void {
  for (const c of FILTER_CHAINS) if (writesFilterChain(settings, c)) out.declare('filter', c);
  if (writesKubeFirewall(settings)) out.declare('filter', 'KUBE-FIREWALL');
  for (const c of NAT_CHAINS) out.declare('nat', c);

  if (settings.profile.oneRulePostrouting) writeOneRuleMasquerade(out, settings);
  else writeMasqueradeRules(out, settings);

  if (writesKubeFirewall(settings)) {
    out.rule('filter', 'KUBE-FIREWALL')
        .comment(FIXED_COMMENTS.localnetBlock)
        .opt('-d', '127.0.0.0/8')
        .not('-s', '127.0.0.0/8')
        .match('conntrack')
        .not('--ctstate', 'RELATED,ESTABLISHED,DNAT')
        .jump('DROP')
        .add();
  }
}

const NODEPORTS_COMMENT = FIXED_COMMENTS.nodePorts;

/** The rules written after every service: the KUBE-NODEPORTS jump and KUBE-FORWARD. */
export function writeTrailingFixedRules(out: IptablesSink, settings: ProxySettings): void {
  const npa = nodePortAddresses(settings);
  const localhost = localhostNodePortsEffective(settings);
  // Before the localhostNodePorts setting (1.26), NodePorts answer on loopback in both families.
  const loopbackSetting = settings.profile.localhostNodePortsSetting;
  if (npa.matchAll) {
    const r = out.rule('nat', 'KUBE-SERVICES').comment(NODEPORTS_COMMENT).match('addrtype').opt('--dst-type', 'LOCAL');
    if (loopbackSetting) {
      if (settings.family === 'ipv6') r.not('-d', '::1/128');
      else if (!localhost) r.not('-d', '127.0.0.0/8');
    }
    r.jump('KUBE-NODEPORTS').add();
  } else {
    for (const ip of nodePortHostIPs(settings, npa, nodePortsKeepLoopback(settings))) {
      out.rule('nat', 'KUBE-SERVICES').comment(NODEPORTS_COMMENT).opt('-d', ip.text).jump('KUBE-NODEPORTS').add();
    }
  }

  if (!settings.profile.forwardChain) return;
  const mark = settings.masqueradeMark;
  if (!settings.tcpBeLiberal && settings.profile.forwardInvalidDrop) {
    const r = out.rule('filter', 'KUBE-FORWARD').match('conntrack').opt('--ctstate', 'INVALID');
    if (writesNfacct(settings)) r.match('nfacct').opt('--nfacct-name', 'ct_state_invalid_dropped_pkts');
    r.jump('DROP').add();
  }
  if (settings.profile.oneForwardConntrackRule) writeForwardAcceptRules(out, mark);
  else {
    // Before 1.23: the mark rule, then two conntrack rules alike but for their comments.
    out.rule('filter', 'KUBE-FORWARD').comment(FIXED_COMMENTS.forwarding).match('mark').opt('--mark', `${mark}/${mark}`).jump('ACCEPT').add();
    const detector = settings.localDetector;
    if (!settings.profile.forwardConntrackCidr) {
      for (const c of [FIXED_COMMENTS.forwardingConntrackPodSource, FIXED_COMMENTS.forwardingConntrackPodDestination]) {
        out.rule('filter', 'KUBE-FORWARD').comment(c).match('conntrack').opt('--ctstate', 'RELATED,ESTABLISHED').jump('ACCEPT').add();
      }
    } else if (detector.kind === 'cidr') {
      // 1.9-1.17: from and to the cluster CIDR, and only with one.
      const cidr = detector.cidr.text;
      out.rule('filter', 'KUBE-FORWARD').opt('-s', cidr).comment(FIXED_COMMENTS.forwardingConntrackPodSource).match('conntrack').opt('--ctstate', 'RELATED,ESTABLISHED').jump('ACCEPT').add();
      out.rule('filter', 'KUBE-FORWARD').comment(FIXED_COMMENTS.forwardingConntrackPodDestination).opt('-d', cidr).match('conntrack').opt('--ctstate', 'RELATED,ESTABLISHED').jump('ACCEPT').add();
    }
  }
}
