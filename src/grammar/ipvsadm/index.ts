import type { DumpFormat } from '../format.js';
import { parseIpvsadmList } from './list-builder.js';
import { parseIpvsadmSave } from './save-builder.js';

export { parseIpvsadmList } from './list-builder.js';
export { parseIpvsadmSave } from './save-builder.js';
export { IpvsCode } from './codes.js';

/** `-A -t ...`, `-a -u ...`, `--add-service --sctp-service ...`, or a lone `-C`. */
const SAVE_START = /^(?:(?:-[AEa]|--add-service|--edit-service|--add-server)\s+(?:-[tuf]|--(?:tcp|udp|sctp|fwmark)-service)\s|-C\s*$|--clear\s*$)/;
const LIST_START = /^(?:IP Virtual Server version \S+ \(size=\d+\)|Prot LocalAddress:Port\s)/;

export const ipvsadmSaveFormat: DumpFormat = {
  id: 'ipvsadm-save',
  description: 'ipvsadm -S -n (ipvsadm-save -n) output, which is also ipvsadm -R input',
  startsSection: (line) => SAVE_START.test(line),
  parse: parseIpvsadmSave,
};

export const ipvsadmListFormat: DumpFormat = {
  id: 'ipvsadm-list',
  description: 'ipvsadm -L -n listings, plain or with --stats, --rate, --exact, --thresholds, --persistent-conn',
  startsSection: (line) => LIST_START.test(line),
  parse: parseIpvsadmList,
};
