import type { IptablesRuleSet, IpvsRuleSet, SourcePos } from '../ast/types.js';
import type { NftRuleSet } from '../ast/nft-types.js';
import type { ProxySettings } from '../model/settings.js';
import type { ObjectSource } from '../model/source-document.js';
import type { LintSettings } from './config/types.js';
import type { ManifestModel } from './manifests.js';
import type { RuleSetIndex } from './kube/rule-set-index.js';

/**
 * The lint rule module API. A rule is one module under `src/lint/rules/<id>.ts` exporting a
 * `LintRule`: its `meta` (stable id, default severity, docs, messages by id) and a `check`
 * function that reads its input through a context and reports findings by message id.
 */

export type RuleSeverity = 'error' | 'warning';
export type SeveritySetting = RuleSeverity | 'off';

/** One problem found by a rule, positioned in an input file. Lines and columns count from 1. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  severity: RuleSeverity;
  message: string;
}

/**
 * A rule's word that it could not judge part of an input: the text is an excerpt of a table
 * (no `*nat` line, no COMMIT, chains jumped to but not listed) or a lossy listing, and what the
 * rule would report depends on what the text leaves out. One per rule and file, whatever the
 * number of tables; never a problem: it does not count as an error or a warning, nor change the
 * exit code.
 */
export interface Note {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  severity: 'note';
  /** `not judged: <why>`, the reasons of every place the rule could not judge, each once. */
  message: string;
}

/** What a rule reads: an iptables rule set, an IPVS rule set, kube-proxy's nftables table, or the manifests. */
export type RuleTarget = 'iptables' | 'ipvs' | 'nftables' | 'manifests';

export interface RuleDocs {
  /** One sentence, shown by `--help`, in SARIF and in the rules table. */
  description: string;
  /** The rule's documentation page. */
  url: string;
}

export interface RuleMeta<M extends string = string> {
  /** Stable, kebab-case; also the file name. */
  id: string;
  /** Severity when the configuration says nothing. */
  severity: RuleSeverity;
  target: RuleTarget;
  /** The rule runs only when reference manifests are given (`--manifests`). */
  needsManifests?: boolean;
  docs: RuleDocs;
  /** Message templates by id; `{{name}}` is replaced by `data.name`. */
  messages: Record<M, string>;
}

/** A span in a file; an absent end means "to the end of the line". */
export interface Span {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Report<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  /** Where the finding points. */
  at: Span | SourcePos;
  /** Suppression ids carried by the node reported (a dump rule's `# rulec-ignore-next-line`). */
  suppressions?: readonly string[];
  /** The manifest object the finding is about (its `rulec.io/ignore` annotation applies). */
  object?: ObjectSource;
}

interface ContextBase<M extends string> {
  /** The configuration in force (node, CIDRs, nodePort range). */
  settings: LintSettings;
  report(report: Report<M>): void;
  /**
   * Says that the rule could not judge something it saw, because the text holds only part of a
   * table or hides values (`why`: `table nat is an excerpt (…)`); instead of guessing, the rule
   * reports nothing about it. The run gives one note per rule and file, at the first `at`.
   */
  notJudged(why: string, at?: Span | SourcePos): void;
}

export interface IptablesContext<M extends string = string> extends ContextBase<M> {
  ruleSet: IptablesRuleSet;
  /** The file the rule set was read from (or a name for a compiled one). */
  file: string;
  /** Shared, lazily built indexes over the rule set (references, views, kube chains). */
  index: RuleSetIndex;
  /** The reference manifests (`--manifests`), or null. */
  manifests: ManifestModel | null;
  /**
   * kube-proxy's settings for this rule set when they are known (compiled output, or read from
   * the reference manifests), so rules can tell a deliberate choice from a fault.
   */
  proxy: ProxySettings | null;
}

export interface IpvsContext<M extends string = string> extends ContextBase<M> {
  ruleSet: IpvsRuleSet;
  file: string;
  manifests: ManifestModel | null;
}

export interface NftContext<M extends string = string> extends ContextBase<M> {
  ruleSet: NftRuleSet;
  /** The file the table was read from (or a name for a compiled one). */
  file: string;
  manifests: ManifestModel | null;
}

export interface ManifestContext<M extends string = string> extends ContextBase<M> {
  model: ManifestModel;
}

export interface IptablesLintRule<M extends string = string> {
  meta: RuleMeta<M> & { target: 'iptables' };
  check(context: IptablesContext<M>): void;
  /** The same check on kube-proxy's nftables table, for a rule whose meaning holds there too. */
  checkNft?(context: NftContext<M>): void;
}

export interface NftLintRule<M extends string = string> {
  meta: RuleMeta<M> & { target: 'nftables' };
  check(context: NftContext<M>): void;
}

export interface IpvsLintRule<M extends string = string> {
  meta: RuleMeta<M> & { target: 'ipvs' };
  check(context: IpvsContext<M>): void;
}

export interface ManifestLintRule<M extends string = string> {
  meta: RuleMeta<M> & { target: 'manifests' };
  check(context: ManifestContext<M>): void;
}

export type LintRule = IptablesLintRule | IpvsLintRule | NftLintRule | ManifestLintRule;

export function isIptablesRule(rule: LintRule): rule is IptablesLintRule {
  return rule.meta.target === 'iptables';
}

export function isIpvsRule(rule: LintRule): rule is IpvsLintRule {
  return rule.meta.target === 'ipvs';
}

export function isManifestRule(rule: LintRule): rule is ManifestLintRule {
  return rule.meta.target === 'manifests';
}

/** Identity helpers that let TypeScript check message ids against `meta.messages`. */
export function iptablesRule<M extends string>(rule: IptablesLintRule<M>): IptablesLintRule<M> {
  return rule;
}

export function ipvsRule<M extends string>(rule: IpvsLintRule<M>): IpvsLintRule<M> {
  return rule;
}

export function isNftRule(rule: LintRule): rule is NftLintRule {
  return rule.meta.target === 'nftables';
}

export function nftRule<M extends string>(rule: NftLintRule<M>): NftLintRule<M> {
  return rule;
}

export function manifestRule<M extends string>(rule: ManifestLintRule<M>): ManifestLintRule<M> {
  return rule;
}

/** The base of every rule's documentation URL. */
export const DOCS_BASE = 'https://github.com/rulec/rulec/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
