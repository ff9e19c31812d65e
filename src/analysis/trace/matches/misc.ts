import { parseIp } from '../../../kube/ip.js';
import { compareIps } from '../../../kube/ip.js';
import { allOf, negate, notModelled, yesNo, type MatchEvaluator } from '../match-context.js';

/** `-m iprange --src-range A-B / --dst-range A-B`. */
export const iprangeMatch: MatchEvaluator = (options, ctx) =>
  allOf(
    options.map((o) => {
      const [a, b] = (o.values[0] ?? '').split('-');
      const lo = parseIp(a ?? '');
      const hi = parseIp(b ?? '');
      if (!lo || !hi || (o.flag !== '--src-range' && o.flag !== '--dst-range')) return notModelled(`-m iprange ${o.flag}`);
      const ip = o.flag === '--src-range' ? ctx.packet.src : ctx.packet.dst;
      return negate(yesNo(ip.family === lo.family && compareIps(ip, lo) >= 0 && compareIps(ip, hi) <= 0), o.negated);
    }),
  );

/** `-m pkttype --pkt-type unicast|broadcast|multicast`: a traced packet is unicast. */
export const pkttypeMatch: MatchEvaluator = (options) =>
  allOf(options.map((o) => (o.flag === '--pkt-type' ? negate(yesNo((o.values[0] ?? '').toLowerCase() === 'unicast'), o.negated) : notModelled(`-m pkttype ${o.flag}`))));

/** `-m icmp --icmp-type` / `-m icmp6 --icmpv6-type`: a ping is an echo request. */
export const icmpMatch: MatchEvaluator = (options, ctx) => {
  if (ctx.packet.protocol !== 'icmp') return yesNo(false);
  return allOf(
    options.map((o) => {
      const t = (o.values[0] ?? '').toLowerCase();
      if (o.flag !== '--icmp-type' && o.flag !== '--icmpv6-type') return notModelled(`-m icmp ${o.flag}`);
      const echo = ctx.packet.family === 'ipv4' ? ['echo-request', '8', '8/0', 'any'] : ['echo-request', '128', '128/0', 'any'];
      return negate(yesNo(echo.includes(t)), o.negated);
    }),
  );
};

/** `-m ipvs`: whether the packet belongs to an IPVS virtual service, and which. */
export const ipvsMatch: MatchEvaluator = (options, ctx) => {
  const p = ctx.packet;
  const isVs = ctx.isVirtualService({ ...p, dst: p.origDst, dstPort: p.origDstPort });
  return allOf(
    options.map((o) => {
      const v = o.values[0] ?? '';
      switch (o.flag) {
        case '--ipvs':
          return negate(yesNo(isVs), o.negated);
        case '--vaddr': {
          const ip = parseIp(v.split('/')[0] ?? '');
          if (!ip) return notModelled(`-m ipvs --vaddr ${v}`);
          return negate(yesNo(isVs && ip.text === p.origDst.text), o.negated);
        }
        case '--vport':
          return negate(yesNo(isVs && Number(v) === p.origDstPort), o.negated);
        case '--vproto':
          return negate(yesNo(isVs && v.toLowerCase() === p.protocol), o.negated);
        case '--vdir':
          return negate(yesNo(isVs && v.toUpperCase() === 'ORIGINAL'), o.negated);
        default:
          return notModelled(`-m ipvs ${o.flag}`);
      }
    }),
  );
};
