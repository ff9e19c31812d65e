import type { IpsetRuleSet, IptablesRuleSet, IpvsRuleSet, RuleSet, VirtualService } from '../../ast/types.js';
import { pushAll } from '../push-all.js';
import { chainLine, ruleLine, rulesInWriteOrder } from '../../ast/print-iptables.js';
import { formatHostPort } from '../trace/packet.js';
import { parseIp } from '../../kube/ip.js';
import { scheduleShares } from '../trace/ipvs-lookup.js';
import { ChainContext } from './chain-context.js';
import { classify, type RuleKind } from './classify.js';
import { EN } from './en.js';
import type { Lang, Language } from './language.js';
import { ZH } from './zh.js';
import { escapeControlsKeepingLines } from '../../display-text.js';
import { chainVersionFacts, isOlderLayout, layoutContext, ruleVersionFacts } from '../../ast/infer-kube-proxy-version.js';
import { factReleases, releaseAfter, type VersionFactId } from '../../kube/kube-proxy-version-facts.js';

export const LANGUAGES: Record<Lang, Language> = { en: EN, zh: ZH };

/** One line of a rule set in plain words. */
export interface ExplainedItem {
  what: 'chain' | 'rule' | 'virtual-service' | 'real-server' | 'ipset' | 'table' | 'set' | 'element';
  /** The kind of rule (for `what: rule`); `generic` only for rules kube-proxy does not write. */
  ruleKind?: RuleKind;
  table?: string;
  chain?: string;
  /** 1-based rule number in its chain. */
  rule?: number;
  /** The line as written: `-A …`, `:CHAIN - [0:0]`, `-A -t …`. */
  text: string;
  /** Where the line is: the dump's file and line, or the line of `rulec compile`'s output. */
  file?: string;
  line?: number;
  sentence: string;
}

export interface ExplainOptions {
  lang?: Lang;
  /** Only this chain (its header and rules). */
  chain?: string;
  /** Only the line with this number. */
  line?: number;
}

/** Explains every line of the rule sets, in order: chains with their rules, IPVS services, ipsets. */
export function explainRuleSets(ruleSets: readonly RuleSet[], options: ExplainOptions = {}): ExplainedItem[] {
  const lang = LANGUAGES[options.lang ?? 'en'];
  const out: ExplainedItem[] = [];
  const keep = (i: ExplainedItem) => (options.chain === undefined || i.chain === options.chain) && (options.line === undefined || i.line === options.line);
  for (const rs of ruleSets) {
    if (rs.kind === 'iptables') pushAll(out, explainIptables(rs, lang, options));
    else if (rs.kind === 'ipvs') pushAll(out, explainIpvs(rs, lang));
    else if (rs.kind === 'ipset') pushAll(out, explainIpsets(rs, lang));
    // nftables rule sets are not explained yet: `rulec explain` says so before it gets here.
  }
  return options.chain === undefined && options.line === undefined ? out : out.filter(keep);
}

/** The line each rule and chain has in `printIptablesRestore`'s text, for rule sets without positions. */
function printedLines(rs: IptablesRuleSet): Map<object, number> {
  const lines = new Map<object, number>();
  let n = 0;
  for (const t of rs.tables) {
    n++; // *table
    for (const c of t.chains) lines.set(c, ++n);
    for (const [, r] of rulesInWriteOrder(t)) lines.set(r, ++n);
    n += t.deletedChains.length + 1; // -X lines, COMMIT
  }
  return lines;
}

/**
 * The sentences that name the kube-proxy releases whose layout a line has, when the newest
 * release writes it otherwise (a KUBE-XLB- chain, a jump to KUBE-MARK-DROP, `/32`, …).
 */
function olderLayout(facts: readonly VersionFactId[], lang: Language): string {
  const out: string[] = [];
  for (const fact of facts) {
    const say = isOlderLayout(fact) ? lang.olderLayout[fact] : undefined;
    if (say) out.push(say(factReleases(fact), releaseAfter(fact)));
  }
  return out.join(lang.sentenceGap);
}

/** A sentence with the older-layout sentences after it. */
function withLayout(sentence: string, layout: string, lang: Language): string {
  return layout === '' ? sentence : `${sentence}${lang.sentenceGap}${layout}`;
}

function explainIptables(rs: IptablesRuleSet, lang: Language, options: ExplainOptions): ExplainedItem[] {
  const ctx = new ChainContext(rs);
  const layout = layoutContext(rs);
  const printed = rs.origin === 'compiled' ? printedLines(rs) : null;
  const positionOf = (node: { pos?: { file: string; line: number } }, key: object): { file?: string; line?: number } => {
    if (node.pos) return { file: node.pos.file, line: node.pos.line };
    const line = printed?.get(key);
    return line === undefined ? {} : { line };
  };
  const wanted = (line: number | undefined) => options.line === undefined || line === options.line;
  const out: ExplainedItem[] = [];
  for (const t of rs.tables) {
    for (const chain of t.chains) {
      if (options.chain !== undefined && chain.name !== options.chain) continue;
      const headPos = positionOf(chain, chain);
      if (wanted(headPos.line)) {
        out.push({
          what: 'chain',
          table: t.name,
          chain: chain.name,
          text: chainLine(chain).trimEnd(),
          ...headPos,
          sentence: withLayout(
            lang.chain(t.name, chain.name, ctx.spnOf(t.name, chain.name), chain.name.startsWith('KUBE-SEP-') ? ctx.endpointOf(t.name, chain.name) : null),
            olderLayout(chainVersionFacts(chain), lang),
            lang,
          ),
        });
      }
      for (const at of ctx.rulesOf(t.name, chain.name)) {
        const pos = positionOf(at.rule, at.rule);
        if (!wanted(pos.line)) continue;
        const c = classify(at, ctx);
        out.push({
          what: 'rule',
          ruleKind: c.kind,
          table: t.name,
          chain: chain.name,
          rule: at.index + 1,
          text: ruleLine(chain.name, at.rule),
          ...pos,
          sentence: withLayout(c.kind === 'generic' ? lang.generic(at.facts) : lang.rules[c.kind](c.f, at.facts), olderLayout(ruleVersionFacts(t, chain, at.rule, layout), lang), lang),
        });
      }
    }
  }
  return out;
}

function selectorOf(vs: VirtualService): string {
  if (vs.protocol === 'fwmark') return `-f ${vs.fwmark ?? 0}${vs.family === 'ipv6' ? ' -6' : ''}`;
  const ip = parseIp(vs.address);
  const addr = ip ? formatHostPort(ip, vs.port) : `${vs.address}:${vs.port}`;
  return `${vs.protocol === 'tcp' ? '-t' : vs.protocol === 'udp' ? '-u' : '--sctp-service'} ${addr}`;
}

function explainIpvs(rs: IpvsRuleSet, lang: Language): ExplainedItem[] {
  const out: ExplainedItem[] = [];
  let n = 0;
  for (const vs of rs.services) {
    const selector = selectorOf(vs);
    n++;
    out.push({
      what: 'virtual-service',
      text: `-A ${selector} -s ${vs.scheduler}${vs.persistence ? ` -p ${vs.persistence.timeout}` : ''}`,
      ...(vs.pos ? { file: vs.pos.file, line: vs.pos.line } : { line: n }),
      sentence: lang.virtualService({ selector, scheduler: vs.scheduler, realServers: vs.realServers.length, persistence: vs.persistence?.timeout ?? null }),
    });
    const { choices } = scheduleShares(vs);
    for (const r of vs.realServers) {
      n++;
      const ip = parseIp(r.address);
      const server = ip ? formatHostPort(ip, r.port) : `${r.address}:${r.port}`;
      const share = choices.find((c) => c.server === r)?.probability ?? 0;
      out.push({
        what: 'real-server',
        text: `-a ${selector} -r ${server}${r.forward === undefined ? '' : r.forward === 'masq' ? ' -m' : r.forward === 'tunnel' ? ' -i' : ' -g'}${r.weight === undefined ? '' : ` -w ${r.weight}`}`,
        ...(r.pos ? { file: r.pos.file, line: r.pos.line } : { line: n }),
        sentence: lang.realServer({ selector, server, forward: r.forward ?? null, weight: r.weight ?? null, share: `${Math.round(share * 1_000_000) / 10_000}%` }),
      });
    }
  }
  return out;
}

function explainIpsets(rs: IpsetRuleSet, lang: Language): ExplainedItem[] {
  return rs.sets.map((s) => ({
    what: 'ipset' as const,
    text: `create ${s.name} ${s.type}${s.options.length ? ` ${s.options.join(' ')}` : ''}`,
    ...(s.pos ? { file: s.pos.file, line: s.pos.line } : {}),
    sentence: lang.ipset(s.name, s.type, s.members.length),
  }));
}

/** Text for a terminal: each line with where it is, then its sentence. */
export function formatExplainText(items: readonly ExplainedItem[]): string {
  const out: string[] = [];
  for (const i of items) {
    const head = i.what === 'chain' ? `${i.table} ${i.chain}` : i.what === 'rule' ? `${i.table} ${i.chain} #${i.rule}` : i.what === 'set' || i.what === 'element' ? `${i.table} ${i.what} ${i.chain ?? ''}` : i.what;
    const at = i.line !== undefined ? ` (${i.file ? `${i.file}:` : 'line '}${i.line})` : '';
    out.push(`${head}${at}`, `  ${i.text}`, `  ${i.sentence}`, '');
  }
  return escapeControlsKeepingLines(out.join('\n'));
}
