/**
 * Protocol numbers as iptables-save names them. iptables-save looks the number up in
 * /etc/protocols; this is that file's mapping on Debian and Ubuntu (netbase), for the protocols
 * found in rule sets. Other numbers stay numbers, which iptables also accepts.
 */
const NAMES: ReadonlyMap<string, string> = new Map([
  ['1', 'icmp'],
  ['2', 'igmp'],
  ['4', 'ipencap'],
  ['6', 'tcp'],
  ['17', 'udp'],
  ['33', 'dccp'],
  ['41', 'ipv6'],
  ['47', 'gre'],
  ['50', 'esp'],
  ['51', 'ah'],
  ['58', 'ipv6-icmp'],
  ['89', 'ospf'],
  ['94', 'ipip'],
  ['103', 'pim'],
  ['112', 'vrrp'],
  ['132', 'sctp'],
  ['135', 'mobility-header'],
  ['136', 'udplite'],
]);

/**
 * The `-p` value for a listing's prot column: undefined for `all`/`0` (no protocol match),
 * the iptables-save name for a known number, the text itself otherwise.
 */
export function protocolArg(prot: string): string | undefined {
  if (prot === 'all' || prot === '0') return undefined;
  return NAMES.get(prot) ?? prot;
}
