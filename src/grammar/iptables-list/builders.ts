import { tokenMatcher } from '../chevrotain.js';
import type { IToken } from 'chevrotain';
import {
  ItemBuilder,
  TO_FLAGS,
  isMark,
  isNumber,
  portKind,
  setXmark,
  tcpFlagNames,
  unbang,
  type Item,
} from './items.js';
import { commentText } from './scan.js';
import { PortSpec, TcpFlags } from './tokens.js';
import { own } from '../../records.js';

/**
 * Builders of the items both parsing paths recognise: the chevrotain grammar
 * (match-parser.ts) and the fast path for common rows (fast-path.ts) group the tokens of an
 * item, and these functions turn a group into the item. Sharing them is what makes the two
 * paths give the same result for the same grouping, which a property test checks.
 */

/** A `[!] keyword [value]` option inside an item, e.g. `! ctstatus ASSURED`. */
export type Opt = readonly [neg: IToken | undefined, key: IToken, value: IToken | undefined];
/** A `keyword [value]` option, e.g. `seconds: 10800` or `reap`. */
export type Pair = readonly [key: IToken, value: IToken | undefined];

export function buildUnknown(first: IToken, rest: readonly IToken[]): Item {
  return new ItemBuilder('unknown', first).seeAll(rest).done();
}

export function buildComment(t: IToken): Item {
  return new ItemBuilder('match', t).add('-m', t, ['comment']).add('--comment', t, [commentText(t.image)]).done();
}

/** `tcp spt:80 dpts:1000:2000 option=5 flags:0x17/0x02` (also udp, sctp, dccp). */
export function buildPorts(proto: IToken, specs: readonly IToken[]): Item {
  const b = new ItemBuilder('match', proto).seeAll(specs).add('-m', proto, [proto.image]);
  for (const s of specs) {
    if (tokenMatcher(s, PortSpec)) {
      const colon = s.image.indexOf(':');
      const name = s.image.slice(0, colon);
      const { negated, value } = unbang(s.image.slice(colon + 1));
      const kind = portKind(value, name.endsWith('s'));
      if (kind === undefined) b.fail(`bad port "${s.image}"`);
      if (kind === 'name') b.lossy = 'port-names';
      b.add(name.startsWith('s') ? '--sport' : '--dport', s, [value], negated);
    } else if (proto.image !== 'tcp') {
      b.fail(`"${s.image}" after ${proto.image}`);
    } else if (tokenMatcher(s, TcpFlags)) {
      const { negated, value } = unbang(s.image.slice('flags:'.length));
      const slash = value.indexOf('/');
      const mask = tcpFlagNames(value.slice(0, slash));
      const comp = tcpFlagNames(value.slice(slash + 1));
      if (slash < 0 || mask === undefined || comp === undefined) b.fail(`bad TCP flags "${s.image}"`);
      else b.add('--tcp-flags', s, [mask, comp], negated);
    } else {
      const { negated, value } = unbang(s.image.slice('option='.length));
      if (!isNumber(value)) b.fail(`bad TCP option "${s.image}"`);
      b.add('--tcp-option', s, [value], negated);
    }
  }
  return b.done();
}

/** `ADDRTYPE match src-type LOCAL dst-type !LOCAL limit-in`. */
export function buildAddrtype(kw: IToken, m: IToken | undefined, parts: readonly Pair[]): Item {
  const b = new ItemBuilder('match', kw).see(m).seeAll(parts.flat()).add('-m', kw, ['addrtype']);
  b.need(m, '"match"');
  if (parts.length === 0) b.fail('no address type');
  for (const [k, v] of parts) {
    if (k.image === 'limit-in' || k.image === 'limit-out') {
      b.add(k.image === 'limit-in' ? '--limit-iface-in' : '--limit-iface-out', k);
    } else if (b.need(v, 'address type')) {
      const { negated, value } = unbang(v.image);
      if (!/^[A-Z]+(,[A-Z]+)*$/.test(value)) b.fail(`bad address type "${v.image}"`);
      b.add(`--${k.image}`, k, [value], negated);
    }
  }
  return b.done();
}

/** `[!] match-set NAME dst,dst [return-nomatch] [! update-counters] [! packets-eq N]…`. */
export function buildMatchSet(
  bang: IToken | undefined,
  kw: IToken,
  name: IToken | undefined,
  dirs: IToken | undefined,
  opts: readonly Opt[],
): Item {
  const b = new ItemBuilder('match', bang ?? kw).see(kw, name, dirs).seeAll(opts.flat()).add('-m', kw, ['set']);
  if (!b.need(name, 'set name') || !b.need(dirs, 'set flags')) return b.done();
  if (!/^(src|dst)(,(src|dst))*$/.test(dirs.image)) b.fail(`bad set flags "${dirs.image}"`);
  b.add('--match-set', kw, [name.image, dirs.image], bang !== undefined);
  for (const [neg, k, v] of opts) {
    if (k.image.startsWith('packets-') || k.image.startsWith('bytes-')) {
      if (b.need(v, `${k.image} value`) && !isNumber(v.image)) b.fail(`bad counter "${v.image}"`);
      b.add(`--${k.image}`, k, v ? [v.image] : [], neg !== undefined);
    } else {
      b.add(`--${k.image}`, k, [], neg !== undefined);
    }
  }
  return b.done();
}

/** `mark match [!] 0x4000/0x4000`, `connmark match  0x1/0x1`. */
export function buildMark(kw: IToken, m: IToken | undefined, bang: IToken | undefined, v: IToken | undefined): Item {
  const b = new ItemBuilder('match', kw).see(m, bang, v).add('-m', kw, [kw.image]);
  if (!b.need(m, '"match"') || !b.need(v, 'mark value')) return b.done();
  const { negated, value } = unbang(v.image);
  if (!isMark(value)) b.fail(`bad mark "${v.image}"`);
  return b.add('--mark', v, [value], negated || bang !== undefined).done();
}

/** `MARK or 0x4000`, `MARK xset 0x1/0xf`, `CONNMARK and 0xff`… as `--set-xmark VALUE/MASK`. */
export function buildMarkTarget(kw: IToken, mode: IToken | undefined, v: IToken | undefined): Item {
  const b = new ItemBuilder('target', kw).see(mode, v);
  if (!b.need(mode, 'mark operation') || !b.need(v, 'mark value')) return b.done();
  const xmark = setXmark(mode.image, v.image);
  if (xmark === undefined) return b.fail(`unknown ${kw.image} operation "${mode.image} ${v.image}"`).done();
  return b.add('--set-xmark', mode, [xmark]).done();
}

/** `statistic mode random [!] probability 0.5…`, `statistic mode nth [!] every 3 packet 1`. */
export function buildStatistic(
  kw: IToken,
  modeKw: IToken | undefined,
  mode: IToken | undefined,
  opts: readonly Opt[],
): Item {
  const b = new ItemBuilder('match', kw).see(modeKw, mode).seeAll(opts.flat()).add('-m', kw, ['statistic']);
  if (!b.need(modeKw, '"mode"') || !b.need(mode, 'mode')) return b.done();
  if (mode.image !== 'random' && mode.image !== 'nth') return b.fail(`unknown mode "${mode.image}"`).done();
  b.add('--mode', mode, [mode.image]);
  const random = mode.image === 'random';
  const main = opts.find(([, k]) => k.image === (random ? 'probability' : 'every'));
  for (const [, k] of opts) {
    if (random ? k.image !== 'probability' : k.image === 'probability') b.fail(`"${k.image}" with mode ${mode.image}`);
  }
  if (main === undefined) return b.fail(`${random ? 'probability' : 'every'} missing`).done();
  const [neg, k, v] = main;
  if (!b.need(v, `${k.image} value`)) return b.done();
  if (!(random ? /^[0-9]+(\.[0-9]+)?$/ : /^[0-9]+$/).test(v.image)) b.fail(`bad ${k.image} "${v.image}"`);
  b.add(`--${k.image}`, k, [v.image], neg !== undefined);
  if (!random) {
    const packet = opts.find(([, key]) => key.image === 'packet');
    const pv = packet?.[2];
    if (packet !== undefined && (pv === undefined || !isNumber(pv.image))) b.fail('bad packet');
    b.add('--packet', packet?.[1] ?? k, [pv?.image ?? '0']);
  }
  return b.done();
}

const RECENT_MODES: Readonly<Record<string, string>> = {
  SET: '--set',
  CHECK: '--rcheck',
  UPDATE: '--update',
  REMOVE: '--remove',
};

/** `recent: CHECK seconds: 10800 reap name: KUBE-SEP-X side: source mask: 255.255.255.255`. */
export function buildRecent(
  bang: IToken | undefined,
  kw: IToken,
  inner: IToken | undefined,
  mode: IToken | undefined,
  opts: readonly Pair[],
): Item {
  const b = new ItemBuilder('match', bang ?? kw).see(kw, inner, mode).seeAll(opts.flat()).add('-m', kw, ['recent']);
  if (!b.need(mode, 'recent mode')) return b.done();
  const flag = own(RECENT_MODES, mode.image);
  if (flag === undefined) return b.fail(`unknown recent mode "${mode.image}"`).done();
  b.add(flag, mode, [], bang !== undefined || inner !== undefined);
  const get = (k: string): Pair | undefined => opts.find(([t]) => t.image === k);
  const valued = (k: string, opt: string, check: (s: string) => boolean): void => {
    const o = get(k);
    if (o === undefined) return;
    const [t, v] = o;
    if (!b.need(v, `${k} value`)) return;
    if (!check(v.image)) b.fail(`bad ${k} "${v.image}"`);
    b.add(opt, t, [v.image]);
  };
  valued('seconds:', '--seconds', isNumber);
  const reap = get('reap');
  if (reap) b.add('--reap', reap[0]);
  valued('hit_count:', '--hitcount', isNumber);
  const ttl = get('TTL-Match');
  if (ttl) b.add('--rttl', ttl[0]);
  if (get('name:') === undefined) b.fail('name missing');
  valued('name:', '--name', (s) => s.length > 0);
  valued('mask:', '--mask', (s) => /^[0-9a-fA-F.:]+$/.test(s));
  const side = get('side:');
  if (side === undefined) return b.fail('side missing').done();
  const [st, sv] = side;
  if (!b.need(sv, 'side')) return b.done();
  if (sv.image === 'source') b.add('--rsource', st);
  else if (sv.image === 'dest') b.add('--rdest', st);
  else b.fail(`bad side "${sv.image}"`);
  return b.done();
}

/** `[!] ctstate RELATED,ESTABLISHED [!] ctproto 6 … ctdir REPLY`: all options, first included. */
export function buildConntrack(first: Opt, more: readonly Opt[]): Item {
  const b = new ItemBuilder('match', first[0] ?? first[1]).seeAll(first).seeAll(more.flat()).add('-m', first[1], ['conntrack']);
  for (const [neg, k, v] of [first, ...more]) {
    if (b.need(v, `${k.image} value`)) b.add(`--${k.image}`, k, [v.image], neg !== undefined);
  }
  return b.done();
}

/** `[!] state NEW,ESTABLISHED`. */
export function buildState(bang: IToken | undefined, kw: IToken, v: IToken | undefined): Item {
  const b = new ItemBuilder('match', bang ?? kw).see(kw, v).add('-m', kw, ['state']);
  if (b.need(v, 'state')) {
    if (!/^[A-Z]+(,[A-Z]+)*$/.test(v.image)) b.fail(`bad state "${v.image}"`);
    b.add('--state', kw, [v.image], bang !== undefined);
  }
  return b.done();
}

/** `to:10.0.0.1:80` (DNAT `--to-destination`, SNAT `--to-source`, NETMAP `--to`). */
export function buildNatTo(t: IToken, target: string): Item {
  const b = new ItemBuilder('target', t);
  const flag = TO_FLAGS.get(target);
  const value = t.image.slice(3);
  if (value === '') return b.fail('address missing').done();
  if (flag === undefined) return b.fail(`"to:" with target ${target || '(none)'}`).done();
  return b.add(flag, t, [value]).done();
}

/** `random`, `random-fully`, `persistent` (NAT targets). */
export function buildNatFlag(t: IToken): Item {
  return new ItemBuilder('target', t).add(`--${t.image}`, t).done();
}

export function buildReject(kw: IToken, v: IToken | undefined): Item {
  const b = new ItemBuilder('target', kw).see(v);
  if (b.need(v, 'reject type')) b.add('--reject-with', kw, [v.image]);
  return b.done();
}

export function buildNfacct(kw: IToken, v: IToken | undefined): Item {
  const b = new ItemBuilder('match', kw).see(v).add('-m', kw, ['nfacct']);
  if (b.need(v, 'accounting object name')) b.add('--nfacct-name', kw, [v.image]);
  return b.done();
}

export function buildGoto(t: IToken): Item {
  return new ItemBuilder('goto', t).done();
}
