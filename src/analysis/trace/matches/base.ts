import type { Arg } from '../../../ast/types.js';
import { addressMatches, parseAddressSpec } from '../address-spec.js';
import { negate, notModelled, yesNo, type MatchContext, type MatchVerdict } from '../match-context.js';
import { own } from '../../../records.js';

const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '132': 'sctp', '1': 'icmp', '58': 'icmp', '0': 'all' };

/** The base options of a rule: `-s`, `-d`, `-p`, `-i`, `-o`, `-f`, `-4`, `-6`. */
export function baseMatch(arg: Arg, ctx: MatchContext): MatchVerdict {
  const p = ctx.packet;
  const value = arg.values[0] ?? '';
  switch (arg.flag) {
    case '-s':
    case '-d': {
      const spec = parseAddressSpec(value);
      if (!spec) return notModelled(`${arg.flag} ${value} (not an address; a listing without -n?)`);
      return negate(yesNo(addressMatches(spec, arg.flag === '-s' ? p.src : p.dst)), arg.negated);
    }
    case '-p': {
      const name = own(PROTOCOL_NUMBERS, value) ?? value.toLowerCase();
      if (name === 'all') return negate(yesNo(true), arg.negated);
      const mine = p.protocol === 'icmp' ? (p.family === 'ipv6' ? ['icmp', 'ipv6-icmp', 'icmpv6'] : ['icmp']) : [p.protocol];
      return negate(yesNo(mine.includes(name)), arg.negated);
    }
    case '-i':
    case '-o': {
      const iface = arg.flag === '-i' ? p.inIface : p.outIface;
      if (arg.flag === '-i' && (ctx.hook === 'OUTPUT' || ctx.hook === 'POSTROUTING')) return negate(yesNo(false), arg.negated);
      if (arg.flag === '-o' && (ctx.hook === 'PREROUTING' || ctx.hook === 'INPUT')) return negate(yesNo(false), arg.negated);
      if (iface === null) return notModelled(`${arg.negated ? '! ' : ''}${arg.flag} ${value} (the interface is not known; pass --in-iface)`);
      return negate(yesNo(interfaceMatches(value, iface)), arg.negated);
    }
    case '-f':
      // The first packet of a connection is never a second or later fragment.
      return negate(yesNo(false), arg.negated);
    case '-4':
      return yesNo(p.family === 'ipv4');
    case '-6':
      return yesNo(p.family === 'ipv6');
    default:
      return notModelled(arg.flag);
  }
}

/** `veth+` matches every interface whose name starts with `veth`. */
export function interfaceMatches(pattern: string, iface: string): boolean {
  if (pattern.endsWith('+')) return iface.startsWith(pattern.slice(0, -1));
  return pattern === iface;
}
