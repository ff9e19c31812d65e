import type { IptablesRuleSet, IpvsRuleSet, RuleSet } from '../ast/types.js';
import type { NftRuleSet } from '../ast/nft-types.js';
import type { Diagnostic } from '../diagnostics.js';
import { AUTO_KUBE_PROXY_VERSION, type ProxySettings } from '../model/settings.js';
import { chooseKubeProxyVersion } from '../ast/infer-kube-proxy-version.js';
import { defaultConfig, type LintConfig } from './config/types.js';
import { detectInputKind } from '../model/input-kind.js';
import { defaultDumpParser, type DumpParser } from './inputs/dump-parser.js';
import { RuleSetIndex } from './kube/rule-set-index.js';
import { ignoredByAnnotation, loadManifests, type ManifestModel, type TextInput } from './manifests.js';
import { ALL_RULES } from './rules/index.js';
import { LineTable } from './line-table.js';
import { commentSuppressions, isSuppressed } from './suppressions.js';
import { isIptablesRule, isIpvsRule, isManifestRule, isNftRule, type Finding, type LintRule, type Note, type Report, type RuleSeverity, type Span } from './types.js';
import type { SourcePos } from '../ast/types.js';
import { LINT_CODES } from './codes.js';
import { shortenMessage, shortenTokens } from '../display-text.js';

/**
 * The lint runner: reads each input (a dump or manifests, detected), runs every enabled rule
 * that reads that kind of input, applies severities and suppressions, and returns the findings
 * in file and position order.
 */

export interface LintInput {
  file: string;
  /** The file's text; its kind (dump or manifests) is detected unless `kind` says. */
  text?: string;
  /** An already built rule set (compiled output, a dump parsed elsewhere). */
  ruleSet?: RuleSet;
  kind?: 'dump' | 'manifests';
}

export interface LintOptions {
  /** Reference manifests (`--manifests`): dumps are compared with what they define. */
  manifests?: readonly TextInput[];
  /** kube-proxy's settings, when known (linting compiled output). */
  proxy?: ProxySettings;
  /** The rules to run (default: every rule). */
  rules?: readonly LintRule[];
  /** Reads dump text into rule sets (default: rulec's format detection and parsers). */
  parseDump?: DumpParser;
}

export interface LintResult {
  findings: Finding[];
  /**
   * What rules could not judge (excerpts, lossy listings), one note per rule and file, in file
   * and position order. Not problems: they count as neither errors nor warnings.
   */
  notes: Note[];
  /** Input problems: unreadable dumps, invalid manifests, unknown rule ids in the configuration. */
  diagnostics: Diagnostic[];
}

export function lint(inputs: readonly LintInput[], config: LintConfig = defaultConfig(), options: LintOptions = {}): LintResult {
  const rules = options.rules ?? ALL_RULES;
  const parse = options.parseDump ?? defaultDumpParser;
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [];
  /** The notes by rule and file: where the first points, and every reason once. */
  const notes = new Map<string, { ruleId: string; at: Span; reasons: string[] }>();
  const texts = new Map<string, string>();
  const lines = new Map<string, LineTable>();
  /** Line lengths are only needed for findings without an end: built on first use. */
  const lineTable = (file: string): LineTable | undefined => {
    let t = lines.get(file);
    const text = texts.get(file);
    if (!t && text !== undefined) {
      t = new LineTable(text);
      lines.set(file, t);
    }
    return t;
  };
  const suppressions = new Map<string, Map<number, string[]>>();

  const enabled = rules
    .map((rule) => ({ rule, severity: severityOf(rule, config) }))
    .filter((r): r is { rule: LintRule; severity: RuleSeverity } => r.severity !== 'off');

  const reference = options.manifests && options.manifests.length > 0 ? loadManifests(options.manifests, config.settings) : null;
  if (reference) diagnostics.push(...reference.diagnostics);
  /** What `--kube-proxy-version auto` inferred for each dump (RC109). */
  const versionNotes: Note[] = [];

  const manifestInputs: TextInput[] = [];
  const ruleSets: { file: string; ruleSet: RuleSet }[] = [];
  for (const input of inputs) {
    if (input.text !== undefined) texts.set(input.file, input.text);
    if (input.ruleSet) {
      ruleSets.push({ file: input.file, ruleSet: input.ruleSet });
      if (input.text !== undefined) suppressions.set(input.file, commentSuppressions(input.text));
      continue;
    }
    if (input.text === undefined) continue;
    const kind = input.kind ?? detectInputKind(input.text);
    if (kind === 'manifests') {
      manifestInputs.push({ file: input.file, text: input.text });
      continue;
    }
    suppressions.set(input.file, commentSuppressions(input.text));
    const parsed = parse(input.text, input.file);
    diagnostics.push(...parsed.diagnostics);
    for (const rs of parsed.ruleSets) ruleSets.push({ file: input.file, ruleSet: rs });
  }

  const emit = (rule: LintRule, severity: RuleSeverity, fallbackFile: string, model: ManifestModel | null) => (r: Report<string>) => {
    const at = r.at as Span;
    const file = at.file || fallbackFile;
    const ids = [...(r.suppressions ?? []), ...(suppressions.get(file)?.get(at.line) ?? [])];
    if (r.object && model) ids.push(...ignoredByAnnotation(model.raw(r.object)));
    if (isSuppressed(rule.meta.id, ids)) return;
    const lineEnd = at.endColumn === undefined ? lineTable(file)?.endColumn(at.line) : undefined;
    findings.push({
      file,
      line: at.line,
      column: at.column,
      endLine: at.endLine ?? at.line,
      endColumn: at.endColumn ?? Math.max(lineEnd ?? at.column, at.column),
      ruleId: rule.meta.id,
      severity,
      message: formatMessage((Object.hasOwn(rule.meta.messages, r.messageId) ? rule.meta.messages[r.messageId] : undefined) ?? r.messageId, r.data),
    });
  };

  const notJudged = (rule: LintRule, fallbackFile: string) => (why: string, where?: Span | SourcePos) => {
    const at: Span = where ?? { file: fallbackFile, line: 1, column: 1 };
    const file = at.file || fallbackFile;
    const key = `${rule.meta.id}\u0000${file}`;
    const known = notes.get(key);
    if (!known) notes.set(key, { ruleId: rule.meta.id, at: { ...at, file }, reasons: [why] });
    else if (!known.reasons.includes(why)) known.reasons.push(why);
  };

  const guard = (rule: LintRule, file: string, run: () => void) => {
    try {
      run();
    } catch (err) {
      diagnostics.push({
        file,
        line: 1,
        column: 1,
        severity: 'error',
        code: LINT_CODES.ruleFailed,
        message: `rule ${rule.meta.id} failed on this input: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  };

  if (manifestInputs.length > 0) {
    const model = loadManifests(manifestInputs, config.settings);
    diagnostics.push(...model.diagnostics);
    for (const { rule, severity } of enabled) {
      if (!isManifestRule(rule)) continue;
      const first = manifestInputs[0]?.file ?? '<manifests>';
      guard(rule, first, () =>
        rule.check({ model, settings: config.settings, report: emit(rule, severity, first, model), notJudged: notJudged(rule, first) }),
      );
    }
  }

  for (const { file, ruleSet } of ruleSets) {
    if (ruleSet.kind === 'iptables') runIptables(ruleSet, file);
    else if (ruleSet.kind === 'ipvs') runIpvs(ruleSet, file);
    else if (ruleSet.kind === 'nft') runNft(ruleSet, file);
  }

  /** kube-proxy's nftables table: the rules written for it, and the iptables rules whose meaning holds there. */
  function runNft(ruleSet: NftRuleSet, file: string): void {
    for (const { rule, severity } of enabled) {
      if (rule.meta.needsManifests && !reference) continue;
      const context = { ruleSet, file, manifests: reference, settings: config.settings, report: emit(rule, severity, file, reference), notJudged: notJudged(rule, file) };
      if (isNftRule(rule)) guard(rule, file, () => rule.check(context));
      else if (isIptablesRule(rule) && rule.checkNft) {
        const checkNft = rule.checkNft.bind(rule);
        guard(rule, file, () => checkNft(context));
      }
    }
  }

  function runIptables(ruleSet: IptablesRuleSet, file: string): void {
    const index = new RuleSetIndex(ruleSet);
    const model = manifestsFor(ruleSet);
    const proxy = options.proxy ?? model?.proxySettings(ruleSet.family) ?? null;
    for (const { rule, severity } of enabled) {
      if (!isIptablesRule(rule)) continue;
      if (rule.meta.needsManifests && !model) continue;
      guard(rule, file, () =>
        rule.check({
          ruleSet,
          file,
          index,
          manifests: model,
          proxy,
          settings: config.settings,
          report: emit(rule, severity, file, model),
          notJudged: notJudged(rule, file),
        }),
      );
    }
  }

  /**
   * The manifests as this dump is compared with them: with `--kube-proxy-version auto`, compiled
   * as the release the dump was written by, which a note names with the lines that tell it.
   */
  function manifestsFor(ruleSet: IptablesRuleSet): ManifestModel | null {
    if (!reference || config.settings.kubeProxyVersion !== AUTO_KUBE_PROXY_VERSION) return reference;
    const chosen = chooseKubeProxyVersion([ruleSet]);
    if (!chosen) return reference;
    const { file, line, column, severity, code, message } = chosen.note;
    if (severity === 'note') versionNotes.push({ file, line, column, ruleId: code, severity, message });
    else diagnostics.push(chosen.note);
    return reference.atVersion(`1.${chosen.minor}`);
  }

  function runIpvs(ruleSet: IpvsRuleSet, file: string): void {
    for (const { rule, severity } of enabled) {
      if (!isIpvsRule(rule)) continue;
      if (rule.meta.needsManifests && !reference) continue;
      guard(rule, file, () =>
        rule.check({ ruleSet, file, manifests: reference, settings: config.settings, report: emit(rule, severity, file, reference), notJudged: notJudged(rule, file) }),
      );
    }
  }

  const said = [...notes.values()].map(
    ({ ruleId, at, reasons }): Note => ({
      file: at.file,
      line: at.line,
      column: at.column,
      ruleId,
      severity: 'note',
      message: shortenMessage(`not judged: ${reasons.join('; ')}`),
    }),
  );
  return { findings: sortFindings(findings), notes: sortFindings([...versionNotes, ...said]), diagnostics };
}

export function severityOf(rule: LintRule, config: LintConfig): RuleSeverity | 'off' {
  return config.rules[rule.meta.id] ?? rule.meta.severity;
}

/** Placeholders that hold a file named on the command line, not text read from an input. */
const FILE_NAME_KEYS: ReadonlySet<string> = new Set(['dump']);

/**
 * Fills `{{name}}` placeholders from `data`. Values come from the inputs: a word in them longer
 * than about 80 characters is shortened (`xxxx… (1048576 characters)`).
 */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => {
    const v = data !== undefined && Object.hasOwn(data, key) ? data[key] : undefined;
    if (v === undefined) return whole;
    return typeof v === 'number' || FILE_NAME_KEYS.has(key) ? String(v) : shortenTokens(v);
  });
}

export function sortFindings<T extends Pick<Finding, 'file' | 'line' | 'column' | 'ruleId' | 'message'>>(findings: T[]): T[] {
  return findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
