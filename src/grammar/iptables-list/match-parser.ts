import { EmbeddedActionsParser, tokenMatcher } from '../chevrotain.js';
import type { IOrAlt, IToken, TokenType } from 'chevrotain';
import {
  buildAddrtype,
  buildComment,
  buildConntrack,
  buildGoto,
  buildMark,
  buildMarkTarget,
  buildMatchSet,
  buildNatFlag,
  buildNatTo,
  buildNfacct,
  buildPorts,
  buildRecent,
  buildReject,
  buildState,
  buildStatistic,
  buildUnknown,
  type Opt,
  type Pair,
} from './builders.js';
import {
  ItemBuilder,
  LOG_FLAGS,
  LOG_FLAG_NAMES,
  LOG_LEVELS,
  RPFILTER_FLAGS,
  isNumber,
  portListKind,
  unbang,
  type Item,
} from './items.js';
import { quotedText } from './scan.js';
import {
  ALL_TOKENS,
  Bang,
  Comment,
  CtOption,
  K,
  NonStart,
  PortProto,
  PortSpec,
  Quoted,
  TcpFlags,
  TcpOption,
  ToSpec,
  Value,
} from './tokens.js';

/** `match-set` options that take no value. */
const SET_FLAG_OPTIONS: ReadonlySet<string> = new Set(['return-nomatch', 'update-counters', 'update-subcounters']);

/**
 * The grammar of a listing's match text: a sequence of items, each a match or part of the
 * target's text, with runs of anything else kept as unknown items.
 *
 * Every item is chosen by its first token (LL(1), or a lone `!` followed by a negatable
 * keyword), and everything after that first token is optional in the grammar and checked in
 * the item's action instead, so the parser never throws on odd input: an item that does not
 * continue as expected comes back with `broken` set.
 */
export class MatchTextParser extends EmbeddedActionsParser {
  /** The rule's target (`DNAT`, `KUBE-SEP-…`, '' when none), which decides what `to:` means. */
  target = '';

  constructor() {
    super(ALL_TOKENS, { maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  public matchText = this.RULE('matchText', (): Item[] => {
    const items: Item[] = [];
    this.MANY(() => {
      const item = this.SUBRULE(this.item);
      this.ACTION(() => items.push(item));
    });
    return items;
  });

  private item = this.RULE('item', (): Item => this.OR(this.itemAlts));

  /** The item alternatives, built once: chevrotain otherwise allocates them on every call. */
  private readonly itemAlts: IOrAlt<Item>[] = [
    { ALT: () => this.SUBRULE(this.comment) },
    { ALT: () => this.SUBRULE(this.ports) },
    { ALT: () => this.SUBRULE(this.multiport) },
    { ALT: () => this.SUBRULE(this.addrtype) },
    { ALT: () => this.SUBRULE(this.matchSet, { ARGS: [undefined] }) },
    { ALT: () => this.SUBRULE(this.mark) },
    { ALT: () => this.SUBRULE(this.markTarget) },
    { ALT: () => this.SUBRULE(this.statistic) },
    { ALT: () => this.SUBRULE(this.recent, { ARGS: [undefined] }) },
    { ALT: () => this.SUBRULE(this.conntrack, { ARGS: [undefined] }) },
    { ALT: () => this.SUBRULE(this.state, { ARGS: [undefined] }) },
    { ALT: () => this.SUBRULE(this.owner, { ARGS: [undefined] }) },
    { ALT: () => this.SUBRULE(this.natTo) },
    { ALT: () => this.SUBRULE(this.natFlag) },
    { ALT: () => this.SUBRULE(this.toPorts) },
    { ALT: () => this.SUBRULE(this.reject) },
    { ALT: () => this.SUBRULE(this.nfacct) },
    { ALT: () => this.SUBRULE(this.physdev) },
    { ALT: () => this.SUBRULE(this.log) },
    { ALT: () => this.SUBRULE(this.nflog) },
    { ALT: () => this.SUBRULE(this.goto) },
    { ALT: () => this.SUBRULE(this.icmpNumeric) },
    { ALT: () => this.SUBRULE(this.icmpNamed) },
    { ALT: () => this.SUBRULE(this.limit) },
    { ALT: () => this.SUBRULE(this.ct) },
    { ALT: () => this.SUBRULE(this.tcpmss) },
    { ALT: () => this.SUBRULE(this.mac) },
    { ALT: () => this.SUBRULE(this.iprange) },
    { ALT: () => this.SUBRULE(this.length) },
    { ALT: () => this.SUBRULE(this.pkttype) },
    { ALT: () => this.SUBRULE(this.rpfilter) },
    { ALT: () => this.SUBRULE(this.negated) },
    { ALT: () => this.SUBRULE(this.unknown) },
  ];

  /** `! match-set`, `! ctstate`, `! state`, `! recent:`, `! owner`; a lone `!` otherwise. */
  private negated = this.RULE('negated', (): Item => {
    this.bang = this.CONSUME(Bang);
    return this.OR(this.negatedAlts);
  });

  /** The `!` the `negated` rule consumed, for its alternatives. */
  private bang: IToken | undefined;
  private readonly negatedAlts: IOrAlt<Item>[] = [
    { ALT: () => this.SUBRULE(this.matchSet, { ARGS: [this.bang] }) },
    { ALT: () => this.SUBRULE(this.recent, { ARGS: [this.bang] }) },
    { ALT: () => this.SUBRULE(this.conntrack, { ARGS: [this.bang] }) },
    { ALT: () => this.SUBRULE(this.state, { ARGS: [this.bang] }) },
    { ALT: () => this.SUBRULE(this.owner, { ARGS: [this.bang] }) },
    { ALT: () => this.ACTION(() => new ItemBuilder('unknown', this.LA(0)).done()) },
  ];

  private unknown = this.RULE('unknown', (): Item => {
    const first = this.CONSUME(NonStart);
    const rest: IToken[] = [];
    this.MANY(() => {
      rest.push(this.CONSUME2(NonStart));
    });
    return this.ACTION(() => buildUnknown(first, rest));
  });

  private comment = this.RULE('comment', (): Item => {
    const t = this.CONSUME(Comment);
    return this.ACTION(() => buildComment(t));
  });

  /** `tcp spt:80 dpts:1000:2000 option=5 flags:0x17/0x02` (also udp, sctp, dccp). */
  private ports = this.RULE('ports', (): Item => {
    const proto = this.CONSUME(PortProto);
    const specs: IToken[] = [];
    this.MANY(() => {
      specs.push(this.OR(this.portSpecAlts));
    });
    return this.ACTION(() => buildPorts(proto, specs));
  });

  private readonly portSpecAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(PortSpec) },
    { ALT: () => this.CONSUME(TcpFlags) },
    { ALT: () => this.CONSUME(TcpOption) },
  ];

  /** `multiport dports 80,443`, `multiport sports  !80,443`, `multiport ports 53`. */
  private multiport = this.RULE('multiport', (): Item => {
    const kw = this.CONSUME(K.multiport);
    const dir = this.OPTION(() => this.OR(this.multiportAlts));
    const bang = this.OPTION2(() => this.CONSUME(Bang));
    const v = this.OPTION3(() => this.CONSUME(Value));
    return this.ACTION(() => {
      const b = new ItemBuilder('match', kw).see(dir, bang, v).add('-m', kw, ['multiport']);
      if (!b.need(dir, 'sports/dports/ports') || !b.need(v, 'port list')) return b.done();
      const { negated, value } = unbang(v.image);
      const kind = portListKind(value);
      if (kind === undefined) b.fail(`bad port list "${v.image}"`);
      if (kind === 'name') b.lossy = 'port-names';
      return b.add(`--${dir.image}`, dir, [value], negated || bang !== undefined).done();
    });
  });

  private readonly multiportAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(K.sports) },
    { ALT: () => this.CONSUME(K.dports) },
    { ALT: () => this.CONSUME(K.ports) },
  ];

  /** `ADDRTYPE match src-type LOCAL dst-type !LOCAL limit-in`. */
  private addrtype = this.RULE('addrtype', (): Item => {
    const kw = this.CONSUME(K.ADDRTYPE);
    const m = this.OPTION(() => this.CONSUME(K.match));
    const parts: Pair[] = [];
    this.MANY(() => {
      parts.push(this.OR(this.addrtypeAlts));
    });
    return this.ACTION(() => buildAddrtype(kw, m, parts));
  });

  private readonly addrtypeAlts: IOrAlt<[IToken, IToken | undefined]>[] = [
    { ALT: () => [this.CONSUME(K['src-type']), this.OPTION2(() => this.CONSUME1(Value))] },
    { ALT: () => [this.CONSUME(K['dst-type']), this.OPTION3(() => this.CONSUME2(Value))] },
    { ALT: () => [this.CONSUME(K['limit-in']), undefined] },
    { ALT: () => [this.CONSUME(K['limit-out']), undefined] },
  ];

  /** `[!] match-set NAME dst,dst [return-nomatch] [! update-counters] [! packets-eq N]…`. */
  private matchSet = this.RULE('matchSet', (bang: IToken | undefined): Item => {
    const kw = this.CONSUME(K['match-set']);
    const name = this.OPTION(() => this.CONSUME1(Value));
    const dirs = this.OPTION2(() => this.CONSUME2(Value));
    const opts: Opt[] = [];
    this.MANY({
      GATE: () => this.setOptionAhead(),
      DEF: () => {
        const neg = this.OPTION3(() => this.CONSUME(Bang));
        const k = this.OR(this.setOptionAlts);
        opts.push([neg, k, this.OPTION4({ GATE: () => !SET_FLAG_OPTIONS.has(k.image), DEF: () => this.CONSUME3(Value) })]);
      },
    });
    return this.ACTION(() => buildMatchSet(bang, kw, name, dirs, opts));
  });

  private setOptionAhead(): boolean {
    const SET_OPTIONS = this.setOptionTokens;
    const t1 = this.LA(1);
    if (tokenMatcher(t1, Bang)) return SET_OPTIONS.some((t) => tokenMatcher(this.LA(2), t));
    return SET_OPTIONS.some((t) => tokenMatcher(t1, t));
  }

  private readonly setOptionAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(K['return-nomatch']) },
    { ALT: () => this.CONSUME(K['update-counters']) },
    { ALT: () => this.CONSUME(K['update-subcounters']) },
    { ALT: () => this.CONSUME(K['packets-eq']) },
    { ALT: () => this.CONSUME(K['packets-lt']) },
    { ALT: () => this.CONSUME(K['packets-gt']) },
    { ALT: () => this.CONSUME(K['bytes-eq']) },
    { ALT: () => this.CONSUME(K['bytes-lt']) },
    { ALT: () => this.CONSUME(K['bytes-gt']) },
  ];

  private readonly setOptionTokens: TokenType[] = [
    K['return-nomatch'],
    K['update-counters'],
    K['update-subcounters'],
    K['packets-eq'],
    K['packets-lt'],
    K['packets-gt'],
    K['bytes-eq'],
    K['bytes-lt'],
    K['bytes-gt'],
  ];

  /** `mark match [!] 0x4000/0x4000`, `connmark match  0x1/0x1`. */
  private mark = this.RULE('mark', (): Item => {
    const kw = this.OR(this.markAlts);
    const m = this.OPTION(() => this.CONSUME(K.match));
    const bang = this.OPTION2(() => this.CONSUME(Bang));
    const v = this.OPTION3(() => this.CONSUME(Value));
    return this.ACTION(() => buildMark(kw, m, bang, v));
  });

  private readonly markAlts: IOrAlt<IToken>[] = [{ ALT: () => this.CONSUME(K.mark) }, { ALT: () => this.CONSUME(K.connmark) }];
  private readonly markTargetAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(K.MARK) },
    { ALT: () => this.CONSUME(K.CONNMARK) },
  ];

  /** `MARK or 0x4000`, `MARK xset 0x1/0xf`, `CONNMARK and 0xff`… as `--set-xmark VALUE/MASK`. */
  private markTarget = this.RULE('markTarget', (): Item => {
    const kw = this.OR(this.markTargetAlts);
    const mode = this.OPTION(() => this.CONSUME1(Value));
    const v = this.OPTION2(() => this.CONSUME2(Value));
    return this.ACTION(() => buildMarkTarget(kw, mode, v));
  });

  /** `statistic mode random [!] probability 0.5…`, `statistic mode nth [!] every 3 packet 1`. */
  private statistic = this.RULE('statistic', (): Item => {
    const kw = this.CONSUME(K.statistic);
    const modeKw = this.OPTION(() => this.CONSUME(K.mode));
    const mode = this.OPTION2(() => this.CONSUME1(Value));
    const opts: Opt[] = [];
    this.MANY({
      GATE: () => {
        const t = tokenMatcher(this.LA(1), Bang) ? this.LA(2) : this.LA(1);
        return tokenMatcher(t, K.probability) || tokenMatcher(t, K.every) || tokenMatcher(t, K.packet);
      },
      DEF: () => {
        const neg = this.OPTION3(() => this.CONSUME(Bang));
        const k = this.OR(this.statisticAlts);
        opts.push([neg, k, this.OPTION4(() => this.CONSUME2(Value))]);
      },
    });
    return this.ACTION(() => buildStatistic(kw, modeKw, mode, opts));
  });

  private readonly statisticAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(K.probability) },
    { ALT: () => this.CONSUME(K.every) },
    { ALT: () => this.CONSUME(K.packet) },
  ];

  /** `recent: CHECK seconds: 10800 reap name: KUBE-SEP-X side: source mask: 255.255.255.255`. */
  private recent = this.RULE('recent', (bang: IToken | undefined): Item => {
    const kw = this.CONSUME(K['recent:']);
    const inner = this.OPTION(() => this.CONSUME(Bang));
    const mode = this.OPTION2(() => this.CONSUME1(Value));
    const opts: Pair[] = [];
    this.MANY(() => {
      opts.push(this.OR(this.recentAlts));
    });
    return this.ACTION(() => buildRecent(bang, kw, inner, mode, opts));
  });

  private readonly recentAlts: IOrAlt<[IToken, IToken | undefined]>[] = [
    { ALT: () => [this.CONSUME(K['seconds:']), this.OPTION3(() => this.CONSUME2(Value))] },
    { ALT: () => [this.CONSUME(K.reap), undefined] },
    { ALT: () => [this.CONSUME(K['hit_count:']), this.OPTION4(() => this.CONSUME3(Value))] },
    { ALT: () => [this.CONSUME(K['TTL-Match']), undefined] },
    { ALT: () => [this.CONSUME(K['name:']), this.OPTION5(() => this.CONSUME4(Value))] },
    { ALT: () => [this.CONSUME(K['side:']), this.OPTION6(() => this.CONSUME5(Value))] },
    { ALT: () => [this.CONSUME(K['mask:']), this.OPTION7(() => this.CONSUME6(Value))] },
  ];

  /** `[!] ctstate RELATED,ESTABLISHED [!] ctproto 6 … ctdir REPLY`. */
  private conntrack = this.RULE('conntrack', (bang: IToken | undefined): Item => {
    const first = this.CONSUME(CtOption);
    const firstValue = this.OPTION(() => this.CONSUME1(Value));
    const more: Opt[] = [];
    this.MANY({
      GATE: () => tokenMatcher(this.LA(1), CtOption) || (tokenMatcher(this.LA(1), Bang) && tokenMatcher(this.LA(2), CtOption)),
      DEF: () => {
        const neg = this.OPTION2(() => this.CONSUME(Bang));
        const k = this.CONSUME2(CtOption);
        more.push([neg, k, this.OPTION3(() => this.CONSUME2(Value))]);
      },
    });
    return this.ACTION(() => buildConntrack([bang, first, firstValue], more));
  });

  /** `[!] state NEW,ESTABLISHED`. */
  private state = this.RULE('state', (bang: IToken | undefined): Item => {
    const kw = this.CONSUME(K.state);
    const v = this.OPTION(() => this.CONSUME(Value));
    return this.ACTION(() => buildState(bang, kw, v));
  });

  /** `owner UID match 1000`, `owner GID match !0`. */
  private owner = this.RULE('owner', (bang: IToken | undefined): Item => {
    const kw = this.CONSUME(K.owner);
    const which = this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(K.UID) }, { ALT: () => this.CONSUME(K.GID) }]));
    const m = this.OPTION2(() => this.CONSUME(K.match));
    const inner = this.OPTION3(() => this.CONSUME(Bang));
    const v = this.OPTION4(() => this.CONSUME(Value));
    return this.ACTION(() => {
      const b = new ItemBuilder('match', bang ?? kw).see(kw, which, m, inner, v).add('-m', kw, ['owner']);
      if (!b.need(which, 'UID or GID') || !b.need(m, '"match"') || !b.need(v, 'owner')) return b.done();
      const { negated, value } = unbang(v.image);
      if (!isNumber(value)) b.lossy = 'user-names';
      const flag = which.image === 'UID' ? '--uid-owner' : '--gid-owner';
      return b.add(flag, v, [value], negated || inner !== undefined || bang !== undefined).done();
    });
  });

  /** `to:10.0.0.1:80` (DNAT `--to-destination`, SNAT `--to-source`, NETMAP `--to`). */
  private natTo = this.RULE('natTo', (): Item => {
    const t = this.CONSUME(ToSpec);
    return this.ACTION(() => buildNatTo(t, this.target));
  });

  /** `random`, `random-fully`, `persistent` (NAT targets). */
  private natFlag = this.RULE('natFlag', (): Item => {
    const t = this.OR(this.natFlagAlts);
    return this.ACTION(() => buildNatFlag(t));
  });

  private readonly natFlagAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(K.random) },
    { ALT: () => this.CONSUME(K['random-fully']) },
    { ALT: () => this.CONSUME(K.persistent) },
  ];

  /** `masq ports: 1000-2000` (MASQUERADE), `redir ports 3128` (REDIRECT): `--to-ports`. */
  private toPorts = this.RULE('toPorts', (): Item => {
    const kw = this.OR([{ ALT: () => this.CONSUME(K.masq) }, { ALT: () => this.CONSUME(K.redir) }]);
    const p = this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(K['ports:']) }, { ALT: () => this.CONSUME(K.ports) }]));
    const v = this.OPTION2(() => this.CONSUME(Value));
    return this.ACTION(() => {
      const b = new ItemBuilder('target', kw).see(p, v);
      const want = kw.image === 'masq' ? 'ports:' : 'ports';
      if (p?.image !== want) return b.fail(`"${want}" missing`).done();
      if (!b.need(v, 'ports')) return b.done();
      if (!/^[0-9]+(-[0-9]+)?$/.test(v.image)) b.fail(`bad ports "${v.image}"`);
      return b.add('--to-ports', v, [v.image]).done();
    });
  });

  private reject = this.RULE('reject', (): Item => {
    const kw = this.CONSUME(K['reject-with']);
    const v = this.OPTION(() => this.CONSUME(Value));
    return this.ACTION(() => buildReject(kw, v));
  });

  private nfacct = this.RULE('nfacct', (): Item => {
    const kw = this.CONSUME(K['nfacct-name']);
    const v = this.OPTION(() => this.CONSUME(Value));
    return this.ACTION(() => buildNfacct(kw, v));
  });

  /** `PHYSDEV match --physdev-in eth0 ! --physdev-is-bridged`. */
  private physdev = this.RULE('physdev', (): Item => {
    const kw = this.CONSUME(K.PHYSDEV);
    const m = this.OPTION(() => this.CONSUME(K.match));
    const opts: [IToken | undefined, IToken, IToken | undefined][] = [];
    this.MANY({
      GATE: () => {
        const t = tokenMatcher(this.LA(1), Bang) ? this.LA(2) : this.LA(1);
        return this.physdevOptions.some((o) => tokenMatcher(t, o));
      },
      DEF: () => {
        const neg = this.OPTION2(() => this.CONSUME(Bang));
        this.OR([
          { ALT: () => opts.push([neg, this.CONSUME(K['--physdev-in']), this.OPTION3(() => this.CONSUME1(Value))]) },
          { ALT: () => opts.push([neg, this.CONSUME(K['--physdev-out']), this.OPTION4(() => this.CONSUME2(Value))]) },
          { ALT: () => opts.push([neg, this.CONSUME(K['--physdev-is-in']), undefined]) },
          { ALT: () => opts.push([neg, this.CONSUME(K['--physdev-is-out']), undefined]) },
          { ALT: () => opts.push([neg, this.CONSUME(K['--physdev-is-bridged']), undefined]) },
        ]);
      },
    });
    return this.ACTION(() => {
      const b = new ItemBuilder('match', kw).see(m).seeAll(opts.flat()).add('-m', kw, ['physdev']);
      b.need(m, '"match"');
      if (opts.length === 0) b.fail('no physdev option');
      for (const [neg, k, v] of opts) {
        const takesValue = k.image === '--physdev-in' || k.image === '--physdev-out';
        if (takesValue && !b.need(v, 'interface')) continue;
        b.add(k.image, k, takesValue && v ? [v.image] : [], neg !== undefined);
      }
      return b.done();
    });
  });

  private readonly physdevOptions: TokenType[] = [
    K['--physdev-in'],
    K['--physdev-out'],
    K['--physdev-is-in'],
    K['--physdev-is-out'],
    K['--physdev-is-bridged'],
  ];

  /** `LOG flags 1 level 6 prefix "x"` (with -n) or `LOG level info tcp-sequence prefix "x"`. */
  private log = this.RULE('log', (): Item => {
    const kw = this.CONSUME(K.LOG);
    const opts: [IToken, IToken | undefined][] = [];
    this.MANY({
      GATE: () => {
        const t = this.LA(1);
        return (
          tokenMatcher(t, K.flags) || tokenMatcher(t, K.level) || tokenMatcher(t, K.prefix) || LOG_FLAG_NAMES.has(t.image)
        );
      },
      DEF: () =>
        this.OR([
          { ALT: () => opts.push([this.CONSUME(K.flags), this.OPTION(() => this.CONSUME1(Value))]) },
          { ALT: () => opts.push([this.CONSUME(K.level), this.OPTION2(() => this.CONSUME2(Value))]) },
          { ALT: () => opts.push([this.CONSUME(K.prefix), this.OPTION3(() => this.CONSUME(Quoted))]) },
          {
            GATE: () => LOG_FLAG_NAMES.has(this.LA(1).image),
            ALT: () => opts.push([this.CONSUME3(Value), undefined]),
          },
        ]),
    });
    return this.ACTION(() => {
      const b = new ItemBuilder('target', kw).seeAll(opts.flat());
      let level: number | undefined;
      let flags = 0;
      let prefix: [IToken, string] | undefined;
      for (const [k, v] of opts) {
        if (k.image === 'flags') {
          if (b.need(v, 'flags') && !isNumber(v.image)) b.fail(`bad flags "${v.image}"`);
          flags |= v ? Number(v.image) : 0;
        } else if (k.image === 'level') {
          if (!b.need(v, 'level')) continue;
          level = isNumber(v.image) ? Number(v.image) : LOG_LEVELS.get(v.image);
          if (level === undefined || level > 7) b.fail(`bad level "${v.image}"`);
        } else if (k.image === 'prefix') {
          if (b.need(v, 'quoted prefix')) prefix = [k, quotedText(v.image)];
        } else {
          flags |= LOG_FLAGS.find(([, name]) => name === k.image)?.[0] ?? 0;
        }
      }
      if (level === undefined) b.fail('level missing');
      if ((flags & ~LOG_FLAGS.reduce((all, [bit]) => all | bit, 0)) !== 0) b.fail(`unknown flags ${flags}`);
      if (prefix) b.add('--log-prefix', prefix[0], [prefix[1]]);
      if (level !== undefined && level !== 4) b.add('--log-level', kw, [String(level)]);
      for (const [bit, name] of LOG_FLAGS) if (flags & bit) b.add(`--log-${name}`, kw);
      return b.done();
    });
  });

  /** `nflog-prefix "x"`, `nflog-group 5`, `nflog-range N`, `nflog-size N`, `nflog-threshold N`. */
  private nflog = this.RULE('nflog', (): Item => {
    return this.OR([
      {
        ALT: () => {
          const kw = this.CONSUME(K['nflog-prefix']);
          const q = this.OPTION(() => this.CONSUME(Quoted));
          return this.ACTION(() => {
            const b = new ItemBuilder('target', kw).see(q);
            if (b.need(q, 'quoted prefix')) b.add('--nflog-prefix', kw, [quotedText(q.image)]);
            return b.done();
          });
        },
      },
      {
        ALT: () => {
          const kw = this.OR2([
            { ALT: () => this.CONSUME(K['nflog-group']) },
            { ALT: () => this.CONSUME(K['nflog-range']) },
            { ALT: () => this.CONSUME(K['nflog-size']) },
            { ALT: () => this.CONSUME(K['nflog-threshold']) },
          ]);
          const v = this.OPTION2(() => this.CONSUME(Value));
          return this.ACTION(() => {
            const b = new ItemBuilder('target', kw).see(v);
            if (b.need(v, 'value') && !isNumber(v.image)) b.fail(`bad ${kw.image} "${v.image}"`);
            if (v) b.add(`--${kw.image}`, kw, [v.image]);
            return b.done();
          });
        },
      },
    ]);
  });

  private goto = this.RULE('goto', (): Item => {
    const t = this.CONSUME(K['[goto]']);
    return this.ACTION(() => buildGoto(t));
  });

  /** `icmptype 8`, `icmptype 3 code 4`, `ipv6-icmptype 128` (numeric listings). */
  private icmpNumeric = this.RULE('icmpNumeric', (): Item => {
    const kw = this.OR([{ ALT: () => this.CONSUME(K.icmptype) }, { ALT: () => this.CONSUME(K['ipv6-icmptype']) }]);
    const type = this.OPTION(() => this.CONSUME1(Value));
    const code = this.OPTION2(() => {
      const c = this.CONSUME(K.code);
      return [c, this.OPTION3(() => this.CONSUME2(Value))] as const;
    });
    return this.ACTION(() => this.icmpItem(kw, undefined, type, code));
  });

  /** `icmp echo-request`, `icmp !type 8 code 0`, `ipv6-icmp echo-request`, `icmp any`. */
  private icmpNamed = this.RULE('icmpNamed', (): Item => {
    const kw = this.OR([{ ALT: () => this.CONSUME(K.icmp) }, { ALT: () => this.CONSUME(K['ipv6-icmp']) }]);
    const first = this.OPTION(() => this.CONSUME1(Value));
    const type = this.OPTION2({
      GATE: () => first?.image === '!type' || first?.image === 'type',
      DEF: () => this.CONSUME2(Value),
    });
    const code = this.OPTION3(() => {
      const c = this.CONSUME(K.code);
      return [c, this.OPTION4(() => this.CONSUME3(Value))] as const;
    });
    return this.ACTION(() =>
      type === undefined ? this.icmpItem(kw, undefined, first, code) : this.icmpItem(kw, first, type, code),
    );
  });

  private icmpItem(
    kw: IToken,
    typeWord: IToken | undefined,
    type: IToken | undefined,
    code: readonly [IToken, IToken | undefined] | undefined,
  ): Item {
    const v6 = kw.image.startsWith('ipv6');
    const b = new ItemBuilder('match', kw).see(typeWord, type, code?.[0], code?.[1]).add('-m', kw, [v6 ? 'icmp6' : 'icmp']);
    if (!b.need(type, 'ICMP type')) return b.done();
    const { negated, value } = typeWord ? { negated: typeWord.image === '!type', value: type.image } : unbang(type.image);
    let text = value === '255' && !v6 ? 'any' : value;
    if (isNumber(value)) {
      if (code !== undefined) {
        const c = code[1];
        if (!b.need(c, 'ICMP code')) return b.done();
        if (!isNumber(c.image)) b.fail(`bad ICMP code "${c.image}"`);
        text = `${value}/${c.image}`;
      }
    } else if (/^[a-z][a-z0-9-]*$/.test(value)) {
      if (value !== 'any') b.lossy = 'icmp-names';
      if (code !== undefined) b.fail('ICMP code after a type name');
    } else {
      b.fail(`bad ICMP type "${type.image}"`);
    }
    return b.add(v6 ? '--icmpv6-type' : '--icmp-type', type, [text], negated).done();
  }

  /** `limit: avg 3/hour burst 5`. */
  private limit = this.RULE('limit', (): Item => {
    const kw = this.CONSUME(K['limit:']);
    const avg = this.OPTION(() => this.CONSUME(K.avg));
    const rate = this.OPTION2(() => this.CONSUME1(Value));
    const burst = this.OPTION3(() => this.CONSUME(K.burst));
    const n = this.OPTION4(() => this.CONSUME2(Value));
    return this.ACTION(() => {
      const b = new ItemBuilder('match', kw).see(avg, rate, burst, n).add('-m', kw, ['limit']);
      if (!b.need(avg, '"avg"') || !b.need(rate, 'rate') || !b.need(burst, '"burst"') || !b.need(n, 'burst')) {
        return b.done();
      }
      if (!/^[0-9]+\/(sec|second|min|minute|hour|day)$/.test(rate.image)) b.fail(`bad rate "${rate.image}"`);
      if (!isNumber(n.image)) b.fail(`bad burst "${n.image}"`);
      b.add('--limit', rate, [rate.image]);
      if (n.image !== '5') b.add('--limit-burst', n, [n.image]);
      return b.done();
    });
  });

  /** `CT notrack`, `CT zone 1`, `CT helper ftp`. */
  private ct = this.RULE('ct', (): Item => {
    const kw = this.CONSUME(K.CT);
    const opts: [IToken, IToken | undefined][] = [];
    this.MANY(() => {
      this.OR([
        { ALT: () => opts.push([this.CONSUME(K.notrack), undefined]) },
        { ALT: () => opts.push([this.CONSUME(K.zone), this.OPTION(() => this.CONSUME1(Value))]) },
        { ALT: () => opts.push([this.CONSUME(K.helper), this.OPTION2(() => this.CONSUME2(Value))]) },
      ]);
    });
    return this.ACTION(() => {
      const b = new ItemBuilder('target', kw).seeAll(opts.flat());
      if (opts.length === 0) b.fail('no CT option');
      for (const [k, v] of opts) {
        if (k.image === 'notrack') b.add('--notrack', k);
        else if (b.need(v, `${k.image} value`)) b.add(`--${k.image}`, k, [v.image]);
      }
      return b.done();
    });
  });

  /** `TCPMSS clamp to PMTU`, `TCPMSS set 1400`. */
  private tcpmss = this.RULE('tcpmss', (): Item => {
    const kw = this.CONSUME(K.TCPMSS);
    const op = this.OPTION(() => this.CONSUME1(Value));
    const a = this.OPTION2({ GATE: () => op?.image === 'clamp' || op?.image === 'set', DEF: () => this.CONSUME2(Value) });
    const c = this.OPTION3({ GATE: () => op?.image === 'clamp', DEF: () => this.CONSUME3(Value) });
    return this.ACTION(() => {
      const b = new ItemBuilder('target', kw).see(op, a, c);
      if (op?.image === 'clamp' && a?.image === 'to' && c?.image === 'PMTU') return b.add('--clamp-mss-to-pmtu', op).done();
      if (op?.image === 'set' && a !== undefined && isNumber(a.image)) return b.add('--set-mss', op, [a.image]).done();
      return b.fail('unknown TCPMSS text').done();
    });
  });

  /** `MAC 00:11:22:33:44:55`, `MAC ! 00:11:22:33:44:55`. */
  private mac = this.RULE('mac', (): Item => {
    const kw = this.CONSUME(K.MAC);
    const bang = this.OPTION(() => this.CONSUME(Bang));
    const v = this.OPTION2(() => this.CONSUME(Value));
    return this.ACTION(() => {
      const b = new ItemBuilder('match', kw).see(bang, v).add('-m', kw, ['mac']);
      if (!b.need(v, 'MAC address')) return b.done();
      const { negated, value } = unbang(v.image);
      if (!/^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/.test(value)) b.fail(`bad MAC address "${v.image}"`);
      return b.add('--mac-source', v, [value], negated || bang !== undefined).done();
    });
  });

  /** `source IP range ! 10.0.0.1-10.0.0.9 destination IP range 10.1.0.1-10.1.0.2`. */
  private iprange = this.RULE('iprange', (): Item => {
    const parts: [IToken, IToken | undefined, IToken | undefined, IToken | undefined, IToken | undefined][] = [];
    this.AT_LEAST_ONE({
      GATE: () => parts.length === 0 || tokenMatcher(this.LA(2), K.IP),
      DEF: () => {
        const side = this.OR([{ ALT: () => this.CONSUME(K.source) }, { ALT: () => this.CONSUME(K.destination) }]);
        const ip = this.OPTION(() => this.CONSUME(K.IP));
        const range = this.OPTION2(() => this.CONSUME(K.range));
        const bang = this.OPTION3(() => this.CONSUME(Bang));
        parts.push([side, ip, range, bang, this.OPTION4(() => this.CONSUME(Value))]);
      },
    });
    return this.ACTION(() => {
      const first = parts[0]?.[0] ?? this.LA(0);
      const b = new ItemBuilder('match', first).seeAll(parts.flat()).add('-m', first, ['iprange']);
      for (const [side, ip, range, bang, v] of parts) {
        if (!b.need(ip, '"IP"') || !b.need(range, '"range"') || !b.need(v, 'address range')) continue;
        const { negated, value } = unbang(v.image);
        if (!/^[0-9A-Fa-f.:]+-[0-9A-Fa-f.:]+$/.test(value)) b.fail(`bad address range "${v.image}"`);
        b.add(side.image === 'source' ? '--src-range' : '--dst-range', side, [value], negated || bang !== undefined);
      }
      return b.done();
    });
  });

  /** `length 100:200`, `length !100`. */
  private length = this.RULE('length', (): Item => {
    const kw = this.CONSUME(K.length);
    const v = this.OPTION(() => this.CONSUME(Value));
    return this.ACTION(() => {
      const b = new ItemBuilder('match', kw).see(v).add('-m', kw, ['length']);
      if (!b.need(v, 'length')) return b.done();
      const { negated, value } = unbang(v.image);
      if (!/^[0-9]+(:[0-9]+)?$/.test(value)) b.fail(`bad length "${v.image}"`);
      return b.add('--length', v, [value], negated).done();
    });
  });

  /** `PKTTYPE = multicast`, `PKTTYPE != broadcast`. */
  private pkttype = this.RULE('pkttype', (): Item => {
    const kw = this.CONSUME(K.PKTTYPE);
    const op = this.OPTION(() => this.CONSUME1(Value));
    const v = this.OPTION2(() => this.CONSUME2(Value));
    return this.ACTION(() => {
      const b = new ItemBuilder('match', kw).see(op, v).add('-m', kw, ['pkttype']);
      if (!b.need(op, 'operator') || !b.need(v, 'packet type')) return b.done();
      if (op.image !== '=' && op.image !== '!=') b.fail(`bad operator "${op.image}"`);
      return b.add('--pkt-type', v, [v.image], op.image === '!=').done();
    });
  });

  /** `rpfilter loose validmark accept-local invert`. */
  private rpfilter = this.RULE('rpfilter', (): Item => {
    const kw = this.CONSUME(K.rpfilter);
    const flags: IToken[] = [];
    this.MANY({ GATE: () => RPFILTER_FLAGS.has(this.LA(1).image), DEF: () => flags.push(this.CONSUME(Value)) });
    return this.ACTION(() => {
      const b = new ItemBuilder('match', kw).seeAll(flags).add('-m', kw, ['rpfilter']);
      for (const f of flags) b.add(`--${f.image}`, f);
      return b.done();
    });
  });
}
