import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Runs the real netfilter tools inside a private network namespace (`unshare -n`), so loading
 * rules never touches the machine's own tables.
 */

const SBIN = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

export function haveTool(name: string): boolean {
  return SBIN.some((d) => existsSync(`${d}/${name}`));
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Whether kernel tests can run: root, unshare, and the given tools. */
export function canRunKernel(...tools: string[]): boolean {
  return isRoot && haveTool('unshare') && tools.every(haveTool);
}

export interface ShellResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a shell script in a fresh network namespace with `input` on stdin. */
export function inNamespace(script: string, input = ''): ShellResult {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The nfacct counters kube-proxy creates before it writes rules that name them. */
export const NFACCT_COUNTERS = ['ct_state_invalid_dropped_pkts', 'localhost_nps_accepted_pkts'];

const nfacctSetup = () => (haveTool('nfacct') ? NFACCT_COUNTERS.map((c) => `nfacct add ${c} >/dev/null;`).join(' ') : '');

/**
 * Loads restore text with `<tool>` (e.g. `iptables-nft-restore`) for real, then dumps it with the
 * matching save tool. Returns the load's result and the dump.
 */
export function loadAndSave(restoreTool: string, text: string, extraSetup = ''): ShellResult {
  const saveTool = restoreTool.replace('-restore', '-save');
  return inNamespace(`${nfacctSetup()} ${extraSetup} ${restoreTool} && ${saveTool}`, text);
}

/** `iptables-restore --test`: parses and checks without committing (after `extraSetup`, if any). */
export function restoreTest(restoreTool: string, text: string, extraSetup = ''): ShellResult {
  return inNamespace(`${nfacctSetup()} ${extraSetup} ${restoreTool} --test`, text);
}
