import type { ProxySettings } from '../../model/settings.js';
import { FIXED_COMMENTS } from '../../kube/rule-comments.js';
import type { IptablesSink } from './rule-sink.js';

/**
 * The iptables rules that iptables mode and IPVS mode both write, the same in each: the
 * masquerade chains and KUBE-FORWARD's accepts.
 */

/**
 * KUBE-POSTROUTING masquerades marked packets once (clearing the mark), KUBE-MARK-MASQ sets the
 * mark: the same in iptables and IPVS mode.
 */
export function writeMasqueradeRules(out: IptablesSink, settings: ProxySettings): void {
  const mark = settings.masqueradeMark;
  out.rule('nat', 'KUBE-POSTROUTING').match('mark').not('--mark', `${mark}/${mark}`).jump('RETURN').add();
  out.rule('nat', 'KUBE-POSTROUTING').jump('MARK', { flag: '--xor-mark', negated: false, values: [mark] }).add();
  const masq = out.rule('nat', 'KUBE-POSTROUTING').comment(FIXED_COMMENTS.snat).jump('MASQUERADE');
  if (settings.randomFully) masq.opt('--random-fully');
  masq.add();
  out.rule('nat', 'KUBE-MARK-MASQ').jump('MARK', { flag: '--or-mark', negated: false, values: [mark] }).add();
}

/** KUBE-FORWARD's accepts of marked traffic and of established connections (both modes). */
export function writeForwardAcceptRules(out: IptablesSink, mark: string): void {
  out.rule('filter', 'KUBE-FORWARD').comment(FIXED_COMMENTS.forwarding).match('mark').opt('--mark', `${mark}/${mark}`).jump('ACCEPT').add();
  out.rule('filter', 'KUBE-FORWARD').comment(FIXED_COMMENTS.forwardingConntrack).match('conntrack').opt('--ctstate', 'RELATED,ESTABLISHED').jump('ACCEPT').add();
}
