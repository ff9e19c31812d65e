/** The linter's library API. */
export { lint, formatMessage, type LintInput, type LintOptions, type LintResult } from './runner.js';
export { ALL_RULES, RULES, ruleById } from './rules/index.js';
export { FORMATTERS, FORMAT_NAMES, entriesOf, problemsOf, useColor, type FormatInput, type Formatter, type NoteEntry, type Problem } from './formatters/index.js';
export { loadLintConfig, applyRuleFlags, resolveConfigFile, defaultConfig, type ConfigLoader, type LoadedConfig, type LintConfig, type LintSettings } from './config/index.js';
export { fileConfigLoader } from './config/file-loader.js';
export { withPrintedPositions } from './inputs/compiled.js';
export { readInputs, MANIFEST_EXTENSIONS, DUMP_EXTENSIONS } from './inputs/read-inputs.js';
export { dumpParserFor, defaultDumpParser, type DumpParser } from './inputs/dump-parser.js';
export type { Finding, Note, LintRule, RuleMeta, RuleSeverity, SeveritySetting, IptablesContext, IpvsContext, ManifestContext, Report } from './types.js';
