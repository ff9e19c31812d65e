import { tokenMatcher } from '../chevrotain.js';
import type { IToken, TokenType } from 'chevrotain';
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
import type { Item } from './items.js';
import { Bang, Comment, CtOption, K, NonStart, PortProto, PortSpec, TcpFlags, TcpOption, ToSpec, Value } from './tokens.js';

/**
 * A hand-written recogniser for the items kube-proxy, Docker, Calico and flannel rows are made
 * of (comments, ports, statistic, recent, mark/MARK, addrtype, set, conntrack, state, NAT
 * targets, REJECT, nfacct, [goto]). It groups tokens exactly as the chevrotain rules of
 * match-parser.ts do and hands each group to the same builder, so for the texts it accepts it
 * gives the same items, several times faster. On any other item it returns undefined and the
 * caller uses the grammar. `match-text.test.ts` holds the two paths equal on generated texts.
 */
export function fastItems(tokens: readonly IToken[], target: string): Item[] | undefined {
  const items: Item[] = [];
  const n = tokens.length;
  let i = 0;
  const is = (k: number, type: TokenType): boolean => {
    const t = tokens[k];
    return t !== undefined && tokenMatcher(t, type);
  };
  /** Consumes the next token when it is of `type` (chevrotain's OPTION(CONSUME(type))). */
  const opt = (type: TokenType): IToken | undefined => (is(i, type) ? tokens[i++] : undefined);

  while (i < n) {
    const t = tokens[i++];
    if (t === undefined) break;
    const type = t.tokenType;
    let bang: IToken | undefined;
    let head = t;
    if (type === Bang) {
      // `! match-set`, `! recent:`, `! ctstate`…, `! state`; a lone `!` is unknown text.
      const next = tokens[i];
      if (next === undefined || !(next.tokenType === K['match-set'] || next.tokenType === K['recent:'] ||
        tokenMatcher(next, CtOption) || next.tokenType === K.state)) {
        if (next !== undefined && next.tokenType === K.owner) return undefined;
        items.push(buildUnknown(t, []));
        continue;
      }
      bang = t;
      head = next;
      i++;
    }
    const ht = head.tokenType;
    if (ht === Comment) {
      items.push(buildComment(head));
    } else if (tokenMatcher(head, PortProto)) {
      const specs: IToken[] = [];
      while (is(i, PortSpec) || is(i, TcpFlags) || is(i, TcpOption)) specs.push(tokens[i++] as IToken);
      items.push(buildPorts(head, specs));
    } else if (ht === ToSpec) {
      items.push(buildNatTo(head, target));
    } else if (ht === K.random || ht === K['random-fully'] || ht === K.persistent) {
      items.push(buildNatFlag(head));
    } else if (ht === K.statistic) {
      const modeKw = opt(K.mode);
      const mode = opt(Value);
      const opts: Opt[] = [];
      for (;;) {
        const k = is(i, Bang) ? i + 1 : i;
        if (!(is(k, K.probability) || is(k, K.every) || is(k, K.packet))) break;
        const neg = opt(Bang);
        const key = tokens[i++] as IToken;
        opts.push([neg, key, opt(Value)]);
      }
      items.push(buildStatistic(head, modeKw, mode, opts));
    } else if (ht === K.MARK || ht === K.CONNMARK) {
      const mode = opt(Value);
      items.push(buildMarkTarget(head, mode, opt(Value)));
    } else if (ht === K.mark || ht === K.connmark) {
      const m = opt(K.match);
      const b = opt(Bang);
      items.push(buildMark(head, m, b, opt(Value)));
    } else if (ht === K.ADDRTYPE) {
      const m = opt(K.match);
      const parts: Pair[] = [];
      for (;;) {
        const k = tokens[i];
        if (k === undefined) break;
        if (k.tokenType === K['src-type'] || k.tokenType === K['dst-type']) {
          i++;
          parts.push([k, opt(Value)]);
        } else if (k.tokenType === K['limit-in'] || k.tokenType === K['limit-out']) {
          i++;
          parts.push([k, undefined]);
        } else {
          break;
        }
      }
      items.push(buildAddrtype(head, m, parts));
    } else if (ht === K['recent:']) {
      const inner = opt(Bang);
      const mode = opt(Value);
      const opts: Pair[] = [];
      for (;;) {
        const k = tokens[i];
        if (k === undefined || !RECENT_KEYS.has(k.tokenType)) break;
        i++;
        opts.push([k, RECENT_VALUED.has(k.tokenType) ? opt(Value) : undefined]);
      }
      items.push(buildRecent(bang, head, inner, mode, opts));
    } else if (ht === K['match-set']) {
      const name = opt(Value);
      const dirs = opt(Value);
      const opts: Opt[] = [];
      for (;;) {
        const k = is(i, Bang) ? i + 1 : i;
        const key = tokens[k];
        if (key === undefined || !SET_OPTIONS.has(key.tokenType)) break;
        const neg = opt(Bang);
        i++;
        opts.push([neg, key, SET_VALUED.has(key.tokenType) ? opt(Value) : undefined]);
      }
      items.push(buildMatchSet(bang, head, name, dirs, opts));
    } else if (tokenMatcher(head, CtOption)) {
      const value = opt(Value);
      const more: Opt[] = [];
      for (;;) {
        const k = is(i, Bang) ? i + 1 : i;
        if (!is(k, CtOption)) break;
        const neg = opt(Bang);
        const key = tokens[i++] as IToken;
        more.push([neg, key, opt(Value)]);
      }
      items.push(buildConntrack([bang, head, value], more));
    } else if (ht === K.state) {
      items.push(buildState(bang, head, opt(Value)));
    } else if (ht === K['reject-with']) {
      items.push(buildReject(head, opt(Value)));
    } else if (ht === K['nfacct-name']) {
      items.push(buildNfacct(head, opt(Value)));
    } else if (ht === K['[goto]']) {
      items.push(buildGoto(head));
    } else if (tokenMatcher(head, NonStart)) {
      const rest: IToken[] = [];
      while (is(i, NonStart)) rest.push(tokens[i++] as IToken);
      items.push(buildUnknown(head, rest));
    } else {
      return undefined;
    }
  }
  return items;
}

const RECENT_KEYS: ReadonlySet<TokenType> = new Set([
  K['seconds:'],
  K.reap,
  K['hit_count:'],
  K['TTL-Match'],
  K['name:'],
  K['side:'],
  K['mask:'],
]);
const RECENT_VALUED: ReadonlySet<TokenType> = new Set([K['seconds:'], K['hit_count:'], K['name:'], K['side:'], K['mask:']]);
const SET_VALUED: ReadonlySet<TokenType> = new Set([
  K['packets-eq'],
  K['packets-lt'],
  K['packets-gt'],
  K['bytes-eq'],
  K['bytes-lt'],
  K['bytes-gt'],
]);
const SET_OPTIONS: ReadonlySet<TokenType> = new Set([
  K['return-nomatch'],
  K['update-counters'],
  K['update-subcounters'],
  ...SET_VALUED,
]);
