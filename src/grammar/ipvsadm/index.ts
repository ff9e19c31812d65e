import type { DumpFormat } from '../format.js';
import { parseIpvsadmList } from './list-builder.js';
import { parseIpvsadmSave } from './save-builder.js';

export { parseIpvsadmList } from './list-builder.js';
export { parseIpvsadmSave } from './save-builder.js';
export { IpvsCode } from './codes.js';

/** `-A -t ...`, `-a -u ...`, `--add-service --sctp-service ...`, or a lone `-C`. */
const SAVE_START = /^(?:(?:-[AEa]|--add-service|--edit-service|--add-server)\s+(?:-[tuf]|--(?:tcp|udp|sctp|fwmark)-service)\s|-C\s*$|--clear\s*$)/;
/**
 * The same rules typed as commands: `ipvsadm -A -t ...`, `sudo /sbin/ipvsadm -a -t ... -r ...`.
 * Only commands that add or edit a service or real server: `ipvsadm -Ln`, `ipvsadm -C` and the
 * like are commands someone ran, not rules.
 */
const TYPED_START =
  /^\s*(?:sudo\s+)?(?:\S*\/)?ipvsadm\s+(?:-[AEae]|--(?:add|edit)-(?:service|server))\s(?:.*\s)?(?:-[tuf]|--(?:tcp|udp|sctp|fwmark)-service)\s+\S/;

const LIST_START = /^(?:IP Virtual Server version \S+ \(size=\d+\)|Prot LocalAddress:Port\s)/;
/** The schedulers of the Linux kernel's IPVS. */
const SCHEDULERS = 'rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh|twos';
const COUNTERS = String.raw`(?:\d+[KMGT]?\s+){4}\d+[KMGT]?\s*$`;
/** `10.96.0.1:443`, `[fd00::1]:53`, or a name (a listing without -n, perhaps cut before its port). */
const HOST_PORT = String.raw`(?:\[[^\]\s]+\](?::\S+)?|[^\s:[\]]+(?::[^\s:]+)?)`;
/**
 * A service line of a listing pasted without its version and column title lines:
 * `TCP  10.96.0.1:443 rr`, `UDP  10.96.0.10:53 rr persistent 10800`, `FWM  5 IPv6 mh`, or a row of
 * five counters. The scheduler must be one IPVS has, so that `TCP 14:56 ESTABLISHED ...`
 * (`ipvsadm -Lnc`) and other tables that start with a protocol are not taken for one.
 */
const SERVICE_ROW = new RegExp(
  String.raw`^\s*(?:(?:TCP|UDP|SCTP)\s+${HOST_PORT}|FWM\s+\d+(?:\s+IPv6)?)\s+(?:(?:${SCHEDULERS})(?:\s+(?:\([^\s()]*\)|persistent\s+\d+|ops)(?:\s.*)?)?\s*$|${COUNTERS})`,
);

export const ipvsadmSaveFormat: DumpFormat = {
  id: 'ipvsadm-save',
  description: 'ipvsadm -S -n (ipvsadm-save -n) output, which is also ipvsadm -R input; also the same rules typed as ipvsadm commands',
  startsSection: (line) => SAVE_START.test(line) || TYPED_START.test(line),
  parse: parseIpvsadmSave,
};

export const ipvsadmListFormat: DumpFormat = {
  id: 'ipvsadm-list',
  description: 'ipvsadm -L -n listings, plain or with --stats, --rate, --exact, --thresholds, --persistent-conn; also without -n, or pasted without their title lines',
  startsSection: (line) => LIST_START.test(line) || SERVICE_ROW.test(line),
  parse: parseIpvsadmList,
};
