import type { Arg, Rule } from '../../ast/types.js';
import { findOption, optionValue, splitRule } from '../trace/rule-parts.js';
import { servicePortNameOfComment } from '../../kube/rule-comments.js';
import { formatServicePortName } from '../../kube/service-port-name.js';

/** What a rule says, pulled out of its arguments once: the raw material of an explanation. */
export class RuleFacts {
  target: string | null = null;
  goto = false;
  comment: string | null = null;
  /** `ns/name:port` (or `ns/name` for an unnamed port) named by the comment. */
  spn: string | null = null;
  protocol: string | null = null;
  dport: string | null = null;
  dportNegated = false;
  dst: string | null = null;
  dstNegated = false;
  src: string | null = null;
  srcNegated = false;
  inIface: string | null = null;
  inIfaceNegated = false;
  dstType: string | null = null;
  dstTypeNegated = false;
  srcType: string | null = null;
  srcTypeNegated = false;
  ctstate: string | null = null;
  ctstateNegated = false;
  mark: string | null = null;
  markNegated = false;
  probability: string | null = null;
  recent: { name: string; mode: 'set' | 'rcheck' | 'update' | 'remove'; seconds: string | null } | null = null;
  nfacct: string | null = null;
  sets: readonly { name: string; dirs: string; negated: boolean }[] = NONE;
  physdevNotIn = false;
  ipvs: { vaddr: string | null; vport: string | null; vproto: string | null } | null = null;
  /** Modules other than the ones above. */
  otherModules: readonly string[] = NO_NAMES;
  /** The target's options (`--to-destination`, `--or-mark`, …). */
  targetOptions: readonly Arg[] = NO_ARGS;

  constructor(
    readonly table: string,
    readonly chain: string,
  ) {}

  /** The first value of an option of the target. */
  targetOption(flag: string): string | undefined {
    return optionValue(this.targetOptions, flag);
  }

  hasTargetOption(flag: string): boolean {
    return findOption(this.targetOptions, flag) !== undefined;
  }
}

const NONE: readonly { name: string; dirs: string; negated: boolean }[] = [];
const NO_NAMES: readonly string[] = [];
const NO_ARGS: readonly Arg[] = [];

/**
 * The service port name a kube-proxy comment names, as kube-proxy writes it today
 * (`ns1/svc1:p80 cluster IP` gives `ns1/svc1:p80`, the old `ns1/svc1:` gives `ns1/svc1`).
 */
export function spnOfComment(comment: string | null): string | null {
  const spn = servicePortNameOfComment(comment);
  return spn ? formatServicePortName(spn) : null;
}

export function ruleFacts(table: string, chain: string, rule: Rule): RuleFacts {
  const parts = splitRule(rule);
  const x = new RuleFacts(table, chain);
  for (const b of parts.base) {
    const v = b.values[0] ?? '';
    switch (b.flag) {
      case '-p':
        if (!b.negated) x.protocol = v.toLowerCase();
        break;
      case '-d':
        x.dst = v;
        x.dstNegated = b.negated;
        break;
      case '-s':
        x.src = v;
        x.srcNegated = b.negated;
        break;
      case '-i':
        x.inIface = v;
        x.inIfaceNegated = b.negated;
        break;
    }
  }
  let sets: { name: string; dirs: string; negated: boolean }[] | null = null;
  let others: string[] | null = null;
  for (const m of parts.modules) {
    const o = m.options;
    switch (m.name) {
      case 'comment':
        if (x.comment === null) x.comment = optionValue(o, '--comment') ?? null;
        break;
      case 'tcp':
      case 'udp':
      case 'sctp':
      case 'multiport': {
        const d = findOption(o, '--dport', '--dports');
        if (d && x.dport === null) {
          x.dport = d.values[0] ?? null;
          x.dportNegated = d.negated;
        }
        break;
      }
      case 'addrtype': {
        const d = findOption(o, '--dst-type');
        const sType = findOption(o, '--src-type');
        if (d) {
          x.dstType = d.values[0] ?? null;
          x.dstTypeNegated = d.negated;
        }
        if (sType) {
          x.srcType = sType.values[0] ?? null;
          x.srcTypeNegated = sType.negated;
        }
        break;
      }
      case 'conntrack':
      case 'state': {
        const c = findOption(o, '--ctstate', '--state');
        if (c) {
          x.ctstate = c.values[0] ?? null;
          x.ctstateNegated = c.negated;
        }
        break;
      }
      case 'mark': {
        const mk = findOption(o, '--mark');
        if (mk) {
          x.mark = mk.values[0] ?? null;
          x.markNegated = mk.negated;
        }
        break;
      }
      case 'statistic':
        x.probability = optionValue(o, '--probability') ?? null;
        break;
      case 'recent': {
        const mode = findOption(o, '--set') ? 'set' : findOption(o, '--rcheck') ? 'rcheck' : findOption(o, '--update') ? 'update' : 'remove';
        x.recent = { name: optionValue(o, '--name') ?? 'DEFAULT', mode, seconds: optionValue(o, '--seconds') ?? null };
        break;
      }
      case 'nfacct':
        x.nfacct = optionValue(o, '--nfacct-name') ?? null;
        break;
      case 'set':
        for (const a of o) if (a.flag === '--match-set') (sets ??= []).push({ name: a.values[0] ?? '', dirs: a.values[1] ?? '', negated: a.negated });
        break;
      case 'physdev':
        if (o.some((a) => a.flag === '--physdev-is-in' && a.negated)) x.physdevNotIn = true;
        break;
      case 'ipvs':
        x.ipvs = { vaddr: optionValue(o, '--vaddr') ?? null, vport: optionValue(o, '--vport') ?? null, vproto: optionValue(o, '--vproto') ?? null };
        break;
      default:
        (others ??= []).push(m.name);
    }
  }
  if (sets) x.sets = sets;
  if (others) x.otherModules = others;
  if (parts.target) {
    x.target = parts.target.name;
    x.goto = parts.target.goto;
    x.targetOptions = parts.target.options;
  }
  x.spn = spnOfComment(x.comment);
  return x;
}

/** `10.0.0.1/32` and `fd00::1/128` are single addresses: print them bare. */
export function bareAddress(text: string): string {
  return text.replace(/\/(32|128)$/, '');
}
