import type { IToken } from 'chevrotain';
import { isTcpFlagName, printTcpFlags } from '../../ast/xtables/tcpudp.js';
import type { LossKind } from './fidelity.js';

/**
 * One item of a listing's match text — one match (`tcp dpt:80`, `/* c *\/`) or the target's own
 * text (`to:10.0.0.1:80`, `MARK or 0x4000`) — turned back into the arguments iptables-save would
 * print for it. Items that began like a known item but did not continue like one carry `broken`
 * and are kept as raw text by the caller.
 */
export interface ArgDraft {
  flag: string;
  negated: boolean;
  values: string[];
  /** The token the argument comes from; its offset gives the argument's column. */
  at: IToken;
}

/** `match`: goes before `-j`; `target`: the target's options, after `-j`; `goto`: `[goto]`. */
export type ItemKind = 'match' | 'target' | 'goto' | 'unknown';

export interface Item {
  kind: ItemKind;
  args: ArgDraft[];
  first: IToken;
  last: IToken;
  /** A service, ICMP type or user name was printed where iptables-save prints a number. */
  lossy: NameLoss | undefined;
  /** Why the item is not understood; undefined when it is. */
  broken?: string;
}

/** The names an item's text can hold instead of numbers (a listing without `-n`). */
export type NameLoss = Extract<LossKind, 'port-names' | 'icmp-names' | 'user-names'>;

export class ItemBuilder {
  readonly args: ArgDraft[] = [];
  lossy: NameLoss | undefined = undefined;
  broken: string | undefined;
  last: IToken;

  constructor(
    readonly kind: ItemKind,
    readonly first: IToken,
  ) {
    this.last = first;
  }

  /** Records tokens the item consumed, so that its text span is known. */
  see(...tokens: (IToken | undefined)[]): this {
    return this.seeAll(tokens);
  }

  /** Like `see`, for a list of any length (spreading a long one would overflow the stack). */
  seeAll(tokens: readonly (IToken | undefined)[]): this {
    for (const t of tokens) if (t && t.startOffset > this.last.startOffset) this.last = t;
    return this;
  }

  add(flag: string, at: IToken, values: string[] = [], negated = false): this {
    this.args.push({ flag, negated, values, at });
    return this;
  }

  fail(reason: string): this {
    if (this.broken === undefined) this.broken = reason;
    return this;
  }

  /** Requires a token; marks the item broken with `what` when it is missing. */
  need(token: IToken | undefined, what: string): token is IToken {
    if (token === undefined) {
      this.fail(`${what} missing`);
      return false;
    }
    return true;
  }

  done(): Item {
    const item: Item = { kind: this.kind, args: this.args, first: this.first, last: this.last, lossy: this.lossy };
    if (this.broken !== undefined) item.broken = this.broken;
    return item;
  }
}

const DIGITS = /^[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const NAME = /^[A-Za-z][A-Za-z0-9._+-]*$/;

export function isNumber(s: string): boolean {
  return DIGITS.test(s);
}

export function isHex(s: string): boolean {
  return HEX.test(s);
}

/** A mark as iptables prints it: `0x4000` or `0x4000/0x4000`. */
export function isMark(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return isHex(s) || isNumber(s);
  const v = s.slice(0, slash);
  const m = s.slice(slash + 1);
  return (isHex(v) || isNumber(v)) && (isHex(m) || isNumber(m));
}

/** Splits a leading `!` off a value: `!80,443` → negated `80,443`. */
export function unbang(s: string): { negated: boolean; value: string } {
  return s.startsWith('!') ? { negated: true, value: s.slice(1) } : { negated: false, value: s };
}

/**
 * Checks one port or port range as printed by iptables (`80`, `1000:2000`, `http`,
 * `ftp-data:ftp`). Returns 'number' when all parts are numeric, 'name' when a service name was
 * printed, or undefined when the text is not a port at all.
 */
export function portKind(s: string, range: boolean): 'number' | 'name' | undefined {
  const parts = range ? s.split(':') : [s];
  if (range && parts.length !== 2) return undefined;
  let kind: 'number' | 'name' = 'number';
  for (const p of parts) {
    if (isNumber(p)) {
      if (Number(p) > 65535) return undefined;
    } else if (NAME.test(p)) {
      kind = 'name';
    } else {
      return undefined;
    }
  }
  return kind;
}

/** Like `portKind` for a multiport list: `80,443,8000:8080`. */
export function portListKind(s: string): 'number' | 'name' | undefined {
  let kind: 'number' | 'name' = 'number';
  for (const p of s.split(',')) {
    const k = portKind(p, p.includes(':'));
    if (k === undefined) return undefined;
    if (k === 'name') kind = 'name';
  }
  return kind;
}

/**
 * A TCP flag set as iptables-save prints it (`FIN,SYN,RST,ACK`, `NONE`), from the listing's
 * `0x17` (numeric) or `FIN,SYN,RST,ACK` (named) form; undefined when it is neither.
 */
export function tcpFlagNames(s: string): string | undefined {
  if (isHex(s)) {
    const n = parseInt(s.slice(2), 16);
    return n > 0x3f ? undefined : printTcpFlags(n);
  }
  return s.split(',').every(isTcpFlagName) ? s : undefined;
}

/** `--set-xmark VALUE/MASK` for a MARK/CONNMARK listing `or|xor|and|set|xset VALUE`. */
export function setXmark(mode: string, value: string): string | undefined {
  const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
  const parse = (s: string): number | undefined =>
    isHex(s) ? parseInt(s.slice(2), 16) >>> 0 : isNumber(s) ? Number(s) >>> 0 : undefined;
  if (mode === 'xset') {
    const slash = value.indexOf('/');
    if (slash < 0) return undefined;
    const v = parse(value.slice(0, slash));
    const m = parse(value.slice(slash + 1));
    return v === undefined || m === undefined ? undefined : `${hex(v)}/${hex(m)}`;
  }
  const v = parse(value);
  if (v === undefined) return undefined;
  switch (mode) {
    case 'or':
      return `${hex(v)}/${hex(v)}`;
    case 'xor':
      return `${hex(v)}/0x0`;
    case 'and':
      return `0x0/${hex(~v)}`;
    case 'set':
      return `${hex(v)}/0xffffffff`;
    default:
      return undefined;
  }
}

/** syslog level names the LOG target prints without `-n`. */
export const LOG_LEVELS: ReadonlyMap<string, number> = new Map([
  ['emerg', 0],
  ['panic', 0],
  ['alert', 1],
  ['crit', 2],
  ['err', 3],
  ['error', 3],
  ['warn', 4],
  ['warning', 4],
  ['notice', 5],
  ['info', 6],
  ['debug', 7],
]);

/** LOG flag bits and names, in the order iptables-save prints their options. */
export const LOG_FLAGS: readonly [number, string][] = [
  [0x01, 'tcp-sequence'],
  [0x02, 'tcp-options'],
  [0x04, 'ip-options'],
  [0x08, 'uid'],
  [0x20, 'macdecode'],
];
export const LOG_FLAG_NAMES: ReadonlySet<string> = new Set(LOG_FLAGS.map(([, n]) => n));

export const RPFILTER_FLAGS: ReadonlySet<string> = new Set(['loose', 'validmark', 'accept-local', 'invert']);

/** Targets whose listing text holds `to:ADDR`, and the option it stands for. */
export const TO_FLAGS: ReadonlyMap<string, string> = new Map([
  ['DNAT', '--to-destination'],
  ['SNAT', '--to-source'],
  ['NETMAP', '--to'],
]);
