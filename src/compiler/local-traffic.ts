import type { RuleWords } from '../ast/rule-builder.js';
import type { LocalDetector } from '../model/settings.js';

/**
 * The match that tells traffic from this node's pods (kube-proxy's local traffic detector): the
 * cluster CIDR as a source, the bridge or the interface prefix as the input interface. Shared by
 * the iptables and IPVS backends.
 */

/** Adds "the packet comes from a local pod" to `r` (nothing when no detector is set). */
export function ifLocal<R extends RuleWords>(r: R, d: LocalDetector): R {
  if (d.kind === 'cidr') return r.opt('-s', d.cidr.text);
  if (d.kind === 'bridge') return r.opt('-i', d.name);
  if (d.kind === 'prefix') return r.opt('-i', `${d.prefix}+`);
  return r;
}

/** Adds "the packet does not come from a local pod" to `r` (nothing when no detector is set). */
export function ifNotLocal<R extends RuleWords>(r: R, d: LocalDetector): R {
  if (d.kind === 'cidr') return r.not('-s', d.cidr.text);
  if (d.kind === 'bridge') return r.not('-i', d.name);
  if (d.kind === 'prefix') return r.not('-i', `${d.prefix}+`);
  return r;
}
