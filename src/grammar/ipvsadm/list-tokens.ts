import { createToken, Lexer } from '../chevrotain.js';
import type { TokenType, Lexer as LexerType } from 'chevrotain';

/**
 * Tokens of `ipvsadm -L` listings: the version line, the column titles, service lines
 * (`TCP  10.96.0.10:53 rr persistent 10800`, `FWM  5 IPv6 rr`, or a row of counters) and
 * real-server lines (`  -> 10.244.1.5:53  Masq  1  0  0`). Keywords are whole words: a longer
 * word that starts with one (`IPv6x`, `persistently`) lexes as a `Word`.
 */

export const LWord = createToken({ name: 'Word', pattern: /[^\s]+/ });
export const LWhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
/** A counter, possibly scaled: `1859`, `1859K`, `12M`. */
export const LNumber = createToken({ name: 'Number', pattern: /\d+[KMGT]?/, longer_alt: LWord });
export const Arrow = createToken({ name: 'Arrow', pattern: /->/, longer_alt: LWord });
/** Scheduler flags after the scheduler: `(sh-fallback,sh-port)`. */
export const ParenFlags = createToken({ name: 'ParenFlags', pattern: /\([^\s()]*\)/, longer_alt: LWord });
/** `(size=4096)` on the version line. */
export const SizeSpec = createToken({ name: 'SizeSpec', pattern: /\(size=\d+\)/, longer_alt: LWord });

/** Every literal word token with its text (the fast lexer looks words up here). */
export const LIST_WORDS: Array<[string, TokenType]> = [['->', Arrow]];

function keyword(name: string, text: string): TokenType {
  const tok = createToken({ name: `Kw_${name}`, pattern: new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), longer_alt: LWord });
  LIST_WORDS.push([text, tok]);
  return tok;
}

export const K = {
  TCP: keyword('TCP', 'TCP'),
  UDP: keyword('UDP', 'UDP'),
  SCTP: keyword('SCTP', 'SCTP'),
  FWM: keyword('FWM', 'FWM'),
  IPv6: keyword('IPv6', 'IPv6'),
  persistent: keyword('persistent', 'persistent'),
  mask: keyword('mask', 'mask'),
  pe: keyword('pe', 'pe'),
  ops: keyword('ops', 'ops'),
  Masq: keyword('Masq', 'Masq'),
  Local: keyword('Local', 'Local'),
  Tunnel: keyword('Tunnel', 'Tunnel'),
  Route: keyword('Route', 'Route'),
  IP: keyword('IP', 'IP'),
  Virtual: keyword('Virtual', 'Virtual'),
  Server: keyword('Server', 'Server'),
  version: keyword('version', 'version'),
  Prot: keyword('Prot', 'Prot'),
  LocalAddressPort: keyword('LocalAddressPort', 'LocalAddress:Port'),
  RemoteAddressPort: keyword('RemoteAddressPort', 'RemoteAddress:Port'),
  Scheduler: keyword('Scheduler', 'Scheduler'),
  Flags: keyword('Flags', 'Flags'),
  Forward: keyword('Forward', 'Forward'),
  Weight: keyword('Weight', 'Weight'),
  ActiveConn: keyword('ActiveConn', 'ActiveConn'),
  InActConn: keyword('InActConn', 'InActConn'),
  Conns: keyword('Conns', 'Conns'),
  InPkts: keyword('InPkts', 'InPkts'),
  OutPkts: keyword('OutPkts', 'OutPkts'),
  InBytes: keyword('InBytes', 'InBytes'),
  OutBytes: keyword('OutBytes', 'OutBytes'),
  CPS: keyword('CPS', 'CPS'),
  InPPS: keyword('InPPS', 'InPPS'),
  OutPPS: keyword('OutPPS', 'OutPPS'),
  InBPS: keyword('InBPS', 'InBPS'),
  OutBPS: keyword('OutBPS', 'OutBPS'),
  Uthreshold: keyword('Uthreshold', 'Uthreshold'),
  Lthreshold: keyword('Lthreshold', 'Lthreshold'),
  PersistConn: keyword('PersistConn', 'PersistConn'),
} as const;

/** Longer keywords first, so that a keyword that is the prefix of another never wins. */
const KEYWORDS: TokenType[] = Object.values(K).sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length);

export const LIST_TOKENS: TokenType[] = [LWhiteSpace, Arrow, SizeSpec, ParenFlags, ...KEYWORDS, LNumber, LWord];

let listLexerInstance: LexerType | undefined;
/** The chevrotain lexer of these tokens, built on first use (building one costs milliseconds). */
export function listLexer(): LexerType {
  listLexerInstance ??= new Lexer(LIST_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false });
  return listLexerInstance;
}
