import { writeIpsetSave } from '../../ast/print-ipset.js';
import { ByteWriter } from '../../ast/byte-writer.js';
import { printIptablesSave } from '../../ast/print-as-saved.js';
import { writeIptablesRestore } from '../../ast/print-iptables.js';
import { writeIpvsadmSave } from '../../ast/print-ipvs.js';
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
  return ipvsEmitWriter(c, emit, options).toString();
}

/** The same as UTF-8 bytes, for a file or a pipe. */
export function ipvsEmitBytes(c: IpvsCompilation, emit: IpvsEmit, options: IpvsEmitOptions = {}): Buffer {
  return ipvsEmitWriter(c, emit, options).bytes();
}

function ipvsEmitWriter(c: IpvsCompilation, emit: IpvsEmit, options: IpvsEmitOptions): ByteWriter {
  const out = new ByteWriter(1 << 20);
  const iptables = () => {
    const ruleSet = options.withHooks ? addIpvsHooks(c.iptables, c.profile) : c.iptables;
    if (options.asSaved) out.write(printIptablesSave(ruleSet));
    else writeIptablesRestore(out, ruleSet);
  };
  switch (emit) {
    case 'ipvsadm':
      writeIpvsadmSave(out, c.ipvs);
      break;
    case 'ipset':
      writeIpsetSave(out, c.ipsets);
      break;
    case 'iptables':
      iptables();
      break;
    case 'kube-ipvs0':
      out.write(printKubeIpvs0(c.kubeIpvs0));
      break;
    case 'all':
      // The three sections, each under its header, separated by an empty line.
      out.write(sectionHeader('ipvsadm'));
      writeIpvsadmSave(out, c.ipvs);
      out.write(`\n${sectionHeader('ipset')}`);
      writeIpsetSave(out, c.ipsets);
      out.write(`\n${sectionHeader('iptables')}`);
      iptables();
      break;
  }
  return out;
}
