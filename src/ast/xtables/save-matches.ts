import type { Arg, IpFamily } from '../types.js';
import { canonicalMatchOption } from '../rule-view.js';
import { OptionSet, Unreadable, bang, need } from './options.js';
import {
  formatAddress,
  formatKernelProbability,
  formatMarkMask,
  formatNetShort,
  formatPortRange,
  parseAddress,
  parseMarkMask,
  parseNet,
  parsePortRange,
  parseProtocol,
  parseUint,
  probabilityToKernel,
  saveString,
} from './values.js';

/**
 * How iptables-save prints the options of each match module it knows (the `save` function of
 * each libxt_* extension of iptables 1.8.x): the fixed option order of the module, values in
 * the kernel's form (`0x4000`, `0.33333333349`, `RELATED,ESTABLISHED`, port numbers), its
 * quoting and its quirks. Each saver returns the text after `-m NAME`, every piece with its
 * leading space, as the C code prints it.
 */

export interface SaveContext {
  family: IpFamily;
  /** The rule's `-p` protocol number, if any. */
  protocol?: number;
  /** The nf_tables backend (iptables-nft-save) rather than the legacy one. */
  nft: boolean;
}

type Saver = (o: OptionSet, ctx: SaveContext) => string;

function protoName(ctx: SaveContext): string {
  return ctx.protocol === 17 ? 'udp' : ctx.protocol === 132 ? 'sctp' : 'tcp';
}

function listOf<T extends string>(text: string, names: readonly T[], what: string): Set<T> {
  const out = new Set<T>();
  for (const w of text.split(',')) {
    const n = names.find((x) => x.toLowerCase() === w.toLowerCase());
    if (!n) throw new Unreadable(`${what} ${w}`);
    out.add(n);
  }
  return out;
}

function orderedList<T extends string>(set: Set<T>, order: readonly T[]): string {
  return order.filter((n) => set.has(n)).join(',');
}

// --- comment, nfacct, helper -------------------------------------------------------------------

const comment: Saver = (o) => ` --comment ${saveString(need(o.value('--comment'), 'comment'))}`;

// The two spaces are iptables' own: `printf(" --nfacct-name ")` then xtables_save_string().
const nfacct: Saver = (o) => ` --nfacct-name  ${saveString(need(o.value('--nfacct-name'), 'name'))}`;

const helper: Saver = (o) => `${bang(o.negated('--helper'))} --helper ${saveString(need(o.value('--helper'), 'helper'))}`;

// --- icmp / icmp6 ------------------------------------------------------------------------------

type IcmpName = readonly [string, number, number, number];

const ICMP_TYPES: readonly IcmpName[] = [
  ['any', 0xff, 0, 0xff],
  ['echo-reply', 0, 0, 0xff],
  ['destination-unreachable', 3, 0, 0xff],
  ['network-unreachable', 3, 0, 0],
  ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3],
  ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6],
  ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9],
  ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12],
  ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15],
  ['source-quench', 4, 0, 0xff],
  ['redirect', 5, 0, 0xff],
  ['network-redirect', 5, 0, 0],
  ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3],
  ['echo-request', 8, 0, 0xff],
  ['router-advertisement', 9, 0, 0xff],
  ['router-solicitation', 10, 0, 0xff],
  ['time-exceeded', 11, 0, 0xff],
  ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 0xff],
  ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 0xff],
  ['timestamp-reply', 14, 0, 0xff],
  ['address-mask-request', 17, 0, 0xff],
  ['address-mask-reply', 18, 0, 0xff],
];

const ICMP6_TYPES: readonly IcmpName[] = [
  ['destination-unreachable', 1, 0, 0xff],
  ['no-route', 1, 0, 0],
  ['communication-prohibited', 1, 1, 1],
  ['beyond-scope', 1, 2, 2],
  ['address-unreachable', 1, 3, 3],
  ['port-unreachable', 1, 4, 4],
  ['failed-policy', 1, 5, 5],
  ['reject-route', 1, 6, 6],
  ['packet-too-big', 2, 0, 0xff],
  ['time-exceeded', 3, 0, 0xff],
  ['ttl-exceeded', 3, 0, 0xff],
  ['ttl-zero-during-transit', 3, 0, 0],
  ['ttl-zero-during-reassembly', 3, 1, 1],
  ['parameter-problem', 4, 0, 0xff],
  ['bad-header', 4, 0, 0],
  ['unknown-header-type', 4, 1, 1],
  ['unknown-option', 4, 2, 2],
  ['echo-request', 128, 0, 0xff],
  ['ping', 128, 0, 0xff],
  ['echo-reply', 129, 0, 0xff],
  ['pong', 129, 0, 0xff],
  ['mld-listener-query', 130, 0, 0xff],
  ['mld-listener-report', 131, 0, 0xff],
  ['mld-listener-done', 132, 0, 0xff],
  ['mld2-listener-report', 143, 0, 0xff],
  ['router-solicitation', 133, 0, 0xff],
  ['router-advertisement', 134, 0, 0xff],
  ['neighbour-solicitation', 135, 0, 0xff],
  ['neighbor-solicitation', 135, 0, 0xff],
  ['neighbour-advertisement', 136, 0, 0xff],
  ['neighbor-advertisement', 136, 0, 0xff],
  ['redirect', 137, 0, 0xff],
];

/** `TYPE[/CODE]` or a name (an exact name, else a unique prefix, any case). */
function parseIcmpType(text: string, table: readonly IcmpName[]): [number, number, number] {
  const lower = text.toLowerCase();
  const exact = table.find(([n]) => n.toLowerCase() === lower);
  const prefixed = table.filter(([n]) => n.toLowerCase().startsWith(lower));
  const named = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
  if (named) return [named[1], named[2], named[3]];
  const [t, c, ...rest] = text.split('/');
  if (rest.length) throw new Unreadable('icmp type');
  const type = need(parseUint(t ?? '', 255), 'icmp type');
  if (c === undefined) return [type, 0, 0xff];
  const code = need(parseUint(c, 255), 'icmp code');
  return [type, code, code];
}

const icmp: Saver = (o) => {
  const [type, lo, hi] = parseIcmpType(need(o.value('--icmp-type'), 'icmp type'), ICMP_TYPES);
  const neg = bang(o.negated('--icmp-type'));
  if (type === 0xff) return `${neg} --icmp-type any`;
  return `${neg} --icmp-type ${type}${lo !== 0 || hi !== 0xff ? `/${lo}` : ''}`;
};

const icmp6: Saver = (o) => {
  const [type, lo, hi] = parseIcmpType(need(o.value('--icmpv6-type'), 'icmpv6 type'), ICMP6_TYPES);
  return `${bang(o.negated('--icmpv6-type'))} --icmpv6-type ${type}${lo !== 0 || hi !== 0xff ? `/${lo}` : ''}`;
};

// --- sctp ----------------------------------------------------------------------------------------

const sctp: Saver = (o) => {
  let out = '';
  for (const name of ['--sport', '--dport']) {
    if (!o.has(name)) continue;
    const r = need(parsePortRange(o.value(name) ?? '', 'sctp'), 'port');
    out += `${bang(o.negated(name))} ${name} ${formatPortRange(r)}`;
  }
  const chunks = o.get('--chunk-types');
  if (chunks) {
    const [mode, list] = chunks.values;
    if (chunks.values.length !== 2 || !mode || !list || !['all', 'any', 'only'].includes(mode.toLowerCase())) {
      throw new Unreadable('chunk types');
    }
    out += `${bang(chunks.negated)} --chunk-types ${mode.toLowerCase()} ${list.toUpperCase()}`;
  }
  return out;
};

// --- multiport -----------------------------------------------------------------------------------

const multiport: Saver = (o, ctx) => {
  if (o.size !== 1) throw new Unreadable('multiport');
  const name = o.has('--dports') ? '--dports' : o.has('--sports') ? '--sports' : '--ports';
  const list = need(o.value(name), 'ports');
  const ports = list.split(',').map((p) => formatPortRange(need(parsePortRange(p, protoName(ctx)), 'port')));
  if (ports.length > 15) throw new Unreadable('too many ports');
  return `${bang(o.negated(name))} ${name} ${ports.join(',')}`;
};

// --- conntrack / state ---------------------------------------------------------------------------

const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const;
const STATE_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'] as const;
const CT_STATUS = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'] as const;

function range(text: string, max: number, sep = ':'): [number, number] {
  const [a, b, ...rest] = text.split(sep);
  if (rest.length) throw new Unreadable('range');
  const lo = need(parseUint(a ?? '', max), 'number');
  const hi = b === undefined ? lo : need(parseUint(b, max), 'number');
  if (lo > hi) throw new Unreadable('range');
  return [lo, hi];
}

const conntrack: Saver = (o, ctx) => {
  let out = '';
  const item = (name: string, text: string): void => {
    out += `${bang(o.negated(name))} ${name} ${text}`;
  };
  const state = o.value('--ctstate');
  if (o.has('--ctstate')) item('--ctstate', orderedList(listOf(need(state, 'state'), CT_STATES, 'state'), CT_STATES));
  if (o.has('--ctproto')) {
    const p = need(parseProtocol(o.value('--ctproto') ?? ''), 'protocol');
    item('--ctproto', `${p}`);
  }
  for (const name of ['--ctorigsrc', '--ctorigdst', '--ctreplsrc', '--ctrepldst']) {
    if (o.has(name)) item(name, formatNetShort(need(parseNet(o.value(name) ?? '', ctx.family), 'address')));
  }
  for (const name of ['--ctorigsrcport', '--ctorigdstport', '--ctreplsrcport', '--ctrepldstport']) {
    if (o.has(name)) item(name, formatPortRange(need(parsePortRange(o.value(name) ?? '', protoName(ctx)), 'port')));
  }
  if (o.has('--ctstatus')) {
    const set = listOf(need(o.value('--ctstatus'), 'status'), CT_STATUS, 'status');
    const text = orderedList(set, CT_STATUS.slice(1)) || 'NONE';
    item('--ctstatus', text);
  }
  if (o.has('--ctexpire')) item('--ctexpire', formatPortRange(range(o.value('--ctexpire') ?? '', 0xffffffff)));
  if (o.has('--ctdir')) {
    const dir = need(o.value('--ctdir'), 'direction').toUpperCase();
    if ((dir !== 'ORIGINAL' && dir !== 'REPLY') || o.negated('--ctdir')) throw new Unreadable('direction');
    out += ` --ctdir ${dir}`;
  }
  return out;
};

const state: Saver = (o) => {
  const set = listOf(need(o.value('--state'), 'state'), STATE_STATES, 'state');
  return `${bang(o.negated('--state'))} --state ${orderedList(set, STATE_STATES)}`;
};

// --- addrtype ------------------------------------------------------------------------------------

const ADDR_TYPES = [
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
] as const;

const addrtype: Saver = (o) => {
  let out = '';
  for (const name of ['--src-type', '--dst-type']) {
    if (!o.has(name)) continue;
    const set = listOf(need(o.value(name), 'type'), ADDR_TYPES, 'address type');
    out += `${bang(o.negated(name))} ${name} ${orderedList(set, ADDR_TYPES)}`;
  }
  if (o.has('--limit-iface-in') && o.has('--limit-iface-out')) throw new Unreadable('limit-iface');
  if (o.has('--limit-iface-in')) out += ' --limit-iface-in';
  if (o.has('--limit-iface-out')) out += ' --limit-iface-out';
  return out;
};

// --- statistic -----------------------------------------------------------------------------------

const statistic: Saver = (o) => {
  const mode = need(o.value('--mode'), 'mode');
  if (mode === 'random') {
    if (!o.only('--mode', '--probability')) throw new Unreadable('statistic');
    const p = need(probabilityToKernel(need(o.value('--probability'), 'probability')), 'probability');
    return ` --mode random${bang(o.negated('--probability'))} --probability ${formatKernelProbability(p)}`;
  }
  if (mode === 'nth') {
    if (!o.only('--mode', '--every', '--packet')) throw new Unreadable('statistic');
    const every = need(parseUint(need(o.value('--every'), 'every')), 'every');
    const packet = need(parseUint(need(o.value('--packet'), 'packet')), 'packet');
    if (every === 0 || packet > every - 1) throw new Unreadable('statistic');
    return ` --mode nth${bang(o.negated('--every'))} --every ${every} --packet ${packet}`;
  }
  throw new Unreadable('mode');
};

// --- recent --------------------------------------------------------------------------------------

const recent: Saver = (o, ctx) => {
  const modes = ['--set', '--rcheck', '--update', '--remove'].filter((m) => o.has(m));
  if (modes.length > 1) throw new Unreadable('recent mode');
  let out = '';
  const mode = modes[0];
  if (mode) out += `${bang(o.negated(mode))} ${mode}`;
  const seconds = o.value('--seconds');
  if (o.has('--seconds')) {
    const s = need(parseUint(need(seconds, 'seconds')), 'seconds');
    if (s) out += ` --seconds ${s}`;
  }
  if (o.has('--reap')) out += ' --reap';
  if (o.has('--hitcount')) {
    const h = need(parseUint(need(o.value('--hitcount'), 'hitcount')), 'hitcount');
    if (h) out += ` --hitcount ${h}`;
  }
  if (o.has('--rttl')) out += ' --rttl';
  out += ` --name ${o.value('--name') ?? 'DEFAULT'}`;
  const mask = o.has('--mask')
    ? need(parseAddress(o.value('--mask') ?? '', ctx.family), 'mask')
    : ctx.family === 'ipv4'
      ? 0xffffffffn
      : (1n << 128n) - 1n;
  out += ` --mask ${formatAddress(mask, ctx.family)}`;
  if (o.has('--rsource') && o.has('--rdest')) throw new Unreadable('recent');
  out += o.has('--rdest') ? ' --rdest' : ' --rsource';
  return out;
};

// --- set -----------------------------------------------------------------------------------------

const set: Saver = (o) => {
  const ms = need(o.get('--match-set'), 'match-set');
  if (ms.values.length !== 2) throw new Unreadable('match-set');
  let out = `${bang(ms.negated)} --match-set ${ms.values[0]} ${ms.values[1]}`;
  if (o.has('--return-nomatch')) out += ' --return-nomatch';
  if (o.has('--update-counters') && o.negated('--update-counters')) out += ' ! --update-counters';
  if (o.has('--update-subcounters') && o.negated('--update-subcounters')) out += ' ! --update-subcounters';
  for (const kind of ['packets', 'bytes']) {
    const ops = ['eq', 'lt', 'gt'].filter((op) => o.has(`--${kind}-${op}`));
    if (ops.length > 1) throw new Unreadable('counter');
    const op = ops[0];
    if (!op) continue;
    const name = `--${kind}-${op}`;
    const v = need(o.value(name), 'counter');
    if (!/^[0-9]+$/.test(v)) throw new Unreadable('counter');
    if (o.negated(name) && op !== 'eq') throw new Unreadable('counter');
    out += ` ${o.negated(name) ? '! ' : ''}${name} ${BigInt(v).toString()}`;
  }
  return out;
};

// --- physdev -------------------------------------------------------------------------------------

const physdev: Saver = (o) => {
  let out = '';
  const flag = (name: string): void => {
    if (o.has(name)) out += `${bang(o.negated(name))} ${name}`;
  };
  const dev = (name: string): void => {
    if (o.has(name)) out += `${bang(o.negated(name))} ${name} ${need(o.value(name), 'interface')}`;
  };
  flag('--physdev-is-in');
  dev('--physdev-in');
  flag('--physdev-is-out');
  dev('--physdev-out');
  flag('--physdev-is-bridged');
  return out;
};

// --- mark / connmark -----------------------------------------------------------------------------

const mark: Saver = (o) => {
  const m = need(parseMarkMask(need(o.value('--mark'), 'mark')), 'mark');
  return `${bang(o.negated('--mark'))} --mark ${formatMarkMask(m.value, m.mask)}`;
};

// --- mac -----------------------------------------------------------------------------------------

const mac: Saver = (o) => {
  const text = need(o.value('--mac-source'), 'mac');
  const parts = text.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) throw new Unreadable('mac');
  const norm = parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
  return `${bang(o.negated('--mac-source'))} --mac-source ${norm}`;
};

// --- limit ---------------------------------------------------------------------------------------

const LIMIT_SCALE = 10000;
const RATE_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['day', LIMIT_SCALE * 24 * 60 * 60],
  ['hour', LIMIT_SCALE * 60 * 60],
  ['min', LIMIT_SCALE * 60],
  ['sec', LIMIT_SCALE],
];

/** `N[/second|/minute|/hour|/day]` (any prefix of the unit) → the kernel's period. */
function parseRate(text: string): number {
  const slash = text.indexOf('/');
  let unit = 1;
  if (slash >= 0) {
    const u = text.slice(slash + 1).toLowerCase();
    if (!u) throw new Unreadable('rate');
    const units: ReadonlyArray<readonly [string, number]> = [
      ['second', 1],
      ['minute', 60],
      ['hour', 3600],
      ['day', 86400],
    ];
    const found = units.find(([n]) => n.startsWith(u));
    if (!found) throw new Unreadable('rate');
    unit = found[1];
  }
  const m = /^[0-9]+/.exec(text);
  const r = m ? Number(m[0]) : 0;
  if (!r) throw new Unreadable('rate');
  const period = Math.floor((LIMIT_SCALE * unit) / r);
  if (period === 0) throw new Unreadable('rate');
  return period;
}

function unitIndexFor(period: number): number {
  let i = 1;
  for (; i < RATE_UNITS.length; i++) {
    const mult = (RATE_UNITS[i] as readonly [string, number])[1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  return i - 1;
}

function printRate(period: number): string {
  const [name, mult] = RATE_UNITS[unitIndexFor(period)] as readonly [string, number];
  return `${Math.floor(mult / period)}/${name}`;
}

const limit: Saver = (o, ctx) => {
  if (o.negated('--limit')) throw new Unreadable('limit');
  let period = parseRate(o.value('--limit') ?? '3/hour');
  if (ctx.nft) {
    // nf_tables keeps `rate/unit`; the period is computed again when the rule is read back.
    const [, mult] = RATE_UNITS[unitIndexFor(period)] as readonly [string, number];
    const rate = Math.floor(mult / period);
    period = Math.floor((LIMIT_SCALE * (mult / LIMIT_SCALE)) / rate);
  }
  let out = ` --limit ${printRate(period)}`;
  if (o.has('--limit-burst')) {
    const burst = need(parseUint(need(o.value('--limit-burst'), 'burst'), 10000), 'burst');
    if (burst !== 5) out += ` --limit-burst ${burst}`;
  }
  return out;
};

// --- owner ---------------------------------------------------------------------------------------

const owner: Saver = (o) => {
  let out = '';
  if (o.has('--socket-exists')) out += `${bang(o.negated('--socket-exists'))} --socket-exists`;
  for (const name of ['--uid-owner', '--gid-owner']) {
    if (!o.has(name)) continue;
    const text = need(o.value(name), 'id');
    // names need the host's user database; only `root` is the same everywhere
    const [lo, hi] = text === 'root' ? [0, 0] : range(text, 0xfffffffe, '-');
    out += `${bang(o.negated(name))} ${name} ${lo === hi ? lo : `${lo}-${hi}`}`;
  }
  if (o.has('--suppl-groups')) {
    if (!o.has('--gid-owner')) throw new Unreadable('suppl-groups');
    out += ' --suppl-groups';
  }
  return out;
};

// --- iprange -------------------------------------------------------------------------------------

const iprange: Saver = (o, ctx) => {
  let out = '';
  for (const name of ['--src-range', '--dst-range']) {
    if (!o.has(name)) continue;
    const [a, b, ...rest] = need(o.value(name), 'range').split('-');
    if (rest.length) throw new Unreadable('range');
    const lo = need(parseAddress(a ?? '', ctx.family), 'address');
    const hi = b === undefined ? lo : need(parseAddress(b, ctx.family), 'address');
    out += `${bang(o.negated(name))} ${name} ${formatAddress(lo, ctx.family)}-${formatAddress(hi, ctx.family)}`;
  }
  return out;
};

// --- small ones ----------------------------------------------------------------------------------

const PKT_TYPES = ['unicast', 'broadcast', 'multicast', 'otherhost'] as const;

const pkttype: Saver = (o) => {
  const t = need(o.value('--pkt-type'), 'type').toLowerCase();
  const name = t === 'host' ? 'unicast' : PKT_TYPES.find((n) => n === t);
  return `${bang(o.negated('--pkt-type'))} --pkt-type ${need(name, 'packet type')}`;
};

const length: Saver = (o) => {
  const r = range(need(o.value('--length'), 'length'), 0xffff);
  return `${bang(o.negated('--length'))} --length ${formatPortRange(r)}`;
};

function ttlLike(prefix: 'ttl' | 'hl'): Saver {
  return (o) => {
    if (o.size !== 1) throw new Unreadable(prefix);
    for (const op of ['eq', 'lt', 'gt']) {
      const name = `--${prefix}-${op}`;
      if (!o.has(name)) continue;
      const v = need(parseUint(need(o.value(name), 'value'), 255), 'value');
      if (o.negated(name) && op !== 'eq') throw new Unreadable(prefix);
      return `${bang(o.negated(name))} ${name} ${v}`;
    }
    throw new Unreadable(prefix);
  };
}

const connlimit: Saver = (o, ctx) => {
  const upto = o.has('--connlimit-upto');
  const above = o.has('--connlimit-above');
  if (upto === above) throw new Unreadable('connlimit');
  const name = upto ? '--connlimit-upto' : '--connlimit-above';
  const n = need(parseUint(need(o.value(name), 'limit')), 'limit');
  // `! --connlimit-upto N` is `--connlimit-above N` and the other way round
  const isAbove = above !== o.negated(name);
  const bits = ctx.family === 'ipv4' ? 32 : 128;
  const mask = o.has('--connlimit-mask') ? need(parseUint(need(o.value('--connlimit-mask'), 'mask'), bits), 'mask') : bits;
  if (o.has('--connlimit-saddr') && o.has('--connlimit-daddr')) throw new Unreadable('connlimit');
  const addr = o.has('--connlimit-daddr') ? '--connlimit-daddr' : '--connlimit-saddr';
  return ` ${isAbove ? '--connlimit-above' : '--connlimit-upto'} ${n} --connlimit-mask ${mask} ${addr}`;
};

const rpfilter: Saver = (o) => {
  let out = '';
  for (const name of ['--loose', '--validmark', '--accept-local', '--invert']) if (o.has(name)) out += ` ${name}`;
  return out;
};

const socket: Saver = (o) => {
  let out = '';
  for (const name of ['--transparent', '--nowildcard', '--restore-skmark']) if (o.has(name)) out += ` ${name}`;
  return out;
};

const policy: Saver = (o) => {
  if (!o.only('--dir', '--pol', '--strict')) throw new Unreadable('policy');
  const dir = need(o.value('--dir'), 'dir').toLowerCase();
  const pol = need(o.value('--pol'), 'pol').toLowerCase();
  if (!['in', 'out'].includes(dir) || !['none', 'ipsec'].includes(pol)) throw new Unreadable('policy');
  return ` --dir ${dir} --pol ${pol}${o.has('--strict') ? ' --strict' : ''}`;
};

/** `0x%02x/0x%02x` (tos) */
function byteMask(text: string, what: string): [number, number] {
  const m = need(parseMarkMask(text), what);
  const mask = m.hasMask ? m.mask : 0xff;
  if (m.value > 0xff || mask > 0xff) throw new Unreadable(what);
  return [m.value, mask];
}

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

const tos: Saver = (o) => {
  const [v, m] = byteMask(need(o.value('--tos'), 'tos'), 'tos');
  return `${bang(o.negated('--tos'))} --tos ${hex2(v)}/${hex2(m)}`;
};

const DSCP_CLASSES: Readonly<Record<string, number>> = {
  CS0: 0, CS1: 8, CS2: 16, CS3: 24, CS4: 32, CS5: 40, CS6: 48, CS7: 56, BE: 0,
  AF11: 10, AF12: 12, AF13: 14, AF21: 18, AF22: 20, AF23: 22,
  AF31: 26, AF32: 28, AF33: 30, AF41: 34, AF42: 36, AF43: 38, EF: 46,
};

/** `--dscp N` or `--dscp-class NAME` → the 6-bit code point. */
export function dscpValue(o: OptionSet, valueFlag: string, classFlag: string): number {
  if (o.has(valueFlag) === o.has(classFlag)) throw new Unreadable('dscp');
  if (o.has(valueFlag)) return need(parseUint(need(o.value(valueFlag), 'dscp'), 0x3f), 'dscp');
  const name = need(o.value(classFlag), 'dscp class').toUpperCase();
  return need(Object.prototype.hasOwnProperty.call(DSCP_CLASSES, name) ? DSCP_CLASSES[name] : undefined, 'dscp class');
}

const dscp: Saver = (o) => {
  const neg = o.negated('--dscp') || o.negated('--dscp-class');
  return `${bang(neg)} --dscp ${hex2(dscpValue(o, '--dscp', '--dscp-class'))}`;
};

/** `0xV[/0xM]` printed for ids kept with a mask (devgroup, realm). */
function idMask(name: string): Saver {
  return (o) => {
    let out = '';
    for (const flag of name === 'realm' ? ['--realm'] : ['--src-group', '--dst-group']) {
      if (!o.has(flag)) continue;
      const m = need(parseMarkMask(need(o.value(flag), name)), name);
      out += `${bang(o.negated(flag))} ${flag} ${formatMarkMask(m.value, m.mask)}`;
    }
    return out;
  };
}

const connbytes: Saver = (o) => {
  if (o.negated('--connbytes')) throw new Unreadable('connbytes');
  const [from, to, ...rest] = need(o.value('--connbytes'), 'connbytes').split(':');
  if (rest.length || to === undefined || !/^[0-9]+$/.test(from ?? '') || !/^[0-9]+$/.test(to)) throw new Unreadable('connbytes');
  const mode = need(o.value('--connbytes-mode'), 'mode').toLowerCase();
  const dir = need(o.value('--connbytes-dir'), 'dir').toLowerCase();
  if (!['packets', 'bytes', 'avgpkt'].includes(mode) || !['original', 'reply', 'both'].includes(dir)) throw new Unreadable('connbytes');
  return ` --connbytes ${BigInt(from as string)}:${BigInt(to)} --connbytes-mode ${mode} --connbytes-dir ${dir}`;
};

const MATCH_SAVERS: Readonly<Record<string, Saver>> = {
  tos,
  dscp,
  devgroup: idMask('devgroup'),
  realm: idMask('realm'),
  connbytes,
  comment,
  nfacct,
  helper,
  icmp,
  icmp6,
  sctp,
  multiport,
  conntrack,
  state,
  addrtype,
  statistic,
  recent,
  set,
  physdev,
  mark,
  connmark: mark,
  mac,
  limit,
  owner,
  iprange,
  pkttype,
  length,
  ttl: ttlLike('ttl'),
  hl: ttlLike('hl'),
  connlimit,
  rpfilter,
  socket,
  policy,
};

/**
 * The saved text of one match's options, or undefined when rulec does not know the module or
 * cannot read one of its values (the caller then prints the options as written).
 */
export function saveMatchOptions(module: string, options: readonly Arg[], ctx: SaveContext): string | undefined {
  const saver = Object.prototype.hasOwnProperty.call(MATCH_SAVERS, module) ? MATCH_SAVERS[module] : undefined;
  if (!saver) return undefined;
  const o = new OptionSet(options, (f) => canonicalMatchOption(module, f));
  if (!o.ok) return undefined;
  try {
    return saver(o, ctx);
  } catch {
    // Unreadable: a value iptables would refuse; the options are then printed as written.
    return undefined;
  }
}
