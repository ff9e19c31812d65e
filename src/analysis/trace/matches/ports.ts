import type { Arg } from '../../../ast/types.js';
import { parsePortRange } from '../../../ast/xtables/values.js';
import { portInRange } from '../address-spec.js';
import { allOf, negate, notModelled, yesNo, type MatchContext, type MatchEvaluator, type MatchVerdict } from '../match-context.js';

/** `--dport` / `--sport` of the tcp, udp and sctp matches. */
export function portOption(arg: Arg, ctx: MatchContext): MatchVerdict | null {
  const dst = arg.flag === '--dport' || arg.flag === '--destination-port';
  const src = arg.flag === '--sport' || arg.flag === '--source-port';
  if (!dst && !src) return null;
  const value = arg.values[0] ?? '';
  const range = parsePortRange(value, ctx.packet.protocol);
  if (!range) return notModelled(`${arg.flag} ${value} (not a port or port range)`);
  const port = dst ? ctx.packet.dstPort : ctx.packet.srcPort;
  if (port === null) return notModelled(`${arg.negated ? '! ' : ''}${arg.flag} ${value} (the ${dst ? 'destination' : 'source'} port is not known; pass --src IP:PORT)`);
  return negate(yesNo(portInRange(port, range)), arg.negated);
}

const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

function flagSet(text: string): Set<string> | null {
  const t = text.toUpperCase();
  if (t === 'ALL') return new Set(TCP_FLAGS);
  if (t === 'NONE') return new Set();
  const out = new Set<string>();
  for (const f of t.split(',')) {
    if (!TCP_FLAGS.includes(f)) return null;
    out.add(f);
  }
  return out;
}

/** The first packet of a TCP connection carries SYN alone. */
function tcpFlags(arg: Arg): MatchVerdict {
  const [maskText, compText] = arg.values;
  const mask = flagSet(maskText ?? '');
  const comp = flagSet(compText ?? '');
  if (!mask || !comp) return notModelled(`--tcp-flags ${arg.values.join(' ')}`);
  const ok = [...mask].every((f) => (f === 'SYN') === comp.has(f));
  return negate(yesNo(ok), arg.negated);
}

function protocolMatch(protocol: 'tcp' | 'udp' | 'sctp'): MatchEvaluator {
  return (options, ctx) => {
    if (ctx.packet.protocol !== protocol) return yesNo(false);
    return allOf(
      options.map((o) => {
        const port = portOption(o, ctx);
        if (port) return port;
        if (protocol === 'tcp' && o.flag === '--syn') return negate(yesNo(true), o.negated);
        if (protocol === 'tcp' && o.flag === '--tcp-flags') return tcpFlags(o);
        return notModelled(`-m ${protocol} ${o.flag}`);
      }),
    );
  };
}

export const tcpMatch = protocolMatch('tcp');
export const udpMatch = protocolMatch('udp');
export const sctpMatch = protocolMatch('sctp');

/** `-m multiport --dports 80,443,8000:8080` (also `--sports`, `--ports`). */
export const multiportMatch: MatchEvaluator = (options, ctx) => {
  const p = ctx.packet;
  if (p.protocol === 'icmp') return yesNo(false);
  return allOf(
    options.map((o) => {
      const list = (o.values[0] ?? '').split(',');
      const ranges = list.map((x) => parsePortRange(x, p.protocol));
      if (ranges.some((r) => r === undefined)) return notModelled(`-m multiport ${o.flag} ${o.values[0] ?? ''}`);
      const test = (port: number | null) => (port === null ? null : ranges.some((r) => r !== undefined && portInRange(port, r)));
      let hit: boolean | null;
      if (o.flag === '--dports' || o.flag === '--destination-ports') hit = test(p.dstPort);
      else if (o.flag === '--sports' || o.flag === '--source-ports') hit = test(p.srcPort);
      else if (o.flag === '--ports') {
        const d = test(p.dstPort);
        const s = test(p.srcPort);
        hit = d === true || s === true ? true : d === null || s === null ? null : false;
      } else return notModelled(`-m multiport ${o.flag}`);
      if (hit === null) return notModelled(`-m multiport ${o.flag} (the source port is not known)`);
      return negate(yesNo(hit), o.negated);
    }),
  );
};
