import type { Arg } from '../types.js';
import { canonicalTargetOption } from '../rule-view.js';
import { OptionSet, Unreadable, need } from './options.js';
import { dscpValue, type SaveContext } from './save-matches.js';
import { formatAddress, formatNetWithLength, hex, parseAddress, parseMarkMask, parseNet, parseUint, saveString } from './values.js';

/**
 * How iptables-save prints the options of each target extension it knows (the `save` function
 * of libxt_DNAT, libxt_MARK, libipt_REJECT, …): `--set-xmark` for every MARK spelling, the
 * default `--reject-with`, NAT ranges in canonical form, and so on. Each saver returns the text
 * after `-j NAME`, every piece with its leading space.
 */

type Saver = (o: OptionSet, ctx: SaveContext) => string;

// --- REJECT --------------------------------------------------------------------------------------

const REJECT4: ReadonlyArray<readonly [string, string]> = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

const REJECT6: ReadonlyArray<readonly [string, string]> = [
  ['icmp6-no-route', 'no-route'],
  ['icmp6-adm-prohibited', 'adm-prohibited'],
  ['icmp6-addr-unreachable', 'addr-unreach'],
  ['icmp6-port-unreachable', 'port-unreach'],
  ['tcp-reset', 'tcp-reset'],
  ['icmp6-policy-fail', 'policy-fail'],
  ['icmp6-reject-route', 'reject-route'],
];

const reject: Saver = (o, ctx) => {
  const table = ctx.family === 'ipv4' ? REJECT4 : REJECT6;
  const given = o.value('--reject-with');
  if (given === undefined) {
    if (o.has('--reject-with')) throw new Unreadable('reject-with');
    return ` --reject-with ${ctx.family === 'ipv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'}`;
  }
  // iptables takes the first entry whose name or alias starts with the given word, in any case
  const w = given.toLowerCase();
  const found = w ? table.find(([name, alias]) => name.startsWith(w) || alias.startsWith(w)) : undefined;
  return ` --reject-with ${need(found, 'reject-with')[0]}`;
};

// --- NAT -----------------------------------------------------------------------------------------

interface NatRange {
  ips?: [bigint, bigint];
  ports?: [number, number];
  base?: number;
}

function parseNatPorts(text: string): Pick<NatRange, 'ports' | 'base'> {
  const [portText, baseText, ...rest] = text.split('/');
  if (rest.length) throw new Unreadable('ports');
  const [a, b, ...more] = (portText ?? '').split('-');
  if (more.length) throw new Unreadable('ports');
  const lo = need(parseUint(a ?? '', 0xffff), 'port');
  const hi = b === undefined ? lo : need(parseUint(b, 0xffff), 'port');
  if (lo > hi) throw new Unreadable('ports');
  const out: Pick<NatRange, 'ports' | 'base'> = { ports: [lo, hi] };
  if (baseText !== undefined) out.base = need(parseUint(baseText, 0xffff), 'port');
  return out;
}

function parseIpRange(text: string, ctx: SaveContext): [bigint, bigint] {
  const [a, b, ...rest] = text.split('-');
  if (rest.length) throw new Unreadable('address range');
  const lo = need(parseAddress(a ?? '', ctx.family), 'address');
  const hi = b === undefined ? lo : need(parseAddress(b, ctx.family), 'address');
  return [lo, hi];
}

/** `[IP[-IP]][:PORT[-PORT][/BASE]]`, IPv6 with the addresses in brackets when ports follow. */
function parseNatRange(text: string, ctx: SaveContext): NatRange {
  let ipText: string;
  let portText: string | undefined;
  if (ctx.family === 'ipv6') {
    if (text.startsWith('[')) {
      const close = text.indexOf(']');
      if (close < 0) throw new Unreadable('range');
      ipText = text.slice(1, close);
      const after = text.slice(close + 1);
      if (after !== '') {
        if (!after.startsWith(':')) throw new Unreadable('range');
        portText = after.slice(1);
      }
    } else if (text.startsWith(':')) {
      ipText = '';
      portText = text.slice(1);
    } else {
      ipText = text;
    }
  } else {
    const colon = text.indexOf(':');
    ipText = colon < 0 ? text : text.slice(0, colon);
    if (colon >= 0) portText = text.slice(colon + 1);
  }
  const range: NatRange = portText === undefined ? {} : parseNatPorts(portText);
  if (ipText !== '') range.ips = parseIpRange(ipText, ctx);
  if (!range.ips && !range.ports) throw new Unreadable('range');
  return range;
}

function printNatRange(r: NatRange, ctx: SaveContext): string {
  let out = '';
  if (r.ips) {
    const bracket = ctx.family === 'ipv6' && r.ports !== undefined;
    out += bracket ? '[' : '';
    out += formatAddress(r.ips[0], ctx.family);
    if (r.ips[1] !== r.ips[0]) out += `-${formatAddress(r.ips[1], ctx.family)}`;
    out += bracket ? ']' : '';
  }
  if (r.ports) {
    out += `:${r.ports[0]}`;
    if (r.ports[1] !== r.ports[0]) out += `-${r.ports[1]}`;
    if (r.base !== undefined) out += `/${r.base}`;
  }
  return out;
}

function nat(option: '--to-destination' | '--to-source', flags: readonly string[]): Saver {
  return (o, ctx) => {
    let out = '';
    const to = o.get(option);
    if (to) {
      if (to.values.length !== 1) throw new Unreadable('range');
      out += ` ${option} ${printNatRange(parseNatRange(to.values[0] as string, ctx), ctx)}`;
    }
    for (const f of flags) if (o.has(f)) out += ` ${f}`;
    return out;
  };
}

function toPorts(flags: readonly string[]): Saver {
  return (o) => {
    let out = '';
    if (o.has('--to-ports')) {
      const r = parseNatPorts(need(o.value('--to-ports'), 'ports'));
      if (r.base !== undefined || !r.ports) throw new Unreadable('ports');
      out += ` --to-ports ${r.ports[0]}${r.ports[1] !== r.ports[0] ? `-${r.ports[1]}` : ''}`;
    }
    for (const f of flags) if (o.has(f)) out += ` ${f}`;
    return out;
  };
}

const netmap: Saver = (o, ctx) => ` --to ${formatNetWithLength(need(parseNet(need(o.value('--to'), 'to'), ctx.family), 'network'))}`;

// --- MARK / CONNMARK -----------------------------------------------------------------------------

const ONES = 0xffffffff;

function u32(text: string | undefined): number {
  return need(parseUint(need(text, 'value')), 'value');
}

/** The `(value, mask)` pair MARK and CONNMARK keep for `--set-xmark`, from any spelling. */
function xmark(o: OptionSet): [number, number] | undefined {
  const spellings = ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'].filter((f) => o.has(f));
  if (spellings.length > 1) throw new Unreadable('mark');
  const f = spellings[0];
  if (f === undefined) return undefined;
  const text = need(o.value(f), 'mark');
  switch (f) {
    case '--set-xmark': {
      const m = need(parseMarkMask(text), 'mark');
      return [m.value, m.mask];
    }
    case '--set-mark': {
      const m = need(parseMarkMask(text), 'mark');
      return [m.value, (m.mask | m.value) >>> 0];
    }
    case '--and-mark':
      return [0, ~u32(text) >>> 0];
    case '--or-mark': {
      const v = u32(text);
      return [v, v];
    }
    default: {
      const v = u32(text);
      return [v, 0];
    }
  }
}

const markTarget: Saver = (o) => {
  if (o.size !== 1) throw new Unreadable('mark');
  const [v, m] = need(xmark(o), 'mark');
  return ` --set-xmark ${hex(v)}/${hex(m)}`;
};

const connmarkTarget: Saver = (o) => {
  const set = xmark(o);
  if (set) {
    if (o.size !== 1) throw new Unreadable('connmark');
    return ` --set-xmark ${hex(set[0])}/${hex(set[1])}`;
  }
  const mode = o.has('--save-mark') ? '--save-mark' : o.has('--restore-mark') ? '--restore-mark' : undefined;
  if (!mode || (o.has('--save-mark') && o.has('--restore-mark'))) throw new Unreadable('connmark');
  if (!o.only(mode, '--mask', '--nfmask', '--ctmask')) throw new Unreadable('connmark');
  const mask = o.has('--mask') ? u32(o.value('--mask')) : ONES;
  const nfmask = o.has('--nfmask') ? u32(o.value('--nfmask')) : mask;
  const ctmask = o.has('--ctmask') ? u32(o.value('--ctmask')) : mask;
  return ` ${mode} --nfmask ${hex(nfmask)} --ctmask ${hex(ctmask)}`;
};

// --- LOG / NFLOG ---------------------------------------------------------------------------------

const LOG_LEVELS: ReadonlyArray<readonly [string, number]> = [
  ['alert', 1],
  ['crit', 2],
  ['debug', 7],
  ['emerg', 0],
  ['error', 3],
  ['info', 6],
  ['notice', 5],
  ['panic', 0],
  ['warning', 4],
  ['err', 3],
  ['warn', 4],
];

const log: Saver = (o) => {
  let out = '';
  const prefix = o.value('--log-prefix');
  if (o.has('--log-prefix') && need(prefix, 'prefix') !== '') out += ` --log-prefix ${saveString(prefix as string)}`;
  if (o.has('--log-level')) {
    const text = need(o.value('--log-level'), 'level');
    const level = parseUint(text, 7) ?? LOG_LEVELS.find(([n]) => n === text.toLowerCase())?.[1];
    if (need(level, 'level') !== 4) out += ` --log-level ${level}`;
  }
  for (const f of ['--log-tcp-sequence', '--log-tcp-options', '--log-ip-options', '--log-uid', '--log-macdecode']) {
    if (o.has(f)) out += ` ${f}`;
  }
  return out;
};

const nflog: Saver = (o, ctx) => {
  let out = '';
  const prefix = o.value('--nflog-prefix');
  if (o.has('--nflog-prefix') && need(prefix, 'prefix') !== '') out += ` --nflog-prefix ${saveString(prefix as string)}`;
  if (o.has('--nflog-group')) {
    const g = u32(o.value('--nflog-group'));
    if (g > 0xffff) throw new Unreadable('group');
    if (g) out += ` --nflog-group ${g}`;
  }
  if (o.has('--nflog-size') && o.has('--nflog-range')) throw new Unreadable('nflog');
  if (o.has('--nflog-size')) out += ` --nflog-size ${u32(o.value('--nflog-size'))}`;
  // The nf_tables backend has no place for the old `--nflog-range`: it is lost on load.
  if (o.has('--nflog-range') && !ctx.nft) {
    const r = u32(o.value('--nflog-range'));
    if (r) out += ` --nflog-range ${r}`;
  }
  if (o.has('--nflog-threshold')) {
    const t = u32(o.value('--nflog-threshold'));
    if (t) out += ` --nflog-threshold ${t}`;
  }
  return out;
};

// --- the rest ------------------------------------------------------------------------------------

const noOptions: Saver = (o) => {
  if (o.size !== 0) throw new Unreadable('options');
  return '';
};

const ct: Saver = (o) => {
  if (o.only('--notrack')) return o.has('--notrack') ? ' --notrack' : '';
  if (o.only('--zone')) return ` --zone ${need(parseUint(need(o.value('--zone'), 'zone'), 0xffff), 'zone')}`;
  throw new Unreadable('CT');
};

const tcpmss: Saver = (o) => {
  if (o.size !== 1) throw new Unreadable('TCPMSS');
  if (o.has('--clamp-mss-to-pmtu')) return ' --clamp-mss-to-pmtu';
  return ` --set-mss ${need(parseUint(need(o.value('--set-mss'), 'mss'), 0xffff), 'mss')}`;
};

const setTarget: Saver = (o) => {
  const name = o.has('--add-set') ? '--add-set' : o.has('--del-set') ? '--del-set' : undefined;
  if (!name || !o.only(name, '--exist', '--timeout') || (name === '--del-set' && o.size > 1)) throw new Unreadable('SET');
  const a = need(o.get(name), 'set');
  if (a.values.length !== 2) throw new Unreadable('SET');
  let out = ` ${name} ${a.values[0]} ${a.values[1]}`;
  if (o.has('--exist')) out += ' --exist';
  if (o.has('--timeout')) out += ` --timeout ${u32(o.value('--timeout'))}`;
  return out;
};

const checksum: Saver = (o) => {
  if (!o.only('--checksum-fill') || !o.has('--checksum-fill')) throw new Unreadable('CHECKSUM');
  return ' --checksum-fill';
};

const nfqueue: Saver = (o) => {
  if (!o.only('--queue-num', '--queue-bypass')) throw new Unreadable('NFQUEUE');
  const num = o.has('--queue-num') ? need(parseUint(need(o.value('--queue-num'), 'queue'), 0xffff), 'queue') : 0;
  return ` --queue-num ${num}${o.has('--queue-bypass') ? ' --queue-bypass' : ''}`;
};

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

const tosTarget: Saver = (o) => {
  if (!o.only('--set-tos')) throw new Unreadable('TOS');
  const m = need(parseMarkMask(need(o.value('--set-tos'), 'tos')), 'tos');
  const mask = m.hasMask ? m.mask : 0xff;
  if (m.value > 0xff || mask > 0xff) throw new Unreadable('TOS');
  return ` --set-tos ${hex2(m.value)}/${hex2(mask)}`;
};

const dscpTarget: Saver = (o) => ` --set-dscp ${hex2(dscpValue(o, '--set-dscp', '--set-dscp-class'))}`;

const classify: Saver = (o) => {
  const [major, minor, ...rest] = need(o.value('--set-class'), 'class').split(':');
  if (rest.length || !/^[0-9a-fA-F]{1,4}$/.test(major ?? '') || !/^[0-9a-fA-F]{1,4}$/.test(minor ?? '')) throw new Unreadable('class');
  const pad = (h: string): string => parseInt(h, 16).toString(16).padStart(4, '0');
  return ` --set-class ${pad(major as string)}:${pad(minor as string)}`;
};

const TARGET_SAVERS: Readonly<Record<string, Saver>> = {
  TOS: tosTarget,
  DSCP: dscpTarget,
  CLASSIFY: classify,
  REJECT: reject,
  DNAT: nat('--to-destination', ['--random', '--persistent']),
  SNAT: nat('--to-source', ['--random', '--random-fully', '--persistent']),
  MASQUERADE: toPorts(['--random', '--random-fully']),
  REDIRECT: toPorts(['--random']),
  NETMAP: netmap,
  MARK: markTarget,
  CONNMARK: connmarkTarget,
  LOG: log,
  NFLOG: nflog,
  NFQUEUE: nfqueue,
  CT: ct,
  NOTRACK: noOptions,
  TRACE: noOptions,
  TCPMSS: tcpmss,
  SET: setTarget,
  CHECKSUM: checksum,
  ACCEPT: noOptions,
  DROP: noOptions,
  RETURN: noOptions,
};

/**
 * The saved text of a target's options, or undefined when rulec does not know the target or
 * cannot read one of its values. A jump to a user chain has no options: ''.
 */
export function saveTargetOptions(name: string, options: readonly Arg[], ctx: SaveContext): string | undefined {
  const saver = Object.prototype.hasOwnProperty.call(TARGET_SAVERS, name) ? TARGET_SAVERS[name] : undefined;
  if (!saver) return options.length === 0 ? '' : undefined;
  const o = new OptionSet(options, (f) => canonicalTargetOption(name, f));
  if (!o.ok) return undefined;
  try {
    return saver(o, ctx);
  } catch {
    // Unreadable: a value iptables would refuse; the options are then printed as written.
    return undefined;
  }
}
