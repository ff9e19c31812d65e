import { printIpsetSave } from '../../ast/print-ipset.js';
import { printIptablesSave } from '../../ast/print-as-saved.js';
import { printIptablesRestore } from '../../ast/print-iptables.js';
import { printIpvsadmSave } from '../../ast/print-ipvs.js';
import { addIpvsHooks } from './hooks.js';
import type { IpvsCompilation } from './index.js';
import { printKubeIpvs0 } from './kube-ipvs0.js';

/** What `rulec compile --mode ipvs --emit …` prints. */
export type IpvsEmit = 'ipvsadm' | 'ipset' | 'iptables' | 'all' | 'kube-ipvs0';

export const IPVS_EMITS: readonly IpvsEmit[] = ['ipvsadm', 'ipset', 'iptables', 'all', 'kube-ipvs0'];

export function isIpvsEmit(s: string): s is IpvsEmit {
  return (IPVS_EMITS as readonly string[]).includes(s);
}

export interface IpvsEmitOptions {
  /** Add the built-in chains and kube-proxy's jumps into its chains to the iptables text. */
  withHooks?: boolean;
  /** Print the iptables text as iptables-save prints it after loading (see print-as-saved.ts). */
  asSaved?: boolean;
}

/** The `# --- NAME ---` line that starts each section of `--emit all`. */
export function sectionHeader(name: string): string {
  return `# --- ${name} ---\n`;
}

/**
 * The text of one emit: `ipvsadm -R` input (`ipvsadm -S -n` format), `ipset restore` input,
 * the iptables-restore payload, kube-ipvs0's addresses, or the first three under section headers.
 */
export function ipvsEmitText(c: IpvsCompilation, emit: IpvsEmit, options: IpvsEmitOptions = {}): string {
  const iptables = () => {
    const ruleSet = options.withHooks ? addIpvsHooks(c.iptables) : c.iptables;
    return options.asSaved ? printIptablesSave(ruleSet) : printIptablesRestore(ruleSet);
  };
  switch (emit) {
    case 'ipvsadm':
      return printIpvsadmSave(c.ipvs);
    case 'ipset':
      return printIpsetSave(c.ipsets);
    case 'iptables':
      return iptables();
    case 'kube-ipvs0':
      return printKubeIpvs0(c.kubeIpvs0);
    case 'all':
      return [
        sectionHeader('ipvsadm') + printIpvsadmSave(c.ipvs),
        sectionHeader('ipset') + printIpsetSave(c.ipsets),
        sectionHeader('iptables') + iptables(),
      ].join('\n');
  }
}
