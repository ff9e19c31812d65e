import { rule } from '../../ast/rule-builder.js';
import type { IptablesRuleSet, Rule } from '../../ast/types.js';
import { withBuiltinChains, type BuiltinRules } from '../builtin-chains.js';
import { FIXED_COMMENTS } from '../../kube/rule-comments.js';
import { NEWEST_PROFILE, type KubeProxyHook, type KubeProxyProfile } from '../../kube/kube-proxy-profiles.js';

/** The rule of one jump: `[-m conntrack --ctstate NEW] [-m comment --comment C] -j TARGET`. */
function hookRule(h: KubeProxyHook): Rule {
  let r = rule();
  if (h.newConnOnly) r = r.match('conntrack').opt('--ctstate', 'NEW');
  if (h.comment) r = r.comment(FIXED_COMMENTS[h.comment]);
  return r.jump(h.target).build();
}

/**
 * The jumps kube-proxy of the profile's releases installs in the built-in chains (outside its
 * restore text), per chain, top first: each is inserted at the top, so the last one ensured is
 * the first rule.
 */
export function hookRulesFor(profile: KubeProxyProfile): BuiltinRules {
  return (table, chain, declared) =>
    profile.hooks
      .filter((h) => h.table === table && h.chain === chain && (!h.optional || declared.has(h.target)))
      .map(hookRule)
      .reverse();
}

/** Adds the built-in chains (policy ACCEPT) and the jumps of the profile's kube-proxy (default: the newest) into its chains. */
export function addHooks(ruleSet: IptablesRuleSet, profile: KubeProxyProfile = NEWEST_PROFILE): IptablesRuleSet {
  return withBuiltinChains(ruleSet, hookRulesFor(profile));
}
