import type { Arg } from '../../ast/types.js';
import { parseIp } from '../../kube/ip.js';
import { parseMarkMask, parsePortRange } from '../../ast/xtables/values.js';
import type { Branch } from './branch.js';
import type { Hook, TraceNote } from './match-context.js';
import { formatHostPort, parseHostPort, withChanges } from './packet.js';
import { findOption, optionValue, type TargetUse } from './rule-parts.js';

/** Verdicts that end the walk of a table for this hook. */
export type EndVerdict = 'ACCEPT' | 'DROP' | 'REJECT' | 'DNAT' | 'SNAT' | 'MASQUERADE' | 'QUEUE';

export type TargetEffect =
  | { kind: 'continue'; action: string; note?: TraceNote }
  | { kind: 'end'; verdict: EndVerdict; action: string; note?: TraceNote }
  | { kind: 'return'; action: string }
  | { kind: 'jump'; chain: string; goto: boolean; action: string };

/** Targets that only record or annotate the packet and let it go on. */
const PASSIVE = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'AUDIT', 'NOTRACK', 'CT', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL', 'TCPMSS', 'CHECKSUM', 'IDLETIMER', 'LED', 'SECMARK', 'CONNSECMARK', 'CONNMARK', 'NETMAP', 'TEE']);

/**
 * Applies the target of a rule the packet matched. Mutates the branch's packet (a fresh copy) for
 * DNAT/SNAT/MARK and says whether the walk goes on, ends, returns or enters a chain.
 */
export function applyTarget(target: TargetUse | null, branch: Branch, hook: Hook, table: string, chainExists: (name: string) => boolean): TargetEffect {
  if (!target) return { kind: 'continue', action: 'no target: counted, goes on' };
  const name = target.name;
  const opts = target.options;
  switch (name) {
    case 'ACCEPT':
      return { kind: 'end', verdict: 'ACCEPT', action: 'ACCEPT' };
    case 'DROP':
      return { kind: 'end', verdict: 'DROP', action: 'DROP' };
    case 'REJECT': {
      const how = optionValue(opts, '--reject-with');
      return { kind: 'end', verdict: 'REJECT', action: `REJECT${how ? ` with ${how}` : ''}` };
    }
    case 'RETURN':
      return { kind: 'return', action: 'RETURN' };
    case 'DNAT':
      return dnat(opts, branch, table);
    case 'REDIRECT':
      return redirect(opts, branch, hook);
    case 'SNAT': {
      const to = optionValue(opts, '--to-source') ?? '';
      const hp = parseHostPort(to.split('-')[0] ?? '');
      if (hp) branch.packet = withChanges(branch.packet, { src: hp.ip, snat: true });
      else branch.packet = withChanges(branch.packet, { snat: true });
      branch.masqueraded = true;
      return { kind: 'end', verdict: 'SNAT', action: `SNAT to ${to}` };
    }
    case 'MASQUERADE':
      branch.packet = withChanges(branch.packet, { snat: true });
      branch.masqueraded = true;
      return { kind: 'end', verdict: 'MASQUERADE', action: `MASQUERADE (source becomes the outgoing interface's address)${findOption(opts, '--random-fully') ? ', ports fully randomised' : ''}` };
    case 'MARK':
      return mark(opts, branch);
    case 'QUEUE':
    case 'NFQUEUE':
      return { kind: 'end', verdict: 'QUEUE', action: `${name}: handed to a user-space program`, note: { kind: 'not-modelled', message: `-j ${name}: the verdict of the user-space program is not modelled` } };
    default:
      break;
  }
  if (chainExists(name)) {
    return { kind: 'jump', chain: name, goto: target.goto, action: `${target.goto ? 'goto' : 'jump'} ${name}` };
  }
  if (PASSIVE.has(name)) return { kind: 'continue', action: `${name} (does not change the way)` };
  return {
    kind: 'continue',
    action: `-j ${name}`,
    note: { kind: 'not-modelled', message: `-j ${name}: no such chain in table ${table} and not a target rulec models; assumed to let the packet go on` },
  };
}

function dnat(opts: readonly Arg[], branch: Branch, table: string): TargetEffect {
  const to = optionValue(opts, '--to-destination') ?? '';
  // `IP[-IP][:PORT[-PORT]]`; a range takes its first address.
  const m = /^(\[[^\]]+\]|[^:[\]]+?)(?:-[^:]+)?(?::(\d+)(?:-\d+)?)?$/.exec(to);
  const ipText = m?.[1]?.replace(/^\[|\]$/g, '') ?? '';
  const ip = parseIp(ipText);
  const note: TraceNote | undefined = table === 'nat' ? undefined : { kind: 'info', message: `DNAT outside the nat table (${table})` };
  if (!ip) {
    return { kind: 'end', verdict: 'DNAT', action: `DNAT to ${to}`, note: { kind: 'not-modelled', message: `DNAT --to-destination ${to}: not an address` } };
  }
  const port = m?.[2] !== undefined ? Number(m[2]) : branch.packet.dstPort;
  branch.packet = withChanges(branch.packet, { dst: ip, dstPort: port, dnat: true });
  const dest = formatHostPort(ip, port);
  if (branch.dnatTo === null) branch.dnatTo = dest;
  const ranged = to.includes('-');
  return {
    kind: 'end',
    verdict: 'DNAT',
    action: `DNAT to ${dest}`,
    ...(ranged ? { note: { kind: 'assumption', message: `DNAT --to-destination ${to}: a range; the first address/port is shown` } } : note ? { note } : {}),
  };
}

function redirect(opts: readonly Arg[], branch: Branch, hook: Hook): TargetEffect {
  const ports = optionValue(opts, '--to-ports');
  const range = ports ? parsePortRange(ports, branch.packet.protocol, '-') : undefined;
  const loop = parseIp(branch.packet.family === 'ipv4' ? '127.0.0.1' : '::1');
  const dst = hook === 'OUTPUT' && loop ? loop : branch.packet.dst;
  const port = range ? range[0] : branch.packet.dstPort;
  branch.packet = withChanges(branch.packet, { dst, dstPort: port, dnat: true });
  const dest = formatHostPort(dst, port);
  if (branch.dnatTo === null) branch.dnatTo = dest;
  return { kind: 'end', verdict: 'DNAT', action: `REDIRECT to local port ${port ?? '(same)'}` };
}

function mark(opts: readonly Arg[], branch: Branch): TargetEffect {
  const old = branch.packet.mark >>> 0;
  const o = opts[0];
  const mm = o ? parseMarkMask(o.values[0] ?? '') : undefined;
  let next: number | null = null;
  let action = '';
  if (o && mm) {
    switch (o.flag) {
      case '--set-xmark':
        next = ((old & ~mm.mask) ^ mm.value) >>> 0;
        action = `MARK set-xmark ${o.values[0]}`;
        break;
      case '--set-mark':
        next = ((old & ~mm.mask) | mm.value) >>> 0;
        action = `MARK set ${o.values[0]}`;
        break;
      case '--or-mark':
        next = (old | mm.value) >>> 0;
        action = `MARK or ${o.values[0]}`;
        break;
      case '--and-mark':
        next = (old & mm.value) >>> 0;
        action = `MARK and ${o.values[0]}`;
        break;
      case '--xor-mark':
        next = (old ^ mm.value) >>> 0;
        action = `MARK xor ${o.values[0]}`;
        break;
    }
  }
  if (next === null) {
    return { kind: 'continue', action: 'MARK', note: { kind: 'not-modelled', message: `-j MARK ${opts.map((x) => `${x.flag} ${x.values.join(' ')}`).join(' ')}` } };
  }
  branch.packet = withChanges(branch.packet, { mark: next });
  return { kind: 'continue', action: `${action} (mark 0x${old.toString(16)} -> 0x${next.toString(16)})` };
}
