import type { DumpFormat } from '../format.js';
import { parseIpsetList } from './list-builder.js';
import { parseIpsetSave } from './save-builder.js';

export { parseIpsetList } from './list-builder.js';
export { parseIpsetSave } from './save-builder.js';
export { IpsetCode } from './codes.js';

export const ipsetSaveFormat: DumpFormat = {
  id: 'ipset-save',
  description: 'ipset save output, which is also ipset restore input',
  startsSection: (line) => /^create\s+\S+\s+(?:hash|bitmap|list):\S+/.test(line),
  parse: parseIpsetSave,
};

export const ipsetListFormat: DumpFormat = {
  id: 'ipset-list',
  description: 'ipset list output (Name/Type/Header/Members blocks), also ipset list -t',
  startsSection: (line) => /^Name: \S+\s*$/.test(line),
  parse: parseIpsetList,
};
