import { OptionSet, bang, need, Unreadable } from './options.js';
import { formatPortRange, parsePortRange, parseUint } from './values.js';
import type { Arg } from '../types.js';
import { canonicalMatchOption } from '../rule-view.js';

/**
 * The tcp and udp matches as iptables keeps them (`struct xt_tcp` / `xt_udp`), with the rules of
 * the nf_tables backend: a match with only ports and flags becomes native nf_tables expressions,
 * and when the rule is read back all native tcp (udp) expressions of the rule are folded into the
 * first native tcp (udp) match, later values replacing earlier ones. A match with
 * `--tcp-option`, or with nothing to match at all, stays an xtables match of its own.
 */
export interface PortInfo {
  module: 'tcp' | 'udp';
  sport: [number, number];
  dport: [number, number];
  invSport: boolean;
  invDport: boolean;
  /** tcp only */
  option: number;
  invOption: boolean;
  flagMask: number;
  flagCmp: number;
  invFlags: boolean;
}

const ANY: [number, number] = [0, 0xffff];

const TCP_FLAGS: ReadonlyArray<readonly [string, number]> = [
  ['FIN', 0x01],
  ['SYN', 0x02],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
  ['URG', 0x20],
  ['ALL', 0x3f],
  ['NONE', 0],
];

function parseTcpFlags(text: string): number {
  let flags = 0;
  for (const name of text.split(',')) {
    const f = TCP_FLAGS.find(([n]) => n === name.toUpperCase());
    if (!f) throw new Unreadable(`tcp flag ${name}`);
    flags |= f[1];
  }
  return flags;
}

/** Whether `name` is one of the flag names iptables prints (upper case). */
export function isTcpFlagName(name: string): boolean {
  return TCP_FLAGS.some(([n]) => n === name);
}

/** A flag bit set as iptables-save prints it: `FIN,SYN,RST,ACK`, or `NONE`. */
export function printTcpFlags(flags: number): string {
  const names: string[] = [];
  let rest = flags;
  while (rest) {
    const f = TCP_FLAGS.find(([, bit]) => (rest & bit) !== 0) as readonly [string, number];
    names.push(f[0]);
    rest &= ~f[1];
  }
  return names.length ? names.join(',') : 'NONE';
}

/** Reads a tcp or udp match; undefined when an option cannot be read. */
export function readPortMatch(module: 'tcp' | 'udp', options: readonly Arg[]): PortInfo | undefined {
  const set = new OptionSet(options, (f) => canonicalMatchOption(module, f));
  if (!set.ok) return undefined;
  try {
    const info: PortInfo = {
      module,
      sport: ANY,
      dport: ANY,
      invSport: false,
      invDport: false,
      option: 0,
      invOption: false,
      flagMask: 0,
      flagCmp: 0,
      invFlags: false,
    };
    const sport = set.value('--sport');
    if (set.has('--sport')) {
      info.sport = need(sport === undefined ? undefined : parsePortRange(sport, module), 'port');
      info.invSport = set.negated('--sport');
    }
    const dport = set.value('--dport');
    if (set.has('--dport')) {
      info.dport = need(dport === undefined ? undefined : parsePortRange(dport, module), 'port');
      info.invDport = set.negated('--dport');
    }
    if (set.has('--syn')) {
      if (set.has('--tcp-flags')) return undefined;
      info.flagMask = 0x17;
      info.flagCmp = 0x02;
      info.invFlags = set.negated('--syn');
    }
    const flags = set.get('--tcp-flags');
    if (flags) {
      if (flags.values.length !== 2) return undefined;
      info.flagMask = parseTcpFlags(flags.values[0] as string);
      info.flagCmp = parseTcpFlags(flags.values[1] as string);
      info.invFlags = flags.negated;
    }
    if (set.has('--tcp-option')) {
      info.option = need(parseUint(set.value('--tcp-option') ?? '', 255), 'tcp option');
      if (info.option === 0) return undefined;
      info.invOption = set.negated('--tcp-option');
    }
    return info;
  } catch (e) {
    if (e instanceof Unreadable) return undefined;
    throw e;
  }
}

function isAny(r: readonly [number, number]): boolean {
  return r[0] === 0 && r[1] === 0xffff;
}

/** Whether the nf_tables backend turns this match into native expressions. */
export function isNative(info: PortInfo): boolean {
  if (info.option !== 0 || info.invOption) return false;
  const empty = isAny(info.sport) && !info.invSport && isAny(info.dport) && !info.invDport && info.flagMask === 0 && !info.invFlags;
  return !empty;
}

/** Folds a later native match into an earlier one, as nf_tables' reader does. */
export function foldNative(into: PortInfo, from: PortInfo): void {
  if (!isAny(from.sport) || from.invSport) {
    into.sport = from.sport;
    into.invSport = from.invSport;
  }
  if (!isAny(from.dport) || from.invDport) {
    into.dport = from.dport;
    into.invDport = from.invDport;
  }
  if (from.flagMask !== 0 || from.invFlags) {
    into.flagMask = from.flagMask;
    into.flagCmp = from.flagCmp;
    into.invFlags = from.invFlags;
  }
}

/**
 * The saved text of the match's options (a full port range is not printed, negated or not). A
 * native match whose text is empty is not printed at all by the nf_tables backend.
 */
export function savePortMatch(info: PortInfo): string {
  let out = '';
  const ports = (name: string, r: [number, number], inv: boolean): void => {
    if (isAny(r)) return;
    out += `${bang(inv)} ${name} ${formatPortRange(r)}`;
  };
  ports('--sport', info.sport, info.invSport);
  ports('--dport', info.dport, info.invDport);
  if (info.option || info.invOption) out += `${bang(info.invOption)} --tcp-option ${info.option}`;
  if (info.flagMask || info.invFlags) {
    out += `${bang(info.invFlags)} --tcp-flags ${printTcpFlags(info.flagMask)} ${printTcpFlags(info.flagCmp)}`;
  }
  return out;
}
