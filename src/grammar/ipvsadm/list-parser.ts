import { EmbeddedActionsParser } from '../chevrotain.js';
import type { IToken, TokenType } from 'chevrotain';
import type { IpvsListingColumns } from '../../ast/types.js';
import { Arrow, K, LIST_TOKENS, LNumber, LWord, ParenFlags, SizeSpec } from './list-tokens.js';

/**
 * The grammar of one line of an `ipvsadm -L` listing:
 *
 *   line     := version | title | arrow | service
 *   version  := 'IP' 'Virtual' 'Server' 'version' WORD '(size=N)'
 *   title    := 'Prot' 'LocalAddress:Port' columns
 *   arrow    := '->' ( 'RemoteAddress:Port' [ 'Forward' 'Weight' 'ActiveConn' 'InActConn' ]
 *                    | target [ forward NUM* | NUM+ ] )
 *   service  := ( ('TCP'|'UDP'|'SCTP') target | 'FWM' NUM ['IPv6'] )
 *               [ NUM+ | WORD ['(flags)'] ['persistent' NUM ['mask' target] ['pe' WORD]] ['ops'] ]
 *
 * The tails are optional and a forwarding method may stand without its numbers: a line cut short
 * in a paste parses, and the builder reads what it shows and says what it does not.
 */

export type ListLine =
  | { kind: 'version'; first: IToken; version: IToken; size: IToken }
  | { kind: 'title'; first: IToken; columns: IpvsListingColumns }
  | { kind: 'serverTitle'; first: IToken; withColumns: boolean }
  | ServiceLine
  | ServerLine;

export interface ServiceLine {
  kind: 'service';
  first: IToken;
  /** `TCP`/`UDP`/`SCTP`/`FWM`. */
  proto: IToken;
  /** `ADDR:PORT`, or the mark of a `FWM` service. */
  target: IToken;
  ipv6?: IToken;
  scheduler?: IToken;
  flags?: IToken;
  persistent?: IToken;
  mask?: IToken;
  pe?: IToken;
  ops?: IToken;
  numbers: IToken[];
}

type ServiceTail = Pick<ServiceLine, 'scheduler' | 'flags' | 'persistent' | 'mask' | 'pe' | 'ops' | 'numbers'>;

export interface ServerLine {
  kind: 'server';
  first: IToken;
  target: IToken;
  forward?: IToken;
  numbers: IToken[];
}

class ListLineParser extends EmbeddedActionsParser {
  constructor() {
    super(LIST_TOKENS, { recoveryEnabled: false, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  private readonly target = this.RULE('target', (): IToken =>
    this.OR([{ ALT: () => this.CONSUME(LWord) }, { ALT: () => this.CONSUME(LNumber) }]),
  );

  private readonly numbers = this.RULE('numbers', (): IToken[] => {
    const out: IToken[] = [];
    this.AT_LEAST_ONE(() => {
      out.push(this.CONSUME(LNumber));
    });
    return out;
  });

  private readonly version = this.RULE('version', (): ListLine => {
    const first = this.CONSUME(K.IP);
    this.CONSUME(K.Virtual);
    this.CONSUME(K.Server);
    this.CONSUME(K.version);
    const version = this.SUBRULE(this.target);
    const size = this.CONSUME(SizeSpec);
    return { kind: 'version', first, version, size };
  });

  private readonly title = this.RULE('title', (): ListLine => {
    const first = this.CONSUME(K.Prot);
    this.CONSUME(K.LocalAddressPort);
    // Each alternative consumes with its own occurrence indexes (10, 20, ...): chevrotain needs
    // them distinct when two alternatives consume the same keyword.
    const seq = (alt: number, columns: IpvsListingColumns, toks: TokenType[]) => ({
      ALT: (): IpvsListingColumns => {
        toks.forEach((t, i) => this.consume(alt * 10 + i, t));
        return columns;
      },
    });
    const columns = this.OR([
      seq(1, 'default', [K.Scheduler, K.Flags]),
      seq(2, 'stats', [K.Conns, K.InPkts, K.OutPkts, K.InBytes, K.OutBytes]),
      seq(3, 'rate', [K.CPS, K.InPPS, K.OutPPS, K.InBPS, K.OutBPS]),
      seq(4, 'thresholds', [K.Uthreshold, K.Lthreshold, K.ActiveConn, K.InActConn]),
      seq(5, 'persistent-conn', [K.Weight, K.PersistConn, K.ActiveConn, K.InActConn]),
    ]);
    return { kind: 'title', first, columns };
  });

  private readonly arrow = this.RULE('arrow', (): ListLine => {
    const first = this.CONSUME(Arrow);
    return this.OR([
      {
        ALT: (): ListLine => {
          this.CONSUME(K.RemoteAddressPort);
          const withColumns = this.OPTION(() => {
            this.CONSUME(K.Forward);
            this.CONSUME(K.Weight);
            this.CONSUME(K.ActiveConn);
            this.CONSUME(K.InActConn);
            return true;
          });
          return { kind: 'serverTitle', first, withColumns: withColumns === true };
        },
      },
      {
        ALT: (): ListLine => {
          const target = this.SUBRULE(this.target);
          const line: ServerLine = { kind: 'server', first, target, numbers: [] };
          this.OPTION1(() =>
            this.OR1([
              {
                ALT: () => {
                  line.forward = this.OR2([
                    { ALT: () => this.CONSUME(K.Masq) },
                    { ALT: () => this.CONSUME(K.Route) },
                    { ALT: () => this.CONSUME(K.Tunnel) },
                    { ALT: () => this.CONSUME(K.Local) },
                  ]);
                  this.MANY(() => {
                    line.numbers.push(this.CONSUME(LNumber));
                  });
                },
              },
              {
                ALT: () => {
                  line.numbers = this.SUBRULE1(this.numbers);
                },
              },
            ]),
          );
          return line;
        },
      },
    ]);
  });

  private readonly serviceTail = this.RULE('serviceTail', (): ServiceTail => {
    const tail: ServiceTail = { numbers: [] };
    this.OR([
      {
        ALT: () => {
          tail.numbers = this.SUBRULE(this.numbers);
        },
      },
      {
        ALT: () => {
          tail.scheduler = this.CONSUME(LWord);
          this.OPTION(() => {
            tail.flags = this.CONSUME(ParenFlags);
          });
          this.OPTION1(() => {
            this.CONSUME(K.persistent);
            tail.persistent = this.CONSUME(LNumber);
            this.OPTION2(() => {
              this.CONSUME(K.mask);
              tail.mask = this.SUBRULE(this.target);
            });
            this.OPTION3(() => {
              this.CONSUME(K.pe);
              tail.pe = this.CONSUME1(LWord);
            });
          });
          this.OPTION4(() => {
            tail.ops = this.CONSUME(K.ops);
          });
        },
      },
    ]);
    return tail;
  });

  private readonly service = this.RULE('service', (): ListLine => {
    const line = this.OR([
      {
        ALT: (): ServiceLine => {
          const proto = this.OR1([
            { ALT: () => this.CONSUME(K.TCP) },
            { ALT: () => this.CONSUME(K.UDP) },
            { ALT: () => this.CONSUME(K.SCTP) },
          ]);
          const target = this.SUBRULE(this.target);
          return { kind: 'service', first: proto, proto, target, numbers: [] };
        },
      },
      {
        ALT: (): ServiceLine => {
          const proto = this.CONSUME(K.FWM);
          const target = this.CONSUME(LNumber);
          const svc: ServiceLine = { kind: 'service', first: proto, proto, target, numbers: [] };
          this.OPTION(() => {
            svc.ipv6 = this.CONSUME(K.IPv6);
          });
          return svc;
        },
      },
    ]);
    const tail = this.OPTION1(() => this.SUBRULE(this.serviceTail));
    return tail === undefined ? line : { ...line, ...tail };
  });

  readonly line = this.RULE('line', (): ListLine =>
    this.OR([
      { ALT: () => this.SUBRULE(this.version) },
      { ALT: () => this.SUBRULE(this.title) },
      { ALT: () => this.SUBRULE(this.arrow) },
      { ALT: () => this.SUBRULE(this.service) },
    ]),
  );
}

let shared: ListLineParser | undefined;
/** Built on first use: building a chevrotain parser costs tens of milliseconds. */
function parserOf(): ListLineParser {
  shared ??= new ListLineParser();
  return shared;
}

export interface ListLineResult {
  line?: ListLine;
  /** The token where the line stopped making sense; undefined at the end of the line. */
  errorToken?: IToken | undefined;
  failed: boolean;
}

export function parseListLine(tokens: IToken[]): ListLineResult {
  const parser = parserOf();
  parser.input = tokens;
  const line = parser.line();
  const first = parser.errors[0];
  if (first) return { failed: true, errorToken: first.token.tokenType.name === 'EOF' ? undefined : first.token };
  return { line, failed: false };
}
