import type { NftElement, NftRuleSet, NftSet } from '../../ast/nft-types.js';
import type { SourcePos } from '../../ast/types.js';
import { elementText, printNft } from '../../ast/print-nft.js';
import type { ExplainedItem, ExplainOptions } from './explain.js';
import { chainRole, elementTarget, ruleKind, tableKind } from './nft-classify.js';
import { NFT_EN } from './nft-en.js';
import type { NftLanguage } from './nft-language.js';
import { NFT_ZH } from './nft-zh.js';

const NFT_LANGUAGES: Record<'en' | 'zh', NftLanguage> = { en: NFT_EN, zh: NFT_ZH };

/**
 * Explains kube-proxy's nftables tables line by line, in the order `rulec compile --mode nftables`
 * prints them (each line numbered where a listing it was read from has it, else as in that text): the table, each chain by its role, each rule
 * by what it does and why, each set and map, and each map element by where it sends packets.
 */
export function explainNftRuleSets(ruleSets: readonly NftRuleSet[], options: ExplainOptions = {}): ExplainedItem[] {
  const lang = NFT_LANGUAGES[options.lang ?? 'en'];
  const out: ExplainedItem[] = [];
  let offset = 0;
  for (const rs of ruleSets) {
    const lines = printNft(rs).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const prefix = `${rs.family} ${rs.table}`;
    const ruleCount = new Map<string, number>();
    const chains = new Map(rs.chains.map((c) => [c.name, c]));
    const sets = new Map(rs.sets.map((s) => [s.name, s]));
    /** Each set's elements by the text `add element` writes for them, built when first asked. */
    const elements = new Map<string, Map<string, NftElement>>();
    const elementOf = (set: NftSet, text: string): NftElement | undefined => {
      let byText = elements.get(set.name);
      if (!byText) {
        byText = new Map(set.elements.map((e) => [elementText(e), e]));
        elements.set(set.name, byText);
      }
      return byText.get(text);
    };
    lines.forEach((text, i) => {
      const printed = offset + i + 1;
      const words = text.split(' ');
      const verb = `${words[0] ?? ''} ${words[1] ?? ''}`;
      const name = words[4] ?? '';
      if (verb === 'add table') {
        out.push({ what: 'table', table: prefix, text, ...where(rs, printed), sentence: lang.table(rs.family, rs.table, rs.chains.length, rs.sets.length, tableKind(rs)) });
      } else if (verb === 'add chain') {
        const chain = chains.get(name);
        if (chain) out.push({ what: 'chain', table: prefix, chain: name, text, ...where(chain, printed), sentence: lang.chain(chainRole(chain)) });
      } else if (verb === 'add set' || verb === 'add map') {
        const set = sets.get(name);
        if (set) out.push({ what: 'set', table: prefix, chain: name, text, ...where(set, printed), sentence: lang.set(name, set.kind, set.comment, set.elements.length) });
      } else if (verb === 'add rule') {
        const chain = chains.get(name);
        const n = ruleCount.get(name) ?? 0;
        ruleCount.set(name, n + 1);
        const rule = chain?.rules[n];
        if (chain && rule) {
          const kind = ruleKind(rs, rule);
          out.push({ what: 'rule', table: prefix, chain: name, rule: n + 1, text, ...where(rule, printed), sentence: lang.rule(kind) });
        }
      } else if (verb === 'add element') {
        const set = sets.get(name);
        const inner = /\{ (.*) \}$/.exec(text)?.[1] ?? '';
        const element = set === undefined ? undefined : elementOf(set, inner);
        if (set && element) {
          const t = elementTarget(rs, set, element);
          out.push({ what: 'element', table: prefix, chain: name, text, ...where(element, printed), sentence: lang.element(name, t.key, t.verdict, t.role) });
        }
      }
    });
    offset += lines.length;
  }
  const keep = (i: ExplainedItem) => (options.chain === undefined || i.chain === options.chain) && (options.line === undefined || i.line === options.line);
  return out.filter(keep);
}

/** Where a node is: its place in the listing it was read from, else its line of the printed text. */
function where(node: { pos?: SourcePos }, printed: number): { file?: string; line: number } {
  return node.pos ? { file: node.pos.file, line: node.pos.line } : { line: printed };
}
