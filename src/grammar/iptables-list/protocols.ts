import { protocolNameOf } from '../../ast/xtables/netdb.js';

/**
 * The `-p` value for a listing's prot column: undefined for `all`/`0` (no protocol match),
 * the iptables-save name for a known number, the text itself otherwise.
 */
export function protocolArg(prot: string): string | undefined {
  if (prot === 'all' || prot === '0') return undefined;
  // iptables-save names a number as /etc/protocols does (netbase's file, in netdb.ts).
  return /^\d+$/.test(prot) ? (protocolNameOf(Number(prot)) ?? prot) : prot;
}
