import type { IToken } from 'chevrotain';
import type { Diagnostic, Severity } from '../../diagnostics.js';
import type { IpvsForward, IpvsRuleSet, IpvsTunnel, RealServer, VirtualService } from '../../ast/types.js';
import type { ParseResult } from '../format.js';
import { ipvsAddressKey } from '../../ast/canonical-ipvs.js';
import { ipvsServiceSelector } from '../../ast/print-ipvs.js';
import { parseHostPort, parseUint } from './address.js';
import { isIpv4Literal } from '../ip-literal.js';
import { IpvsCode } from './codes.js';
import { numberedLines } from '../numbered-lines.js';
import { parseSaveLine, type SaveItem } from './save-parser.js';
import { optionBySpelling, type SaveOptionKey } from './save-tokens.js';
import { lexSaveLine } from './word-lexer.js';
import { clip } from '../../display-text.js';
import { col, endColumn } from '../token-columns.js';
import { own } from '../../records.js';
import { ErrorLineLimit } from '../limits.js';

/**
 * Reads `ipvsadm -S -n` output (equally `ipvsadm-save -n`, and `ipvsadm -R` input) into an IPVS
 * rule set. Each line is one ipvsadm command; they are applied in order the way `ipvsadm -R`
 * would (`-A` adds a virtual service, `-a` a real server, `-E`/`-e` edit, `-D`/`-d` delete,
 * `-C` clears), so the result is the table the script leaves behind. Errors are reported per
 * line; a bad line is skipped and the next one read.
 */

const COMMANDS: readonly SaveOptionKey[] = ['addService', 'editService', 'deleteService', 'addServer', 'editServer', 'deleteServer', 'clear'];
const SELECTORS: readonly SaveOptionKey[] = ['tcp', 'udp', 'sctp', 'fwmark'];
const FORWARDS: Partial<Record<SaveOptionKey, IpvsForward>> = { masquerading: 'masq', gatewaying: 'route', ipip: 'tunnel' };
const CHECKSUMS: Partial<Record<SaveOptionKey, NonNullable<IpvsTunnel['checksum']>>> = {
  tunNoCsum: 'nocsum',
  tunCsum: 'csum',
  tunRemCsum: 'remcsum',
};

const SERVICE_OPTIONS: readonly SaveOptionKey[] = ['scheduler', 'persistent', 'netmask', 'pe', 'onePacket', 'schedFlags'];
const SERVER_OPTIONS: readonly SaveOptionKey[] = [
  'realServer',
  'masquerading',
  'gatewaying',
  'ipip',
  'weight',
  'uThreshold',
  'lThreshold',
  'tunType',
  'tunPort',
  'tunNoCsum',
  'tunCsum',
  'tunRemCsum',
];
const ALLOWED: Record<string, readonly SaveOptionKey[]> = {
  addService: SERVICE_OPTIONS,
  editService: SERVICE_OPTIONS,
  deleteService: [],
  addServer: SERVER_OPTIONS,
  editServer: SERVER_OPTIONS,
  deleteServer: ['realServer'],
  clear: [],
};

/** ipvsadm's default scheduler when `-s` is not given. */
const DEFAULT_SCHEDULER = 'wlc';
/** The kernel's persistence timeout when `-p` has no value. */
const DEFAULT_PERSISTENCE = 300;
const MAX_TIMEOUT = 86400 * 31;
const INT_MAX = 2147483647;
const KNOWN_SCHED_FLAGS: Record<string, string | undefined> = {
  'flag-1': undefined,
  'flag-2': undefined,
  'flag-3': undefined,
  'sh-fallback': 'sh',
  'sh-port': 'sh',
  'mh-fallback': 'mh',
  'mh-port': 'mh',
};

interface Selector {
  protocol: VirtualService['protocol'];
  address: string;
  port: number;
  fwmark?: number;
  family: VirtualService['family'];
  key: string;
}

class SaveBuilder {
  readonly diagnostics: Diagnostic[] = [];
  readonly services: VirtualService[] = [];
  private readonly byKey = new Map<string, { svc: VirtualService; line: number; servers: Map<string, number> }>();
  /** Services whose `-A` line had errors: their `-a` lines are skipped without more errors. */
  private readonly failed = new Set<string>();

  private lineNo = 0;

  constructor(private readonly file: string) {}

  private report(column: number, severity: Severity, code: string, message: string): void {
    this.diagnostics.push({ file: this.file, line: this.lineNo, column, severity, code, message });
  }

  private error(at: IToken | number, code: string, message: string): void {
    this.report(typeof at === 'number' ? at : col(at), 'error', code, message);
  }

  line(text: string, lineNo: number): void {
    this.lineNo = lineNo;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const all = lexSaveLine(text);
    // A rule typed as a command (`ipvsadm -A ...`, `sudo /sbin/ipvsadm -a ...`) is read as the
    // rule it adds; any other ipvsadm command (`ipvsadm -Ln`, `ipvsadm -C`) is no rule.
    const program = programWords(all);
    const tokens = program === 0 ? all : all.slice(program);
    if (program > 0 && !tokens.some((t) => RULE_COMMANDS.includes(optionBySpelling(t.image)?.key ?? 'clear'))) {
      this.report(col(all[0] as IToken), 'warning', IpvsCode.strayLine, `command '${clip(trimmed, 40, 40)}' adds no service or real server; line skipped`);
      return;
    }
    const first = tokens[0];
    if (!first) return;
    if (!first.image.startsWith('-') || /^-+$/.test(first.image)) {
      this.report(col(first), 'warning', IpvsCode.strayLine, `'${clip(trimmed, 40, 40)}' is not an ipvsadm rule; line skipped`);
      return;
    }
    const parsed = parseSaveLine(tokens);
    if (!parsed.line) {
      this.markFailed(tokens);
      const err = parsed.error;
      const tok = err?.token;
      if (err?.expectingValueFor) {
        const flag = err.expectingValueFor.image;
        const message = tok ? `option '${flag}' needs a value, found '${tok.image}'` : `option '${flag}' needs a value`;
        this.error(tok ?? endColumn(err.expectingValueFor), IpvsCode.syntax, message);
      } else if (tok && /^--?[A-Za-z]/.test(tok.image)) {
        this.error(tok, IpvsCode.syntax, `unknown option '${tok.image}'`);
      } else if (tok) {
        this.error(tok, IpvsCode.syntax, `unexpected '${tok.image}'`);
      } else {
        this.error(text.length + 1, IpvsCode.syntax, 'unexpected end of line');
      }
      return;
    }
    this.apply(parsed.line.items, first);
  }

  /**
   * After a syntax error on an `-A` line, remembers the service it was meant to add (if the
   * selector itself is readable), so that its `-a` lines are skipped without more errors.
   */
  private markFailed(tokens: IToken[]): void {
    const spec = (tok: IToken | undefined) => (tok ? optionBySpelling(tok.image) : undefined);
    if (!tokens.some((t) => spec(t)?.key === 'addService')) return;
    for (let i = 0; i + 1 < tokens.length; i++) {
      const key = spec(tokens[i])?.key;
      if (!key || !SELECTORS.includes(key)) continue;
      const value = tokens[i + 1] as IToken;
      if (key === 'fwmark') {
        const family = tokens.some((t) => spec(t)?.key === 'ipv6') ? 'ipv6' : 'ipv4';
        this.failed.add(`fwmark/${family}/${parseUint(value.image, 0xffffffff) ?? value.image}`);
        return;
      }
      const hp = parseHostPort(value.image, false);
      if (!hp.ok) return;
      const protocol = key === 'tcp' ? 'tcp' : key === 'udp' ? 'udp' : 'sctp';
      this.failed.add(`${protocol}/${ipvsAddressKey(hp.value.address)}/${hp.value.port}`);
      return;
    }
  }

  private apply(items: SaveItem[], first: IToken): void {
    const commands = items.filter((it) => COMMANDS.includes(it.key));
    const command = commands[0];
    if (!command) {
      this.error(first, IpvsCode.missing, 'no command on this line (-A, -E, -D, -a, -e, -d or -C)');
      return;
    }
    const second = commands[1];
    if (second) {
      this.error(second.flag, IpvsCode.conflict, `multiple commands: '${command.flag.image}' and '${second.flag.image}'`);
      return;
    }
    if (!this.checkOptions(items, command)) return;
    if (command.key === 'clear') {
      this.services.length = 0;
      this.byKey.clear();
      this.failed.clear();
      return;
    }
    const selector = this.selector(items, command);
    if (!selector) return;
    switch (command.key) {
      case 'addService':
      case 'editService':
        this.defineService(items, command, selector);
        return;
      case 'deleteService':
        this.deleteService(command, selector);
        return;
      default:
        this.server(items, command, selector);
    }
  }

  /** Repeated options, forwarding methods that exclude each other, options foreign to the command. */
  private checkOptions(items: SaveItem[], command: SaveItem): boolean {
    const seen = new Map<SaveOptionKey, SaveItem>();
    const allowed = own(ALLOWED, command.key) ?? [];
    let forward: SaveItem | undefined;
    let checksum: SaveItem | undefined;
    for (const it of items) {
      if (it === command) continue;
      const before = seen.get(it.key);
      if (before) {
        this.error(it.flag, IpvsCode.conflict, `option '${it.flag.image}' given twice`);
        return false;
      }
      seen.set(it.key, it);
      if (SELECTORS.includes(it.key) || it.key === 'ipv6') continue;
      if (!allowed.includes(it.key)) {
        this.error(it.flag, IpvsCode.conflict, `option '${it.flag.image}' does not apply to '${command.flag.image}'`);
        return false;
      }
      if (FORWARDS[it.key]) {
        if (forward) {
          this.error(it.flag, IpvsCode.conflict, `forwarding methods '${forward.flag.image}' and '${it.flag.image}' exclude each other`);
          return false;
        }
        forward = it;
      }
      if (CHECKSUMS[it.key]) {
        if (checksum) {
          this.error(it.flag, IpvsCode.conflict, `checksum options '${checksum.flag.image}' and '${it.flag.image}' exclude each other`);
          return false;
        }
        checksum = it;
      }
    }
    return true;
  }

  private selector(items: SaveItem[], command: SaveItem): Selector | undefined {
    const sels = items.filter((it) => SELECTORS.includes(it.key));
    const sel = sels[0];
    if (!sel || !sel.value) {
      this.error(command.flag, IpvsCode.missing, `'${command.flag.image}' needs a service: -t, -u, --sctp-service or -f`);
      return undefined;
    }
    if (sels.length > 1) {
      this.error((sels[1] as SaveItem).flag, IpvsCode.conflict, `more than one service on this line: '${sel.flag.image}' and '${(sels[1] as SaveItem).flag.image}'`);
      return undefined;
    }
    const ipv6 = items.find((it) => it.key === 'ipv6');
    if (sel.key === 'fwmark') {
      const mark = parseUint(sel.value.image, 0xffffffff);
      if (mark === null || mark === 0) {
        this.error(sel.value, IpvsCode.badNumber, `fwmark '${sel.value.image}' is not a number from 1 to 4294967295`);
        return undefined;
      }
      const family = ipv6 ? 'ipv6' : 'ipv4';
      return { protocol: 'fwmark', address: '', port: 0, fwmark: mark, family, key: `fwmark/${family}/${mark}` };
    }
    if (ipv6) {
      this.error(ipv6.flag, IpvsCode.conflict, `'${ipv6.flag.image}' applies only to fwmark services (-f); an IPv6 service is written [ADDR]:PORT`);
      return undefined;
    }
    const hp = parseHostPort(sel.value.image, false);
    if (!hp.ok) {
      this.error(sel.value, IpvsCode.badAddress, hp.message);
      return undefined;
    }
    const protocol = sel.key === 'tcp' ? 'tcp' : sel.key === 'udp' ? 'udp' : 'sctp';
    const { address, port, family } = hp.value;
    return { protocol, address, port, family, key: `${protocol}/${ipvsAddressKey(address)}/${port}` };
  }

  private defineService(items: SaveItem[], command: SaveItem, sel: Selector): void {
    const existing = this.byKey.get(sel.key);
    const svc = this.serviceOptions(items, sel, command);
    if (!svc) {
      if (command.key === 'addService' && !existing) this.failed.add(sel.key);
      return;
    }
    const name = ipvsServiceSelector(svc);
    if (command.key === 'addService') {
      if (existing) {
        this.error(command.flag, IpvsCode.duplicate, `virtual service ${name} is already defined (line ${existing.line})`);
        return;
      }
      this.failed.delete(sel.key);
      this.services.push(svc);
      this.byKey.set(sel.key, { svc, line: this.lineNo, servers: new Map() });
      return;
    }
    if (!existing) {
      this.error(command.flag, IpvsCode.noSuchService, `no virtual service ${name} to edit`);
      return;
    }
    const { realServers, pos } = existing.svc;
    Object.assign(existing.svc, svc, { realServers, pos });
    for (const key of ['persistence', 'persistenceEngine', 'onePacket'] as const) {
      if (svc[key] === undefined) delete existing.svc[key];
    }
  }

  /** The service an `-A`/`-E` line describes, or undefined after reporting what is wrong. */
  private serviceOptions(items: SaveItem[], sel: Selector, command: SaveItem): VirtualService | undefined {
    const get = (key: SaveOptionKey): SaveItem | undefined => items.find((it) => it.key === key);
    const svc: VirtualService = {
      protocol: sel.protocol,
      address: sel.address,
      port: sel.port,
      family: sel.family,
      scheduler: get('scheduler')?.value?.image ?? DEFAULT_SCHEDULER,
      schedulerFlags: [],
      realServers: [],
      pos: { file: this.file, line: this.lineNo, column: col(command.flag) },
    };
    if (sel.fwmark !== undefined) svc.fwmark = sel.fwmark;
    const persistent = get('persistent');
    if (persistent) {
      let timeout = DEFAULT_PERSISTENCE;
      if (persistent.value) {
        const t = parseUint(persistent.value.image, MAX_TIMEOUT);
        if (t === null || t === 0) {
          this.error(persistent.value, IpvsCode.badNumber, `persistence timeout '${persistent.value.image}' is not a number from 1 to ${MAX_TIMEOUT}`);
          return undefined;
        }
        timeout = t;
      }
      svc.persistence = { timeout };
    }
    const netmask = get('netmask');
    if (netmask?.value) {
      const mask = this.netmask(netmask.value, sel.family);
      if (mask === null) return undefined;
      if (!svc.persistence) this.report(col(netmask.flag), 'warning', IpvsCode.lossy, `'${netmask.flag.image}' has no effect without '-p'`);
      else if (mask !== undefined) svc.persistence.netmask = mask;
    }
    const pe = get('pe');
    if (pe?.value) svc.persistenceEngine = pe.value.image;
    if (get('onePacket')) {
      if (sel.protocol !== 'udp' && sel.protocol !== 'fwmark') {
        this.error(get('onePacket')?.flag ?? command.flag, IpvsCode.conflict, 'one-packet scheduling (-o) is only for UDP and fwmark services');
        return undefined;
      }
      svc.onePacket = true;
    }
    const flags = get('schedFlags');
    if (flags?.value) {
      for (const f of flags.value.image.split(',')) {
        if (!(f in KNOWN_SCHED_FLAGS)) {
          this.error(flags.value, IpvsCode.syntax, `unknown scheduler flag '${f}' (flag-1, flag-2, flag-3, sh-fallback, sh-port, mh-fallback, mh-port)`);
          return undefined;
        }
        const needs = own(KNOWN_SCHED_FLAGS, f);
        if (needs !== undefined && needs !== svc.scheduler) {
          this.error(flags.value, IpvsCode.conflict, `scheduler flag '${f}' needs scheduler '${needs}', not '${svc.scheduler}'`);
          return undefined;
        }
        svc.schedulerFlags.push(f);
      }
    }
    if (sel.protocol !== 'fwmark' && sel.port === 0 && !svc.persistence) {
      this.error(command.flag, IpvsCode.conflict, 'a service on port 0 must be persistent (-p)');
      return undefined;
    }
    return svc;
  }

  /** The `-M` value: a dotted mask for IPv4, a prefix length for IPv6; undefined for the host mask. */
  private netmask(tok: IToken, family: VirtualService['family']): string | undefined | null {
    const text = tok.image;
    if (family === 'ipv6') {
      const len = parseUint(text, 128);
      if (len === null || len === 0) {
        this.error(tok, IpvsCode.badNumber, `IPv6 netmask '${text}' is not a prefix length from 1 to 128`);
        return null;
      }
      return len === 128 ? undefined : text;
    }
    if (!isIpv4Literal(text)) {
      this.error(tok, IpvsCode.badAddress, `netmask '${text}' is not a dotted IPv4 mask`);
      return null;
    }
    return text === '255.255.255.255' ? undefined : text;
  }

  private deleteService(command: SaveItem, sel: Selector): void {
    const existing = this.byKey.get(sel.key);
    if (!existing) {
      if (!this.failed.has(sel.key)) this.error(command.flag, IpvsCode.noSuchService, `no virtual service ${selectorText(sel)} to delete`);
      return;
    }
    this.byKey.delete(sel.key);
    this.services.splice(this.services.indexOf(existing.svc), 1);
  }

  private server(items: SaveItem[], command: SaveItem, sel: Selector): void {
    const entry = this.byKey.get(sel.key);
    if (!entry) {
      if (!this.failed.has(sel.key)) {
        this.error(command.flag, IpvsCode.noSuchService, `virtual service ${selectorText(sel)} is not defined (no -A line for it before this one)`);
      }
      return;
    }
    const svc = entry.svc;
    const r = items.find((it) => it.key === 'realServer');
    if (!r?.value) {
      this.error(command.flag, IpvsCode.missing, `'${command.flag.image}' needs a real server (-r ADDR:PORT)`);
      return;
    }
    const hp = parseHostPort(r.value.image, false);
    if (!hp.ok) {
      this.error(r.value, IpvsCode.badAddress, hp.message);
      return;
    }
    const key = `${ipvsAddressKey(hp.value.address)}/${hp.value.hasPort ? hp.value.port : svc.port}`;
    if (command.key === 'deleteServer') {
      const at = svc.realServers.findIndex((rs) => serverKey(rs) === key);
      if (at < 0) {
        this.error(r.value, IpvsCode.noSuchService, `${ipvsServiceSelector(svc)} has no real server ${r.value.image} to delete`);
        return;
      }
      svc.realServers.splice(at, 1);
      entry.servers.delete(key);
      return;
    }
    const rs = this.serverOptions(items, svc, hp.value.address, hp.value.hasPort ? hp.value.port : svc.port, command);
    if (!rs) return;
    const finalKey = serverKey(rs);
    if (command.key === 'addServer') {
      // The servers already defined, by key: a table of thousands of real servers is read in
      // linear time.
      const first = entry.servers.get(finalKey);
      if (first !== undefined) {
        this.error(r.value, IpvsCode.duplicate, `real server ${r.value.image} of ${ipvsServiceSelector(svc)} is already defined (line ${first})`);
        return;
      }
      svc.realServers.push(rs);
      entry.servers.set(finalKey, this.lineNo);
      return;
    }
    const at = svc.realServers.findIndex((x) => serverKey(x) === finalKey);
    if (at < 0) {
      this.error(r.value, IpvsCode.noSuchService, `${ipvsServiceSelector(svc)} has no real server ${r.value.image} to edit`);
      return;
    }
    rs.pos = svc.realServers[at]?.pos ?? rs.pos;
    svc.realServers[at] = rs;
  }

  private serverOptions(items: SaveItem[], svc: VirtualService, address: string, port: number, command: SaveItem): RealServer | undefined {
    const get = (key: SaveOptionKey): SaveItem | undefined => items.find((it) => it.key === key);
    const fwdItem = items.find((it) => FORWARDS[it.key] !== undefined);
    const forward: IpvsForward = fwdItem ? (FORWARDS[fwdItem.key] ?? 'route') : 'route';
    const rs: RealServer = { address, port, forward, weight: 1, pos: { file: this.file, line: this.lineNo, column: col(command.flag) } };
    if ((forward === 'route' || forward === 'tunnel') && svc.protocol !== 'fwmark' && port !== svc.port) {
      const r = get('realServer');
      const how = forward === 'route' ? 'direct routing' : 'tunnelling';
      const at = r?.value ? col(r.value) : col(command.flag);
      this.report(at, 'warning', IpvsCode.lossy, `${how} keeps the service port ${svc.port}; port ${port} is ignored`);
      rs.port = svc.port;
    }
    const num = (key: SaveOptionKey, max: number, what: string): number | undefined | null => {
      const it = get(key);
      if (!it?.value) return undefined;
      const n = parseUint(it.value.image, max);
      if (n === null) {
        this.error(it.value, IpvsCode.badNumber, `${what} '${it.value.image}' is not a number from 0 to ${max}`);
        return null;
      }
      return n;
    };
    const weight = num('weight', 65535, 'weight');
    const upper = num('uThreshold', INT_MAX, 'upper threshold');
    const lower = num('lThreshold', INT_MAX, 'lower threshold');
    if (weight === null || upper === null || lower === null) return undefined;
    if (weight !== undefined) rs.weight = weight;
    if (upper !== undefined) rs.upperThreshold = upper;
    if (lower !== undefined) rs.lowerThreshold = lower;
    const tunType = get('tunType');
    const tunPort = get('tunPort');
    const csumItem = items.find((it) => CHECKSUMS[it.key] !== undefined);
    if (tunType?.value) {
      if (forward !== 'tunnel') {
        this.error(tunType.flag, IpvsCode.conflict, `'${tunType.flag.image}' needs tunnelling (-i)`);
        return undefined;
      }
      const type = tunType.value.image;
      if (type !== 'ipip' && type !== 'gue' && type !== 'gre') {
        this.error(tunType.value, IpvsCode.syntax, `unknown tunnel type '${type}' (ipip, gue or gre)`);
        return undefined;
      }
      rs.tunnel = { type };
    }
    if (tunPort?.value) {
      if (rs.tunnel?.type !== 'gue') {
        this.error(tunPort.flag, IpvsCode.conflict, `'${tunPort.flag.image}' needs '--tun-type gue'`);
        return undefined;
      }
      const p = parseUint(tunPort.value.image, 65535);
      if (p === null || p === 0) {
        this.error(tunPort.value, IpvsCode.badNumber, `tunnel port '${tunPort.value.image}' is not a number from 1 to 65535`);
        return undefined;
      }
      rs.tunnel.port = p;
    }
    if (csumItem) {
      if (rs.tunnel?.type !== 'gue' && rs.tunnel?.type !== 'gre') {
        this.error(csumItem.flag, IpvsCode.conflict, `'${csumItem.flag.image}' needs '--tun-type gue' or '--tun-type gre'`);
        return undefined;
      }
      const checksum = CHECKSUMS[csumItem.key];
      if (checksum) rs.tunnel.checksum = checksum;
    }
    return rs;
  }
}

/** The commands that add, change or delete a virtual service or real server. */
const RULE_COMMANDS: readonly SaveOptionKey[] = ['addService', 'editService', 'deleteService', 'addServer', 'editServer', 'deleteServer'];

/** How many words at the start of a line name the program: `ipvsadm`, `/sbin/ipvsadm`, `sudo ipvsadm`; 0 for none. */
function programWords(tokens: readonly IToken[]): number {
  const at = tokens[0]?.image === 'sudo' ? 1 : 0;
  const word = tokens[at]?.image;
  return word !== undefined && /^(?:\S*\/)?ipvsadm$/.test(word) ? at + 1 : 0;
}

function serverKey(rs: RealServer): string {
  return `${ipvsAddressKey(rs.address)}/${rs.port}`;
}

function selectorText(sel: Selector): string {
  return ipvsServiceSelector({ ...sel, scheduler: '', schedulerFlags: [], realServers: [] });
}

export function parseIpvsadmSave(text: string, file: string, firstLine = 1): ParseResult {
  const builder = new SaveBuilder(file);
  const limit = new ErrorLineLimit(builder.diagnostics, file);
  for (const { text: line, line: n } of numberedLines(text, firstLine)) {
    builder.line(line, n);
    if (!limit.goOn(n)) break;
  }
  const ruleSet: IpvsRuleSet = {
    kind: 'ipvs',
    services: builder.services,
    origin: 'ipvsadm-save',
    fidelity: 'exact',
    pos: { file, line: firstLine, column: 1 },
  };
  return { ruleSets: [ruleSet], diagnostics: builder.diagnostics };
}
