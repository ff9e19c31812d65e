import type { DumpFormat } from '../format.js';
import { parseNft } from './reader.js';

export { parseNft, parseDuration } from './reader.js';
export { NftCode } from './codes.js';
export { normaliseRuleWords } from './normalise.js';

/**
 * The first line of nftables text: a table block, an `add table` command, iptables-nft's
 * warning, or a chain block copied without its table (`chain KUBE-SERVICES {`).
 */
const NFT_START = /^\s*(?:table\s+(?:(?:ip|ip6|inet|arp|bridge|netdev)\s+)?\S+\s*\{|(?:add|create)\s+table\s+\S+|# Warning: table \S+ \S+ is managed by iptables-nft|chain\s+[^\s{}]+\s*\{)/;

export const nftFormat: DumpFormat = {
  id: 'nft',
  description: 'nftables text: nft list ruleset / nft list table output (also with -a or -s), and the add … commands nft -f takes',
  startsSection: (line) => NFT_START.test(line),
  parse: parseNft,
};

/** Lines inside nftables text: indented block lines, a closing brace, and the commands of `nft -f`. */
export function nftContinues(line: string): boolean {
  return /^(?:[ \t]+\S|\}|(?:add|create|insert|flush|delete|destroy)\s+(?:table|chain|set|map|rule|element|ruleset)\b)/.test(line);
}
