import { canonicalIpsets } from './canonical-ipset.js';
import { canonicalIpvs } from './canonical-ipvs.js';
import { canonicalizeIptables } from './canonical-order.js';
import { printIpsetList, printIpsetSave } from './print-ipset.js';
import { printIptablesRestore, printIptablesRules } from './print-iptables.js';
import { printIpvsadmList, printIpvsadmSave } from './print-ipvs.js';
import { printNft } from './print-nft.js';
import type { IptablesRuleSet, RuleSet } from './types.js';

/** A rule set's canonical text in the format it was read from; undefined when none is printed. */
export function canonicalText(rs: RuleSet): string | undefined {
  switch (rs.origin) {
    case 'iptables-save':
    case 'compiled':
      if (rs.kind !== 'iptables') return undefined;
      return printIptablesRestore(canonicalizeIptables(rs), { ruleCounters: hasRuleCounters(rs) });
    case 'iptables-rules':
      if (rs.kind !== 'iptables') return undefined;
      return printIptablesRules(canonicalizeIptables(rs), { counters: hasRuleCounters(rs) });
    case 'ipvsadm-save':
      return rs.kind === 'ipvs' ? printIpvsadmSave(canonicalIpvs(rs)) : undefined;
    case 'ipvsadm-list':
      return rs.kind === 'ipvs' ? printIpvsadmList(canonicalIpvs(rs)) : undefined;
    case 'ipset-save':
      return rs.kind === 'ipset' ? printIpsetSave(canonicalIpsets(rs)) : undefined;
    case 'ipset-list':
      return rs.kind === 'ipset' ? printIpsetList(canonicalIpsets(rs)) : undefined;
    case 'nft':
      // A listing and `nft -f` text both print as the `nft -f` text kube-proxy writes.
      return rs.kind === 'nft' ? printNft(rs) : undefined;
    default:
      return undefined;
  }
}

function hasRuleCounters(rs: IptablesRuleSet): boolean {
  return rs.tables.some((t) => t.chains.some((c) => c.rules.some((r) => r.counters !== undefined)));
}
