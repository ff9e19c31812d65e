import type { IToken } from 'chevrotain';
import { sortDiagnostics, type Diagnostic, type Severity } from '../../diagnostics.js';
import type { IpvsForward, IpvsListingColumns, IpvsRuleSet, RealServer, VirtualService } from '../../ast/types.js';
import type { ParseResult } from '../format.js';
import { ipvsAddressKey } from '../../ast/canonical-ipvs.js';
import { IPVS_RATE_KEYS, IPVS_STATS_KEYS, listServiceName } from '../../ast/print-ipvs.js';
import { servicePort } from '../../ast/xtables/netdb.js';
import { parseHostPort, parseUint } from './address.js';
import { IpvsCode } from './codes.js';
import { numberedLines, type NumberedLine } from '../numbered-lines.js';
import { parseListLine, type ServerLine, type ServiceLine } from './list-parser.js';
import { lexListLine } from './word-lexer.js';
import { clip } from '../../display-text.js';
import { col, endColumn } from '../token-columns.js';
import { own } from '../../records.js';
import { ErrorLineLimit } from '../limits.js';

/**
 * Reads `ipvsadm -L` listings (`-L -n`, `--stats`, `--rate`, `--exact`, `--thresholds`,
 * `--persistent-conn`, and `-L` without `-n`) into IPVS rule sets, one per
 * `IP Virtual Server version` line, also when the paste starts below the version and column
 * title lines.
 *
 * What a listing does not show is not invented: the counter layouts omit the scheduler (`''`
 * then), the forwarding method and the weight (absent then), and so does a line cut short.
 * Service names printed for ports (no `-n`) are read as numbers from the services table
 * (`netdb.ts`), as ipvsadm prints them from it; host names are kept as printed. Rule sets whose
 * text hides something are `fidelity: 'lossy'` and say what in `lossyBecause`.
 */

const FORWARD: Record<string, IpvsForward> = { Masq: 'masq', Route: 'route', Tunnel: 'tunnel', Local: 'local' };
const PROTOCOL: Record<string, VirtualService['protocol']> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp', FWM: 'fwmark' };
const SCALE: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
const U32 = 0xffffffff;
const U64 = Number.MAX_SAFE_INTEGER;
const WEIGHT_MAX = 2147483647;

/**
 * ipvsadm keeps 28 characters of an IPv4 `ADDR:PORT` in a listing (33 with the protocol of a
 * service line). Numbers never fill them; host and service names can, and are then cut.
 */
const NAME_WIDTH = 28;

/** What each layout leaves out: the reason its rule set is lossy. */
const HIDDEN: Record<IpvsListingColumns, string | undefined> = {
  default: undefined,
  stats: 'counter listings do not show schedulers, persistence, forwarding methods or weights',
  rate: 'rate listings do not show schedulers, persistence, forwarding methods or weights',
  thresholds: 'threshold listings do not show forwarding methods or weights',
  'persistent-conn': 'persistent-connection listings do not show forwarding methods',
};

/** Why a rule set is lossy, beyond its layout: one reason each, as `lossyBecause` holds them. */
const IPVS_LIST_LOSSY = {
  hostNames: 'host names instead of addresses (a listing without -n)',
  unknownPortNames: 'port names the services table does not have (a listing without -n)',
  cutNames: 'names cut off at 28 characters, their ports with them (a listing without -n)',
  cutLines: 'lines cut short: what they do not show is unknown',
  untitledCounters: 'counters without their column titles (--stats and --rate look alike): not read',
  untitledColumns: 'real server numbers without their column titles (--thresholds and --persistent-conn look alike): not read',
  noPort: 'addresses printed without their ports',
} as const;

/** How many numbers a real-server line has in each layout. */
const SERVER_NUMBERS: Record<IpvsListingColumns, number> = { default: 3, stats: 5, rate: 5, thresholds: 4, 'persistent-conn': 4 };

/** The first words of the lines of an ipvsadm listing: version, column titles, services, servers. */
const LISTING_FIRST_WORD = /^(TCP|UDP|SCTP|FWM|->|Prot|IP)$/;

/**
 * The layout a service line is read in. Without column titles a row of counters is `--stats` or
 * `--rate` when the numbers tell (`counters` when they do not); a scheduler row is the plain
 * layout until its real servers show numbers only the titled layouts have (`untitled`).
 */
type Layout = IpvsListingColumns | 'counters' | 'untitled';

class ListBuilder {
  readonly diagnostics: Diagnostic[] = [];
  readonly ruleSets: IpvsRuleSet[] = [];
  private current: IpvsRuleSet | undefined;
  /** The layout the column titles name; undefined while there are none. */
  private columns: IpvsListingColumns | undefined;
  /** Without column titles: what the counter rows were found to be, once a first one is seen. */
  private untitledCounters: 'stats' | 'rate' | 'counters' | undefined;
  private service: VirtualService | undefined;
  private serviceLayout: Layout = 'default';
  private keys = new Map<string, number>();
  /** The notes given for this rule set, by reason: each once. */
  private noted = new Set<string>();
  private lineNo = 0;
  /** Where the current listing's version line is, until its column titles follow it. */
  private versionLine: { line: number; column: number } | undefined;
  /** The first port name read from the services table, for the note that says so. */
  private resolvedPort: { line: number; column: number; text: string } | undefined;

  constructor(
    private readonly file: string,
    private readonly lines: readonly NumberedLine[],
  ) {}

  private report(column: number, severity: Severity, code: string, message: string): void {
    this.diagnostics.push({ file: this.file, line: this.lineNo, column, severity, code, message });
  }

  private error(tok: IToken, code: string, message: string): void {
    this.report(col(tok), 'error', code, message);
  }

  /** A diagnostic given once per rule set for the same `key`. */
  private once(key: string, column: number, severity: Severity, code: string, message: string): void {
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.report(column, severity, code, message);
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

  line(text: string, lineNo: number, index: number): void {
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
        this.untitledCounters = undefined;
        this.service = undefined;
        this.keys = new Map();
        this.noted = new Set();
        this.resolvedPort = undefined;
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
        this.untitledCounters = undefined;
        this.versionLine = undefined;
        if (rs.listing) rs.listing.columns = line.columns;
        const hidden = HIDDEN[line.columns];
        if (hidden) this.lossy(rs, col(line.first), hidden, `${hidden}; the rule set is marked lossy`);
        return;
      }
      case 'serverTitle':
        if (this.columns === undefined) {
          this.report(col(line.first), 'error', IpvsCode.truncated, "the '  -> RemoteAddress:Port' title comes before the 'Prot LocalAddress:Port' title");
        }
        return;
      case 'service':
        this.addService(line, index);
        return;
      case 'server':
        this.addServer(line);
        return;
    }
  }

  /** A listing whose version line is not followed by column titles was cut short. */
  finish(): void {
    this.noteResolvedPorts();
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

  /** Port names read from the services table lose nothing, but the reader is told where the numbers come from. */
  private noteResolvedPorts(): void {
    const r = this.resolvedPort;
    if (!r) return;
    this.resolvedPort = undefined;
    this.diagnostics.push({
      file: this.file,
      line: r.line,
      column: r.column,
      severity: 'note',
      code: IpvsCode.lossy,
      message: `port names (a listing without -n) are read as numbers from the services table, as ipvsadm printed them from it: ${r.text}`,
    });
  }

  private syntaxError(text: string, tok: IToken | undefined): void {
    if (!tok) {
      this.report(text.trimEnd().length + 1, 'error', IpvsCode.truncated, `line ends early: '${clip(text.trim(), 40, 40)}'`);
      return;
    }
    this.error(tok, IpvsCode.syntax, `unexpected '${tok.image}'`);
  }

  /** Marks the rule set lossy for `why`, with a note the first time. */
  private lossy(rs: IpvsRuleSet, column: number, why: string, message: string, severity: Severity = 'note', code: string = IpvsCode.lossy): void {
    rs.fidelity = 'lossy';
    rs.lossyBecause ??= [];
    if (!rs.lossyBecause.includes(why)) rs.lossyBecause.push(why);
    this.once(why, column, severity, code, message);
  }

  /** The layout of a service line: the titled one, else what its own numbers (and those after it) tell. */
  private layoutOf(line: ServiceLine, index: number, rs: IpvsRuleSet): Layout {
    if (this.columns !== undefined) return this.columns;
    if (line.numbers.length === 0) return 'untitled';
    if (this.untitledCounters === undefined) {
      const found = untitledCounterLayout(this.lines, index);
      this.untitledCounters = found ?? 'counters';
      if (found) {
        if (rs.listing && rs.services.length === 0) rs.listing.columns = found;
        this.report(
          col(line.first),
          'note',
          IpvsCode.missing,
          `counters without their column titles, read as --${found}: ${found === 'stats' ? 'real servers show K/M/G/T counters where --rate prints whole numbers' : 'real servers show whole numbers of 9 digits or more where --stats prints K/M/G/T'}`,
        );
        const hidden = HIDDEN[found] as string;
        this.lossy(rs, col(line.first), hidden, `${hidden}; the rule set is marked lossy`);
      } else {
        this.lossy(
          rs,
          col(line.first),
          IPVS_LIST_LOSSY.untitledCounters,
          'counters without their column titles: --stats and --rate print them alike, so they are not read; services and real servers are; the rule set is marked lossy',
          'warning',
          IpvsCode.missing,
        );
      }
    }
    return this.untitledCounters;
  }

  private addService(line: ServiceLine, index: number): void {
    const rs = this.ruleSet(col(line.first));
    this.service = undefined;
    const layout = this.layoutOf(line, index, rs);
    const counters = layout === 'stats' || layout === 'rate' || layout === 'counters';
    const cut = line.scheduler === undefined && line.numbers.length === 0;
    if (!cut && counters !== (line.numbers.length > 0)) {
      const tok = line.scheduler ?? line.numbers[0] ?? line.target;
      this.error(tok, IpvsCode.syntax, counters ? `expected the ${layout === 'counters' ? '' : `${layout} `}counters, found '${tok.image}'` : `expected a scheduler, found '${tok.image}'`);
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
    } else if (!this.target(line.target, svc, protocol, rs)) return;
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
    if (cut) {
      const what = counters ? 'its counters' : 'its scheduler';
      this.cutLine(rs, endColumn(line.target), `service line ends early: ${what} ${counters ? 'are' : 'is'} not shown`);
    } else if (layout === 'stats' || layout === 'rate') {
      const stats = this.counters(line.numbers, layout === 'stats' ? IPVS_STATS_KEYS : IPVS_RATE_KEYS, rs);
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
    this.serviceLayout = layout;
  }

  /** A line cut short: a warning, and the rule set is lossy (what the line would have shown is unknown). */
  private cutLine(rs: IpvsRuleSet, column: number, message: string): void {
    rs.fidelity = 'lossy';
    rs.lossyBecause ??= [];
    if (!rs.lossyBecause.includes(IPVS_LIST_LOSSY.cutLines)) rs.lossyBecause.push(IPVS_LIST_LOSSY.cutLines);
    this.report(column, 'warning', IpvsCode.truncated, `${message}; read as far as it goes`);
  }

  /**
   * Fills address, port and family from `ADDR:PORT`. A listing without `-n` prints names: a port
   * name is read as its number in the services table for the service's protocol; a host name is
   * kept as printed; a name that fills the 28 characters ipvsadm prints may be cut, port and all.
   */
  private target(tok: IToken, into: VirtualService | RealServer, protocol: VirtualService['protocol'], rs: IpvsRuleSet): boolean {
    const hp = parseHostPort(tok.image, true);
    if (!hp.ok) {
      this.error(tok, IpvsCode.badAddress, hp.message);
      return false;
    }
    const v = hp.value;
    into.address = v.address;
    into.port = v.port;
    if ('family' in into) into.family = v.family;
    if (!v.numericAddress) {
      this.lossy(rs, col(tok), IPVS_LIST_LOSSY.hostNames, `'${clip(v.address, 40)}' is a host name, not an address (a listing without -n): host names are kept as printed, never resolved; the rule set is marked lossy`);
    }
    const numbersOnly = v.numericAddress && v.hasPort && v.portName === undefined;
    if (!tok.image.startsWith('[') && tok.image.length >= NAME_WIDTH && !numbersOnly) {
      // The text fills the width ipvsadm cuts names at: whatever it shows of a port may be a piece of it.
      into.truncated = true;
      into.port = 0;
      into.portName = v.hasPort ? tok.image.slice(tok.image.lastIndexOf(':') + 1) : '';
      this.lossy(rs, col(tok), IPVS_LIST_LOSSY.cutNames, `'${clip(tok.image, 40)}' fills the ${NAME_WIDTH} characters ipvsadm prints of a name and may be cut off: its port is unknown; the rule set is marked lossy`);
      return true;
    }
    if (!v.hasPort) {
      into.portName = '';
      this.lossy(rs, col(tok), IPVS_LIST_LOSSY.noPort, `'${clip(tok.image, 40)}' shows no port: its port is unknown; the rule set is marked lossy`);
      return true;
    }
    if (v.portName === undefined) return true;
    into.portName = v.portName;
    const proto = protocol === 'fwmark' ? undefined : protocol;
    const port = proto === undefined ? undefined : servicePort(v.portName, proto);
    if (port === undefined) {
      const which = proto === undefined ? 'a fwmark service' : proto;
      this.lossy(rs, col(tok), IPVS_LIST_LOSSY.unknownPortNames, `port name '${clip(v.portName, 40)}' is not in the services table for ${which}: its number is unknown; the rule set is marked lossy`);
      return true;
    }
    into.port = port;
    this.resolvedPort ??= { line: this.lineNo, column: col(tok), text: `'${v.portName}' is ${port}/${proto}` };
    return true;
  }

  private addServer(line: ServerLine): void {
    const rs = this.ruleSet(col(line.first));
    const svc = this.service;
    if (!svc) {
      this.error(line.first, IpvsCode.truncated, 'real server line without a virtual service line before it');
      return;
    }
    let layout = this.serviceLayout;
    if (layout === 'untitled') {
      // No column titles, a scheduler on the service line: the plain layout shows a forwarding
      // method; four numbers alone are --thresholds or --persistent-conn, which look alike.
      if (line.forward !== undefined || line.numbers.length === 0) layout = 'default';
      else if (line.numbers.length <= 4) {
        const server = this.server(line, svc, rs);
        if (!server) return;
        this.lossy(
          rs,
          col(line.numbers[0] as IToken),
          IPVS_LIST_LOSSY.untitledColumns,
          'real server numbers without their column titles: --thresholds and --persistent-conn print them alike, so they are not read; the rule set is marked lossy',
          'warning',
          IpvsCode.missing,
        );
        this.push(svc, server, line);
        return;
      } else layout = 'default';
    }
    if (layout === 'counters') {
      if (line.forward !== undefined) {
        this.error(line.forward, IpvsCode.syntax, `unexpected '${line.forward.image}' in a listing of counters`);
        return;
      }
      const server = this.server(line, svc, rs);
      if (server) this.push(svc, server, line);
      return;
    }
    const columns: IpvsListingColumns = layout;
    const want = SERVER_NUMBERS[columns];
    if (columns === 'default' ? line.forward === undefined && line.numbers.length > 0 : line.forward !== undefined) {
      const tok = line.forward ?? line.numbers[0] ?? line.target;
      const message =
        columns === 'default'
          ? `expected a forwarding method (Masq, Route, Tunnel, Local), found '${tok.image}'`
          : `unexpected '${tok.image}' in a ${columns} listing`;
      this.error(tok, IpvsCode.syntax, message);
      return;
    }
    const extra = line.numbers[want];
    if (extra) {
      this.error(extra, IpvsCode.syntax, `unexpected '${extra.image}': a ${columns} real server line has ${want} numbers`);
      return;
    }
    const server = this.server(line, svc, rs);
    if (!server) return;
    const n = line.numbers;
    const plain = (i: number, max: number): number | null => {
      const tok = n[i] as IToken;
      const v = parseUint(tok.image, max);
      if (v === null) this.error(tok, IpvsCode.badNumber, `'${tok.image}' is not a number from 0 to ${max}`);
      return v;
    };
    type Column = 'weight' | 'activeConnections' | 'inactiveConnections' | 'upperThreshold' | 'lowerThreshold' | 'persistentConnections';
    /** Fills the columns the line shows (all of them, or those before a cut). */
    const fill = (names: Column[], maxes: number[]): boolean => {
      for (const [i, name] of names.entries()) {
        if (i >= n.length) break;
        const v = plain(i, maxes[i] ?? U32);
        if (v === null) return false;
        server[name] = v;
      }
      return true;
    };
    switch (columns) {
      case 'default':
        if (line.forward) server.forward = own(FORWARD, line.forward.image);
        if (!fill(['weight', 'activeConnections', 'inactiveConnections'], [WEIGHT_MAX, U32, U32])) return;
        break;
      case 'thresholds':
        if (!fill(['upperThreshold', 'lowerThreshold', 'activeConnections', 'inactiveConnections'], [U32, U32, U32, U32])) return;
        break;
      case 'persistent-conn':
        if (!fill(['weight', 'persistentConnections', 'activeConnections', 'inactiveConnections'], [WEIGHT_MAX, U32, U32, U32])) return;
        break;
      case 'stats':
      case 'rate': {
        if (n.length === 0) break;
        const stats = this.counters(n, columns === 'stats' ? IPVS_STATS_KEYS : IPVS_RATE_KEYS, rs);
        if (!stats) return;
        server.stats = stats;
        break;
      }
    }
    // A counter row cut short is reported where its counters are read.
    const counted = (columns === 'stats' || columns === 'rate') && n.length > 0;
    if (n.length < want && !counted) {
      const shown = n.length === 0 ? (line.forward ? 'only its address and forwarding method' : 'only its address') : `${n.length} of ${want} numbers`;
      this.cutLine(rs, lineEnd(line), `real server line ends early: it shows ${shown}`);
    }
    this.push(svc, server, line);
  }

  /** A real server with its address and port, before its columns are read. */
  private server(line: ServerLine, svc: VirtualService, rs: IpvsRuleSet): RealServer | undefined {
    const server: RealServer = { address: '', port: 0, pos: { file: this.file, line: this.lineNo, column: col(line.first) } };
    return this.target(line.target, server, svc.protocol, rs) ? server : undefined;
  }

  private push(svc: VirtualService, server: RealServer, line: ServerLine): void {
    const key = `${ipvsAddressKey(server.address)}/${server.port}/${server.portName ?? ''}`;
    if (svc.realServers.some((x) => `${ipvsAddressKey(x.address)}/${x.port}/${x.portName ?? ''}` === key)) {
      this.error(line.target, IpvsCode.duplicate, `real server ${line.target.image} is listed twice under ${listServiceName(svc)}`);
      return;
    }
    svc.realServers.push(server);
  }

  /** The counters a line shows, by key: all of them, or those before a cut (the caller says so). */
  private counters(tokens: IToken[], keys: readonly string[], rs: IpvsRuleSet): Record<string, number> | undefined {
    const extra = tokens[keys.length];
    if (extra) {
      this.error(extra, IpvsCode.syntax, `unexpected '${extra.image}': ${keys.length} counters expected`);
      return undefined;
    }
    const out: Record<string, number> = {};
    for (const [i, tok] of tokens.entries()) {
      const m = /^(\d+)([KMGT]?)$/.exec(tok.image);
      const value = m ? Number(m[1]) * (own(SCALE, m[2] ?? '') ?? 1) : Number.NaN;
      if (!(value <= U64)) {
        this.error(tok, IpvsCode.badNumber, `counter '${tok.image}' is too large`);
        return undefined;
      }
      // A full number of 9 digits or more can only come from `--exact`.
      if (m && m[2] === '' && value >= 1e8 && rs.listing) rs.listing.exact = true;
      out[keys[i] as string] = value;
    }
    if (tokens.length < keys.length) {
      const last = tokens[tokens.length - 1] as IToken;
      this.cutLine(rs, endColumn(last), `line ends early: ${keys.length} counters expected, ${tokens.length} found`);
    }
    return out;
  }
}

function lineEnd(line: ServerLine): number {
  const last = line.numbers[line.numbers.length - 1] ?? line.forward ?? line.target;
  return endColumn(last);
}

const COUNTER = /^\d+[KMGT]?$/;

/**
 * For a listing pasted without its column titles, from the line at `index` on (to the next title
 * or version line): `stats` when a real-server line shows a K/M/G/T counter among its first three
 * numbers (`--rate` prints those whole), `rate` when one shows a whole number of 9 digits or more
 * there while the listing elsewhere scales its counters (so it is not `--exact`); undefined when
 * the numbers do not tell.
 */
function untitledCounterLayout(lines: readonly NumberedLine[], index: number): 'stats' | 'rate' | undefined {
  let scaled = false;
  let longPlain = false;
  for (let i = index; i < lines.length; i++) {
    const words = (lines[i] as NumberedLine).text.trim().split(/\s+/);
    const first = words[0];
    if (first === 'Prot' || first === 'IP') break;
    const server = first === '->';
    const numbers = words.slice(2).filter((w) => COUNTER.test(w));
    if (numbers.length !== words.length - 2) continue;
    for (const [j, w] of numbers.entries()) {
      const suffixed = !/^\d+$/.test(w);
      if (suffixed) scaled = true;
      if (server && j < 3) {
        if (suffixed) return 'stats';
        if (w.length >= 9) longPlain = true;
      }
    }
  }
  return scaled && longPlain ? 'rate' : undefined;
}

export function parseIpvsadmList(text: string, file: string, firstLine = 1): ParseResult {
  const lines = numberedLines(text, firstLine);
  const builder = new ListBuilder(file, lines);
  const limit = new ErrorLineLimit(builder.diagnostics, file);
  for (const [i, { text: line, line: n }] of lines.entries()) {
    builder.line(line, n, i);
    if (!limit.goOn(n)) break;
  }
  builder.finish();
  return { ruleSets: builder.ruleSets, diagnostics: sortDiagnostics(builder.diagnostics) };
}
