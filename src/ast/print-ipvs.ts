import type {
  IpvsForward,
  IpvsListingColumns,
  IpvsRuleSet,
  RealServer,
  VirtualService,
} from './types.js';
import { ByteWriter, type TextSink } from './byte-writer.js';

/**
 * Printers for IPVS rule sets: `ipvsadm -S -n` text (which is also `ipvsadm -R` input) and the
 * `ipvsadm -L -n` listing with its `--stats`, `--rate`, `--thresholds` and `--persistent-conn`
 * columns. Both print services and real servers in the order the rule set holds them; sort with
 * `canonicalIpvs` first for the order ipvsadm prints. Layouts follow ipvsadm 1.31.
 */

/** Keys of `VirtualService.stats` / `RealServer.stats` for `--stats` listings, in column order. */
export const IPVS_STATS_KEYS = ['conns', 'inPkts', 'outPkts', 'inBytes', 'outBytes'] as const;
/** Keys for `--rate` listings, in column order. */
export const IPVS_RATE_KEYS = ['cps', 'inPps', 'outPps', 'inBps', 'outBps'] as const;

const FORWARD_SWITCH: Record<IpvsForward, string> = { masq: '-m', route: '-g', local: '-g', tunnel: '-i' };
const FORWARD_NAME: Record<IpvsForward, string> = { masq: 'Masq', route: 'Route', local: 'Local', tunnel: 'Tunnel' };
const SAVE_PROTOCOL: Record<'tcp' | 'udp' | 'sctp', string> = { tcp: '-t', udp: '-u', sctp: '--sctp-service' };
const LIST_PROTOCOL: Record<'tcp' | 'udp' | 'sctp', string> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

const IPV4_LITERAL = /^\d{1,3}(\.\d{1,3}){3}$/;

/** `ADDR:PORT`, with IPv6 addresses in brackets; a port name (listings without `-n`) as written. */
export function ipvsAddressPort(address: string, port: number, portName: string | undefined, bracket: boolean): string {
  const host = bracket ? `[${address}]` : address;
  if (portName === '') return host;
  return `${host}:${portName ?? port}`;
}

function serviceAddressPort(svc: VirtualService): string {
  return ipvsAddressPort(svc.address, svc.port, svc.portName, svc.family === 'ipv6');
}

function serverAddressPort(svc: VirtualService, rs: RealServer): string {
  const bracket = rs.address.includes(':') || (svc.family === 'ipv6' && !IPV4_LITERAL.test(rs.address));
  return ipvsAddressPort(rs.address, rs.port, rs.portName, bracket);
}

/** The service as `ipvsadm -S` names it on `-A` and `-a` lines: `-t 10.0.0.1:80`, `-f 5 -6`. */
export function ipvsServiceSelector(svc: VirtualService): string {
  if (svc.protocol === 'fwmark') return `-f ${svc.fwmark ?? 0}${svc.family === 'ipv6' ? ' -6' : ''}`;
  return `${SAVE_PROTOCOL[svc.protocol]} ${serviceAddressPort(svc)}`;
}

export function printIpvsadmSave(ruleSet: IpvsRuleSet): string {
  const out = new ByteWriter();
  writeIpvsadmSave(out, ruleSet);
  return out.toString();
}

/** Writes the `ipvsadm -S -n` text of a rule set to `out`. */
export function writeIpvsadmSave(out: TextSink, ruleSet: IpvsRuleSet): void {
  for (const svc of ruleSet.services) {
    // The service's selector starts every `-a` line: made once per service, not per server.
    const selector = ipvsServiceSelector(svc);
    out.write(serviceSaveLine(svc, selector));
    out.write('\n');
    for (const rs of svc.realServers) {
      out.write(serverSaveLine(svc, rs, selector));
      out.write('\n');
    }
  }
}

/** `-A <svc> -s <sched>[ -p T[ -M MASK]][ --pe NAME][ -o][ -b FLAGS]`, without newline. */
export function serviceSaveLine(svc: VirtualService, selector = ipvsServiceSelector(svc)): string {
  let line = `-A ${selector} -s ${svc.scheduler}`;
  if (svc.persistence) {
    line += ` -p ${svc.persistence.timeout}`;
    if (svc.persistence.netmask !== undefined) line += ` -M ${svc.persistence.netmask}`;
  }
  if (svc.persistenceEngine !== undefined) line += ` --pe ${svc.persistenceEngine}`;
  if (svc.onePacket) line += ' -o';
  if (svc.schedulerFlags.length > 0) line += ` -b ${svc.schedulerFlags.join(',')}`;
  return line;
}

/**
 * `-a <svc> -r <rs> <fwd> -w <weight>[ -x N][ -y N][ --tun-type T[ --tun-port P][ --tun-CSUM]]`;
 * a forwarding method or weight the rule set does not know (read from a listing that does not
 * show it) is left out, not made up.
 */
export function serverSaveLine(svc: VirtualService, rs: RealServer, selector = ipvsServiceSelector(svc)): string {
  let line = `-a ${selector} -r ${serverAddressPort(svc, rs)}`;
  if (rs.forward !== undefined) line += ` ${FORWARD_SWITCH[rs.forward]}`;
  if (rs.weight !== undefined) line += ` -w ${rs.weight}`;
  if (rs.upperThreshold !== undefined) line += ` -x ${rs.upperThreshold}`;
  if (rs.lowerThreshold !== undefined) line += ` -y ${rs.lowerThreshold}`;
  if (rs.tunnel) {
    line += ` --tun-type ${rs.tunnel.type}`;
    if (rs.tunnel.port !== undefined) line += ` --tun-port ${rs.tunnel.port}`;
    if (rs.tunnel.checksum !== undefined) line += ` --tun-${rs.tunnel.checksum}`;
  }
  return line;
}

// ---------------------------------------------------------------------------------------------
// ipvsadm -L -n

export interface IpvsListOptions {
  /** Which columns to print; defaults to the rule set's own listing columns, else `default`. */
  columns?: IpvsListingColumns;
  /** `--exact`; defaults to the rule set's listing, else false. */
  exact?: boolean;
}

const DEFAULT_VERSION = '1.2.1';
const DEFAULT_SIZE = 4096;

export function printIpvsadmList(ruleSet: IpvsRuleSet, options: IpvsListOptions = {}): string {
  const listing = ruleSet.listing;
  const columns = options.columns ?? listing?.columns ?? 'default';
  const exact = options.exact ?? listing?.exact ?? false;
  const out: string[] = [];
  if (!listing) out.push(`IP Virtual Server version ${DEFAULT_VERSION} (size=${DEFAULT_SIZE})\n`);
  else if (listing.version !== undefined) {
    out.push(`IP Virtual Server version ${listing.version} (size=${listing.size ?? DEFAULT_SIZE})\n`);
  }
  out.push(listTitle(columns));
  // A rule set that is not a listing (compiled, or read from `ipvsadm -S`) has no connections
  // to count: its counters print as 0. A listing prints what it showed and nothing more.
  const zeros = listing === undefined;
  for (const svc of ruleSet.services) {
    out.push(serviceListLine(svc, columns, exact, zeros), '\n');
    for (const rs of svc.realServers) out.push(serverListLine(svc, rs, columns, exact, zeros), '\n');
  }
  return out.join('');
}

const PROT_TITLE = 'Prot LocalAddress:Port';
const RS_TITLE = '  -> RemoteAddress:Port\n';

function numberTitle(names: readonly string[]): string {
  return `${PROT_TITLE.padEnd(33)}${names.map((n) => ` ${n.padStart(8)}`).join('')}\n${RS_TITLE}`;
}

/** The two column-title lines that follow the version line. */
export function listTitle(columns: IpvsListingColumns): string {
  switch (columns) {
    case 'stats':
      return numberTitle(['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes']);
    case 'rate':
      return numberTitle(['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS']);
    case 'thresholds':
      return `${PROT_TITLE.padEnd(33)} ${['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'].map((n) => n.padEnd(10)).join(' ')}\n${RS_TITLE}`;
    case 'persistent-conn':
      return `${PROT_TITLE.padEnd(33)} ${'Weight'.padEnd(9)} ${'PersistConn'.padEnd(11)} ${'ActiveConn'.padEnd(10)} ${'InActConn'.padEnd(10)}\n${RS_TITLE}`;
    case 'default':
      return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
  }
}

/** The service column: `TCP  10.0.0.1:80`, `SCTP 10.0.0.1:80`, `FWM  5`, `FWM  5 IPv6`. */
export function listServiceName(svc: VirtualService): string {
  if (svc.protocol === 'fwmark') return `FWM  ${svc.fwmark ?? 0}${svc.family === 'ipv6' ? ' IPv6' : ''}`;
  const name = `${LIST_PROTOCOL[svc.protocol].padEnd(4)} ${serviceAddressPort(svc)}`;
  // ipvsadm cuts IPv4 service names at 33 characters (only host names are that long).
  return svc.family === 'ipv6' ? name : name.slice(0, 33);
}

function listServerName(svc: VirtualService, rs: RealServer): string {
  const name = serverAddressPort(svc, rs);
  return svc.family === 'ipv6' ? name : name.slice(0, 28);
}

/** A service's line; as a real server's, it ends at the first counter the rule set does not know (a listing's). */
function serviceListLine(svc: VirtualService, columns: IpvsListingColumns, exact: boolean, zeros: boolean): string {
  const name = listServiceName(svc);
  if (columns === 'stats' || columns === 'rate') {
    const keys = columns === 'stats' ? IPVS_STATS_KEYS : IPVS_RATE_KEYS;
    const cells: string[] = [];
    for (const k of keys) {
      const n = svc.stats?.[k] ?? (zeros ? 0 : undefined);
      if (n === undefined) break;
      cells.push(formatIpvsCounter(n, exact));
    }
    return cells.length === 0 ? name : name.padEnd(33) + cells.join('');
  }
  // A scheduler the rule set does not know (a service line cut short) is not printed.
  let line = svc.scheduler === '' ? name : `${name} ${svc.scheduler}`;
  if (svc.schedulerFlags.length > 0) line += ` (${svc.schedulerFlags.join(',')})`;
  if (svc.persistence) {
    line += ` persistent ${svc.persistence.timeout}`;
    if (svc.persistence.netmask !== undefined) line += ` mask ${svc.persistence.netmask}`;
    if (svc.persistenceEngine !== undefined) line += ` pe ${svc.persistenceEngine}`;
  }
  if (svc.onePacket) line += ' ops';
  return line;
}

/**
 * A real server's line. A value the rule set does not know (a line that was cut short) ends the
 * line there: the columns after it are not printed rather than filled with made-up values.
 * `zeros`: counters and thresholds that are not known print as 0 (a rule set that is no listing).
 */
function serverListLine(svc: VirtualService, rs: RealServer, columns: IpvsListingColumns, exact: boolean, zeros: boolean): string {
  const name = `  -> ${listServerName(svc, rs)}`;
  const cells: string[] = [];
  /** Adds cells up to the first unknown value. */
  const add = (values: ReadonlyArray<string | undefined>): void => {
    for (const v of values) {
      if (v === undefined) return;
      cells.push(v);
    }
  };
  const padded = (n: number | undefined, width: number) => (n === undefined ? undefined : String(n).padEnd(width));
  const count = (n: number | undefined) => (zeros ? (n ?? 0) : n);
  const stat = (k: string) => count(rs.stats?.[k]);
  const big = (k: string) => {
    const n = stat(k);
    return n === undefined ? undefined : formatIpvsCounter(n, exact);
  };
  const active = padded(count(rs.activeConnections), 10);
  const inactive = padded(count(rs.inactiveConnections), 10);
  switch (columns) {
    case 'stats':
      add(IPVS_STATS_KEYS.map(big));
      return cells.length === 0 ? name : name.padEnd(33) + cells.join('');
    case 'rate': {
      const small = (k: string) => {
        const n = stat(k);
        return n === undefined ? undefined : ` ${String(n).padStart(8)}`;
      };
      add([small('cps'), small('inPps'), small('outPps'), big('inBps'), big('outBps')]);
      return cells.length === 0 ? name : name.padEnd(33) + cells.join('');
    }
    case 'thresholds':
      add([padded(count(rs.upperThreshold), 10), padded(count(rs.lowerThreshold), 10), active, inactive]);
      break;
    case 'persistent-conn':
      add([padded(rs.weight, 9), padded(count(rs.persistentConnections), 11), active, inactive]);
      break;
    case 'default':
      add([rs.forward === undefined ? undefined : FORWARD_NAME[rs.forward].padEnd(7), padded(rs.weight, 6), active, inactive]);
      break;
  }
  return cells.length === 0 ? name : `${name.padEnd(33)} ${cells.join(' ')}`;
}

/**
 * A counter the way ipvsadm prints it in `--stats`/`--rate` columns: right-aligned in 9
 * columns, or scaled with a K/M/G/T suffix once it no longer fits; with `--exact`, in full.
 */
export function formatIpvsCounter(n: number, exact: boolean): string {
  if (exact) {
    const s = String(n);
    return s.padStart(s.length <= 8 ? 9 : s.length + 1);
  }
  if (n < 1e8) return String(n).padStart(9);
  if (n < 1e9) return `${String(Math.floor(n / 1e3)).padStart(8)}K`;
  if (n < 1e11) return `${String(Math.floor(n / 1e6)).padStart(8)}M`;
  if (n < 1e14) return `${String(Math.floor(n / 1e9)).padStart(8)}G`;
  return `${String(Math.floor(n / 1e12)).padStart(8)}T`;
}
