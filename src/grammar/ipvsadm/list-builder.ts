import type { IToken } from 'chevrotain';
import type { Diagnostic, Severity } from '../../diagnostics.js';
import type { IpvsForward, IpvsListingColumns, IpvsRuleSet, RealServer, VirtualService } from '../../ast/types.js';
import type { ParseResult } from '../format.js';
import { ipvsAddressKey } from '../../ast/canonical-ipvs.js';
import { IPVS_RATE_KEYS, IPVS_STATS_KEYS, listServiceName } from '../../ast/print-ipvs.js';
import { parseHostPort, parseUint } from './address.js';
import { IpvsCode } from './codes.js';
import { numberedLines } from '../numbered-lines.js';
import { parseListLine, type ServerLine, type ServiceLine } from './list-parser.js';
import { lexListLine } from './word-lexer.js';
import { clip } from '../../display-text.js';
import { col, endColumn } from '../token-columns.js';
import { own } from '../../records.js';
import { ErrorLineLimit } from '../limits.js';

/**
 * Reads `ipvsadm -L` listings (`-L -n`, `--stats`, `--rate`, `--exact`, `--thresholds`,
 * `--persistent-conn`, and `-L` without `-n`) into IPVS rule sets, one per
 * `IP Virtual Server version` line. What a listing does not show is not invented: listings with
 * host or service names, and the counter layouts (which omit the scheduler and the forwarding
 * method), give `fidelity: 'lossy'` rule sets in which the scheduler is `''`, the forwarding
 * method `masq` and the weight 1 unless printed.
 */

const FORWARD: Record<string, IpvsForward> = { Masq: 'masq', Route: 'route', Tunnel: 'tunnel', Local: 'local' };
const PROTOCOL: Record<string, VirtualService['protocol']> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp', FWM: 'fwmark' };
const SCALE: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
const U32 = 0xffffffff;
const U64 = Number.MAX_SAFE_INTEGER;

/** What each layout leaves out, for the note that marks its rule set lossy. */
const HIDDEN: Record<IpvsListingColumns, string | undefined> = {
  default: undefined,
  stats: 'counter listings do not show schedulers, forwarding methods or weights',
  rate: 'rate listings do not show schedulers, forwarding methods or weights',
  thresholds: 'threshold listings do not show forwarding methods or weights',
  'persistent-conn': 'persistent-connection listings do not show forwarding methods',
};

/** How many numbers a real-server line has in each layout. */
const SERVER_NUMBERS: Record<IpvsListingColumns, number> = { default: 3, stats: 5, rate: 5, thresholds: 4, 'persistent-conn': 4 };

/** The first words of the lines of an ipvsadm listing: version, column titles, services, servers. */
const LISTING_FIRST_WORD = /^(TCP|UDP|SCTP|FWM|->|Prot|IP)$/;

class ListBuilder {
  readonly diagnostics: Diagnostic[] = [];
  readonly ruleSets: IpvsRuleSet[] = [];
  private current: IpvsRuleSet | undefined;
  private columns: IpvsListingColumns | undefined;
  private service: VirtualService | undefined;
  private keys = new Map<string, number>();
  private lossyNoted = false;
  private lineNo = 0;
  /** Where the current listing's version line is, until its column titles follow it. */
  private versionLine: { line: number; column: number } | undefined;

  constructor(private readonly file: string) {}

  private report(column: number, severity: Severity, code: string, message: string): void {
    this.diagnostics.push({ file: this.file, line: this.lineNo, column, severity, code, message });
  }

  private error(tok: IToken, code: string, message: string): void {
    this.report(col(tok), 'error', code, message);
  }

  private ruleSet(column: number): IpvsRuleSet {
    if (!this.current) {
      this.current = {
        kind: 'ipvs',
        services: [],
        origin: 'ipvsadm-list',
        fidelity: 'exact',
        listing: { columns: 'default', exact: false },
        pos: { file: this.file, line: this.lineNo, column },
      };
      this.ruleSets.push(this.current);
    }
    return this.current;
  }

  line(text: string, lineNo: number): void {
    this.lineNo = lineNo;
    const trimmed = text.trim();
    if (trimmed === '') return;
    const tokens = lexListLine(text);
    const first = tokens[0];
    if (!first) return;
    // Every listing line starts with one of a few words: any other line is skipped before the
    // grammar looks at it (its error path costs far more than this test).
    if (!LISTING_FIRST_WORD.test(first.image)) {
      this.report(col(first), 'warning', IpvsCode.strayLine, `'${clip(text.trim(), 40, 40)}' is not part of an ipvsadm listing; line skipped`);
      return;
    }
    const result = parseListLine(tokens);
    if (!result.line) {
      this.syntaxError(text, result.errorToken);
      return;
    }
    const line = result.line;
    switch (line.kind) {
      case 'version': {
        this.finish();
        this.current = undefined;
        this.columns = undefined;
        this.service = undefined;
        this.keys = new Map();
        this.lossyNoted = false;
        const rs = this.ruleSet(col(line.first));
        const size = Number(/\d+/.exec(line.size.image)?.[0] ?? '0');
        rs.listing = { columns: 'default', exact: false, version: line.version.image, size };
        this.versionLine = { line: lineNo, column: col(line.first) };
        return;
      }
      case 'title': {
        const rs = this.ruleSet(col(line.first));
        if (this.columns !== undefined || rs.services.length > 0) {
          this.report(col(line.first), 'warning', IpvsCode.truncated, 'a second column title line in one listing; the layout changes from here');
        }
        this.columns = line.columns;
        this.versionLine = undefined;
        if (rs.listing) rs.listing.columns = line.columns;
        const hidden = HIDDEN[line.columns];
        if (hidden) this.lossy(rs, col(line.first), `${hidden}`);
        return;
      }
      case 'serverTitle':
        if (this.columns === undefined) {
          this.report(col(line.first), 'error', IpvsCode.truncated, "the '  -> RemoteAddress:Port' title comes before the 'Prot LocalAddress:Port' title");
        }
        return;
      case 'service':
        this.addService(line);
        return;
      case 'server':
        this.addServer(line);
        return;
    }
  }

  /** A listing whose version line is not followed by column titles was cut short. */
  finish(): void {
    const at = this.versionLine;
    if (!at) return;
    this.versionLine = undefined;
    this.diagnostics.push({
      file: this.file,
      line: at.line,
      column: at.column,
      severity: 'error',
      code: IpvsCode.truncated,
      message: "the version line is not followed by the column titles ('Prot LocalAddress:Port ...')",
    });
  }

  private syntaxError(text: string, tok: IToken | undefined): void {
    if (!tok) {
      this.report(text.trimEnd().length + 1, 'error', IpvsCode.truncated, `line ends early: '${clip(text.trim(), 40, 40)}'`);
      return;
    }
    this.error(tok, IpvsCode.syntax, `unexpected '${tok.image}'`);
  }

  private lossy(rs: IpvsRuleSet, column: number, why: string): void {
    rs.fidelity = 'lossy';
    if (this.lossyNoted) return;
    this.lossyNoted = true;
    this.report(column, 'note', IpvsCode.lossy, `${why}; the rule set is marked lossy`);
  }

  private layout(first: IToken, hasNumbers: boolean): IpvsListingColumns | undefined {
    if (this.columns !== undefined) return this.columns;
    if (hasNumbers) {
      this.error(first, IpvsCode.missing, 'a listing with counters needs its column title line (Prot LocalAddress:Port Conns ... or CPS ...)');
      return undefined;
    }
    return 'default';
  }

  private addService(line: ServiceLine): void {
    const rs = this.ruleSet(col(line.first));
    this.service = undefined;
    const columns = this.layout(line.first, line.numbers.length > 0);
    if (!columns) return;
    const counters = columns === 'stats' || columns === 'rate';
    if (counters !== (line.numbers.length > 0)) {
      const tok = line.scheduler ?? line.numbers[0] ?? line.target;
      this.error(tok, IpvsCode.syntax, counters ? `expected the ${columns} counters, found '${tok.image}'` : `expected a scheduler, found '${tok.image}'`);
      return;
    }
    const protocol = own(PROTOCOL, line.proto.image) ?? 'tcp';
    const svc: VirtualService = {
      protocol,
      address: '',
      port: 0,
      family: line.ipv6 ? 'ipv6' : 'ipv4',
      scheduler: line.scheduler?.image ?? '',
      schedulerFlags: line.flags ? line.flags.image.slice(1, -1).split(',').filter((f) => f !== '') : [],
      realServers: [],
      pos: { file: this.file, line: this.lineNo, column: col(line.first) },
    };
    if (protocol === 'fwmark') {
      const mark = parseUint(line.target.image, U32);
      if (mark === null || mark === 0) {
        this.error(line.target, IpvsCode.badNumber, `fwmark '${line.target.image}' is not a number from 1 to 4294967295`);
        return;
      }
      svc.fwmark = mark;
    } else if (!this.target(line.target, svc, rs)) return;
    if (line.persistent) {
      const timeout = parseUint(line.persistent.image, U32);
      if (timeout === null) {
        this.error(line.persistent, IpvsCode.badNumber, `persistence timeout '${line.persistent.image}' is not a number`);
        return;
      }
      svc.persistence = { timeout };
      if (line.mask) svc.persistence.netmask = line.mask.image;
      if (line.pe) svc.persistenceEngine = line.pe.image;
    }
    if (line.ops) svc.onePacket = true;
    if (counters) {
      const stats = this.counters(line.numbers, columns === 'stats' ? IPVS_STATS_KEYS : IPVS_RATE_KEYS, line.first, rs);
      if (!stats) return;
      svc.stats = stats;
    }
    const key =
      svc.protocol === 'fwmark'
        ? `fwmark/${svc.family}/${svc.fwmark}`
        : `${svc.protocol}/${ipvsAddressKey(svc.address)}/${svc.port}/${svc.portName ?? ''}`;
    const before = this.keys.get(key);
    if (before !== undefined) {
      this.error(line.first, IpvsCode.duplicate, `virtual service ${listServiceName(svc)} is listed twice (line ${before})`);
      return;
    }
    this.keys.set(key, this.lineNo);
    rs.services.push(svc);
    this.service = svc;
  }

  /** Fills address, port and family from `ADDR:PORT`; names make the rule set lossy. */
  private target(tok: IToken, into: VirtualService | RealServer, rs: IpvsRuleSet): boolean {
    const hp = parseHostPort(tok.image, true);
    if (!hp.ok) {
      this.error(tok, IpvsCode.badAddress, hp.message);
      return false;
    }
    into.address = hp.value.address;
    into.port = hp.value.port;
    if ('family' in into) into.family = hp.value.family;
    if (hp.value.portName !== undefined) into.portName = hp.value.portName;
    else if (!hp.value.hasPort) into.portName = '';
    if (!hp.value.numericAddress || hp.value.portName !== undefined || !hp.value.hasPort) {
      this.lossy(rs, col(tok), "names instead of numbers (a listing without '-n'): addresses and ports are kept as printed");
    }
    return true;
  }

  private addServer(line: ServerLine): void {
    const rs = this.ruleSet(col(line.first));
    const svc = this.service;
    if (!svc) {
      this.error(line.first, IpvsCode.truncated, 'real server line without a virtual service line before it');
      return;
    }
    const columns = this.columns ?? 'default';
    const want = SERVER_NUMBERS[columns];
    if ((columns === 'default') !== (line.forward !== undefined)) {
      const tok = line.forward ?? line.numbers[0] ?? line.target;
      const message =
        columns === 'default'
          ? `expected a forwarding method (Masq, Route, Tunnel, Local), found '${tok.image}'`
          : `unexpected '${tok.image}' in a ${columns} listing`;
      this.error(tok, IpvsCode.syntax, message);
      return;
    }
    if (line.numbers.length !== want) {
      const extra = line.numbers[want];
      if (extra) this.error(extra, IpvsCode.syntax, `unexpected '${extra.image}': a ${columns} real server line has ${want} numbers`);
      else this.report(lineEnd(line), 'error', IpvsCode.truncated, `real server line ends early: ${want} numbers expected, ${line.numbers.length} found`);
      return;
    }
    const server: RealServer = {
      address: '',
      port: 0,
      forward: line.forward ? (own(FORWARD, line.forward.image) ?? 'masq') : 'masq',
      weight: 1,
      pos: { file: this.file, line: this.lineNo, column: col(line.first) },
    };
    if (!this.target(line.target, server, rs)) return;
    const n = line.numbers;
    const plain = (i: number, max: number): number | null => {
      const tok = n[i] as IToken;
      const v = parseUint(tok.image, max);
      if (v === null) this.error(tok, IpvsCode.badNumber, `'${tok.image}' is not a number from 0 to ${max}`);
      return v;
    };
    type Column = 'weight' | 'activeConnections' | 'inactiveConnections' | 'upperThreshold' | 'lowerThreshold' | 'persistentConnections';
    const fill = (names: Column[], maxes: number[]): boolean => {
      for (const [i, name] of names.entries()) {
        const v = plain(i, maxes[i] ?? U32);
        if (v === null) return false;
        server[name] = v;
      }
      return true;
    };
    switch (columns) {
      case 'default':
        if (!fill(['weight', 'activeConnections', 'inactiveConnections'], [2147483647, U32, U32])) return;
        break;
      case 'thresholds':
        if (!fill(['upperThreshold', 'lowerThreshold', 'activeConnections', 'inactiveConnections'], [U32, U32, U32, U32])) return;
        break;
      case 'persistent-conn':
        if (!fill(['weight', 'persistentConnections', 'activeConnections', 'inactiveConnections'], [2147483647, U32, U32, U32])) return;
        break;
      case 'stats':
      case 'rate': {
        const stats = this.counters(n, columns === 'stats' ? IPVS_STATS_KEYS : IPVS_RATE_KEYS, line.first, rs);
        if (!stats) return;
        server.stats = stats;
        break;
      }
    }
    const key = `${ipvsAddressKey(server.address)}/${server.port}/${server.portName ?? ''}`;
    if (svc.realServers.some((x) => `${ipvsAddressKey(x.address)}/${x.port}/${x.portName ?? ''}` === key)) {
      this.error(line.target, IpvsCode.duplicate, `real server ${line.target.image} is listed twice under ${listServiceName(svc)}`);
      return;
    }
    svc.realServers.push(server);
  }

  private counters(tokens: IToken[], keys: readonly string[], first: IToken, rs: IpvsRuleSet): Record<string, number> | undefined {
    if (tokens.length !== keys.length) {
      const extra = tokens[keys.length];
      if (extra) this.error(extra, IpvsCode.syntax, `unexpected '${extra.image}': ${keys.length} counters expected`);
      else this.report(col(first), 'error', IpvsCode.truncated, `line ends early: ${keys.length} counters expected, ${tokens.length} found`);
      return undefined;
    }
    const out: Record<string, number> = {};
    for (const [i, key] of keys.entries()) {
      const tok = tokens[i] as IToken;
      const m = /^(\d+)([KMGT]?)$/.exec(tok.image);
      const value = m ? Number(m[1]) * (own(SCALE, m[2] ?? '') ?? 1) : Number.NaN;
      if (!(value <= U64)) {
        this.error(tok, IpvsCode.badNumber, `counter '${tok.image}' is too large`);
        return undefined;
      }
      // A full number of 9 digits or more can only come from `--exact`.
      if (m && m[2] === '' && value >= 1e8 && rs.listing) rs.listing.exact = true;
      out[key] = value;
    }
    return out;
  }
}

function lineEnd(line: ServerLine): number {
  const last = line.numbers[line.numbers.length - 1] ?? line.forward ?? line.target;
  return endColumn(last);
}

export function parseIpvsadmList(text: string, file: string, firstLine = 1): ParseResult {
  const builder = new ListBuilder(file);
  const limit = new ErrorLineLimit(builder.diagnostics, file);
  for (const { text: line, line: n } of numberedLines(text, firstLine)) {
    builder.line(line, n);
    if (!limit.goOn(n)) break;
  }
  builder.finish();
  return { ruleSets: builder.ruleSets, diagnostics: builder.diagnostics };
}
