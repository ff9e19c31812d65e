import { STANDARD_TARGETS, TARGET_OPTIONS } from '../../ast/xtables/modules.js';

/**
 * Target extensions of iptables (iptables-extensions(8)) besides those whose options rulec
 * reads: a `-j` to one of these names a target, not a chain.
 */
const MORE_TARGETS = [
  'CLUSTERIP',
  'DNPT',
  'SNPT',
  'ECN',
  'HMARK',
  'LED',
  'RATEEST',
  'SYNPROXY',
  'TCPOPTSTRIP',
  'ULOG',
  'MIRROR',
  'SAME',
  'NETMAP',
  'JOOL',
  'JOOL_SIIT',
  'TARPIT',
  'IPMARK',
  'CHAOS',
  'DELUDE',
  'ACCOUNT',
  'CONNMARK',
];

const TARGETS: ReadonlySet<string> = new Set([...STANDARD_TARGETS, ...Object.keys(TARGET_OPTIONS), ...MORE_TARGETS]);

/** Whether `name` after `-j` is a built-in verdict or a target extension rather than a chain. */
export function isTargetExtension(name: string): boolean {
  return TARGETS.has(name);
}

/** Targets that end the traversal of the chain for every packet they see. */
const TERMINATING: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'QUEUE', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);

/** Whether a target stops the chain: a verdict, a NAT target, or any `-g` (goto). */
export function isTerminating(name: string, kind: 'jump' | 'goto'): boolean {
  if (kind === 'goto') return true;
  return TERMINATING.has(name);
}
