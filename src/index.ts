/** rulec's library API. */
export type * from './ast/types.js';
export type { Diagnostic, Severity } from './diagnostics.js';
export { formatDiagnostic } from './diagnostics.js';
export { printIptablesRestore } from './ast/print-iptables.js';
export { canonicalizeIptables } from './ast/canonical-order.js';
export { compileFiles, compileIptables, loadCluster, addHooks } from './compiler/index.js';
export type { CompileOptions, CompileResult } from './compiler/index.js';
export { hash16, serviceChainName, endpointChainName } from './kube/chain-names.js';
export { compileIpvs, addIpvsHooks, printKubeIpvs0 } from './compiler/ipvs/index.js';
export type { IpvsCompilation } from './compiler/ipvs/index.js';
export { ipvsEmitText } from './compiler/ipvs/emit.js';
export type { IpvsEmit, IpvsEmitOptions } from './compiler/ipvs/emit.js';
export { compileNftables } from './compiler/nftables/index.js';
export { printNft } from './ast/print-nft.js';
export type * from './ast/nft-types.js';

// Reading dumps.
export { parseDump } from './grammar/detect.js';
export type { ParsedDump, DumpSection, ParseDumpOptions } from './grammar/detect.js';
export { parseNft } from './grammar/nft/index.js';
export type { NftParseResult, NftReadOptions } from './grammar/nft/reader.js';
export { summarizeDump, renderSummaryText } from './analysis/summary.js';
export type { DumpSummary } from './analysis/summary.js';

// Views, normal form and the other printers.
export { viewRule, ruleComment, ruleTarget } from './ast/rule-view.js';
export type { RuleView, MatchView, TargetView } from './ast/rule-view.js';
export { normalRule, normalRuleSet, rulesEqual, ruleSetsEqual, diffNormalRuleSets } from './ast/normal-form.js';
export { nftNormalForm } from './ast/nft-normal-form.js';
export { printIptablesSave } from './ast/print-as-saved.js';
export { printIpvsadmSave, printIpvsadmList } from './ast/print-ipvs.js';
export { printIpsetSave } from './ast/print-ipset.js';

// Analyses.
export { Tracer, tracePacket } from './analysis/trace/tracer.js';
export { traceQuery } from './analysis/trace/query.js';
export { loadRules } from './analysis/input/load-rules.js';
export { explainRuleSets } from './analysis/explain/explain.js';
export { diffRuleSets } from './analysis/diff/diff.js';
export { checkGoldens } from './analysis/check/check.js';
export { buildGraph } from './analysis/graph/graph.js';
export { toDot, toMermaid } from './analysis/graph/render.js';

// Lint.
export { lint, ALL_RULES, ruleById, FORMATTERS, loadLintConfig } from './lint/index.js';
export type { LintInput, LintOptions, LintResult, Finding, LintRule, LintConfig } from './lint/index.js';
