import { createToken, Lexer } from '../chevrotain.js';
import type { TokenType } from 'chevrotain';
import { CT_KEYWORDS, INNER_KEYWORDS, START_KEYWORDS, type Keyword } from './keywords.js';
import { matchComment, matchQuoted } from './scan.js';

/**
 * Tokens of the match text that `iptables -L` prints after the destination column, e.g.
 * `/* kube-system/kube-dns:dns cluster IP *\/ udp dpt:53` or `recent: CHECK seconds: 10800 reap
 * name: KUBE-SEP-X side: source mask: 255.255.255.255`.
 *
 * The text is a sequence of words separated by blanks, except comments (`/* … *\/`) and quoted
 * strings (`prefix "in drop: "`), which are one token each. Every word that is not one of the
 * keywords below is a `Word`. Keywords that can begin an item (a match or the target's own
 * text) are in the `ItemStart` category; every other token that may stand in an unrecognised
 * run is in `NonStart`; every word (keyword or not) can be a value and is in `Value`.
 */

export const Value = createToken({ name: 'Value', pattern: Lexer.NA });
export const NonStart = createToken({ name: 'NonStart', pattern: Lexer.NA });
export const ItemStart = createToken({ name: 'ItemStart', pattern: Lexer.NA });
/** `tcp`, `udp`, `sctp`, `dccp`: a protocol match followed by port specs. */
export const PortProto = createToken({ name: 'PortProto', pattern: Lexer.NA });
/** `ctstate`, `ctproto`, … `ctdir`: the options of the conntrack match. */
export const CtOption = createToken({ name: 'CtOption', pattern: Lexer.NA });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t]+/, group: Lexer.SKIPPED });

/** Any run of non-blank characters that is not a keyword. */
export const Word = createToken({ name: 'Word', pattern: /[^ \t]+/, categories: [Value, NonStart] });

export const Comment = createToken({
  name: 'Comment',
  pattern: { exec: (text: string, offset: number) => execOf(matchComment(text, offset), text, offset) },
  line_breaks: false,
  start_chars_hint: ['/'],
  categories: [ItemStart],
});

export const Quoted = createToken({
  name: 'Quoted',
  pattern: { exec: (text: string, offset: number) => execOf(matchQuoted(text, offset), text, offset) },
  line_breaks: false,
  start_chars_hint: ['"'],
  categories: [NonStart],
});

/** A lone `!` (a `!` glued to a value, as in `dpt:!22` or `!80,443`, is part of that word). */
export const Bang = createToken({ name: 'Bang', pattern: /!/, longer_alt: Word });

/** `spt:80`, `spts:1:1000`, `dpt:!22`, `dpts:1000:2000` after `tcp`/`udp`/`sctp`/`dccp`. */
export const PortSpec = createToken({ name: 'PortSpec', pattern: /[sd]pts?:[^ \t]*/, categories: [Value, NonStart] });
/** `flags:0x17/0x02`, `flags:!SYN,ACK/SYN` after `tcp`. */
export const TcpFlags = createToken({ name: 'TcpFlags', pattern: /flags:[^ \t]*/, categories: [Value, NonStart] });
/** `option=5` after `tcp`. */
export const TcpOption = createToken({ name: 'TcpOption', pattern: /option=[^ \t]*/, categories: [Value, NonStart] });
/** `to:10.0.0.1:80`, `to:[fd00::1]:80` (DNAT, SNAT, NETMAP). */
export const ToSpec = createToken({ name: 'ToSpec', pattern: /to:[^ \t]*/, categories: [Value, ItemStart] });

function tokenName(keyword: string): string {
  return 'K_' + keyword.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`);
}

function keywordToken(keyword: string, start: boolean): TokenType {
  const categories = start ? [Value, ItemStart] : [Value, NonStart];
  if (PORT_PROTOS.has(keyword)) categories.push(PortProto);
  if ((CT_KEYWORDS as readonly string[]).includes(keyword)) categories.push(CtOption);
  return createToken({
    name: tokenName(keyword),
    pattern: new RegExp(keyword.replace(/[[\]\\^$.|?*+()]/g, (c) => `\\${c}`)),
    longer_alt: Word,
    categories,
  });
}

const PORT_PROTOS = new Set(['tcp', 'udp', 'sctp', 'dccp']);

const keywordTokens = new Map<string, TokenType>();
for (const k of START_KEYWORDS) keywordTokens.set(k, keywordToken(k, true));
for (const k of INNER_KEYWORDS) keywordTokens.set(k, keywordToken(k, false));

/** The token of each keyword, e.g. `K['recent:']`. */
export const K = Object.fromEntries(keywordTokens) as Record<Keyword, TokenType>;

/** Keyword text → token, for the fast word splitter. */
export const KEYWORD_TOKENS: ReadonlyMap<string, TokenType> = keywordTokens;

/**
 * All tokens in the order the lexer tries them. Keywords come longest first so that a keyword
 * that is a prefix of another (`random`, `random-fully`) never takes the longer one's place.
 */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  Quoted,
  Bang,
  PortSpec,
  TcpFlags,
  TcpOption,
  ToSpec,
  ...[...keywordTokens.entries()].sort((a, b) => b[0].length - a[0].length).map(([, t]) => t),
  Word,
  Value,
  NonStart,
  ItemStart,
  PortProto,
  CtOption,
];

function execOf(end: number, text: string, offset: number): RegExpExecArray | null {
  if (end < 0) return null;
  const m = [text.slice(offset, end)] as unknown as RegExpExecArray;
  m.index = offset;
  m.input = text;
  return m;
}
