import { Command, Option } from 'commander';
import type { Diagnostic } from '../../diagnostics.js';
import { applyRuleFlags, loadLintConfig } from '../../lint/config/index.js';
import { defaultConfig } from '../../lint/config/types.js';
import { FORMATTERS, FORMAT_NAMES, tally, problemsOf, useColor } from '../../lint/formatters/index.js';
import { dumpParserFor } from '../../lint/inputs/dump-parser.js';
import { DUMP_EXTENSIONS, MANIFEST_EXTENSIONS, readInputs } from '../../lint/inputs/read-inputs.js';
import { ALL_RULES } from '../../lint/rules/index.js';
import { lint } from '../../lint/runner.js';
import { rulecVersion } from '../../lint/version.js';
import { EXIT, type CliContext } from '../context.js';
import { emit } from '../output.js';
import { addNodeOptions, collect, type NodeOptionValues } from '../node-options.js';
import { addKubeProxyVersionOption, kubeProxyVersionOf, type KubeProxyVersionOptionValues } from '../kube-proxy-version-option.js';
import { parsePortRange } from '../../model/node-flags.js';
import { own } from '../../records.js';

const HELP_AFTER = `
Inputs: dumps (iptables-save, iptables -S, iptables -L -n -v, ipvsadm -S / -Ln, ipset save /
list; several may be pasted into one file) and Kubernetes manifests (YAML or JSON), mixed in
any order; each file's kind and format are detected. Directories are searched recursively for
*.yaml, *.yml, *.json and *.iptables, *.ip6tables, *.rules, *.save, *.dump, *.ipvs, *.ipset.
- reads standard input.

Dumps are checked with the rule-set rules, manifests with the manifest rules. With
--manifests, dumps are also compared with what those manifests define (drift, stale-sep).

Configuration: the first of .rulecrc.yaml, .rulecrc.yml, .rulecrc.json, rulec.config.js,
rulec.config.mjs or a "rulec" key in package.json, looked for from the working directory
upward: rule severities, node name and IPs, cluster CIDR, service CIDR, nodePort range.
Suppressions: "# rulec-ignore-next-line rule-id" in a dump; the annotation
rulec.io/ignore: "rule-id, rule-id" on a manifest object. See docs/lint.md.

Examples:
  $ iptables-save | rulec lint -
  $ rulec lint node-1.iptables --manifests deploy/ --node node-1
  $ rulec lint deploy/ --format sarif -o rulec.sarif
  $ rulec lint dumps/ --rule duplicate-rule=off --max-warnings 0

Exit codes: 0 no errors (and no more warnings than --max-warnings), 1 lint errors or too many
warnings, 2 usage errors or unreadable input.
`;

interface LintFlags extends NodeOptionValues, KubeProxyVersionOptionValues {
  manifests: string[];
  format: string;
  maxWarnings?: string;
  rule: string[];
  config?: string | false;
  inputFormat?: string;
  output?: string;
}


export function registerLint(program: Command, ctx: CliContext): void {
  addKubeProxyVersionOption(addNodeOptions(program.command('lint')), { auto: true })
    .summary('find faults in rule dumps and manifests')
    .description(
      'Checks dumps of a node\'s rules and Kubernetes manifests for faults: stale or hand-edited kube-proxy chains, uneven load balancing, unreachable rules, NodePort and cluster IP conflicts, drift between a node and its manifests.',
    )
    .argument('[paths...]', 'dump or manifest files, directories, or - for stdin', [] as string[])
    .option('--manifests <path>', 'manifests the dumps must implement (repeatable): enables drift checks', collect, [] as string[])
    .addOption(new Option('--format <format>', 'output format').choices(FORMAT_NAMES).default('stylish'))
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('--rule <id=severity>', 'set a rule to off, warn or error (repeatable)', collect, [] as string[])
    .option('-c, --config <file>', 'read this configuration file instead of searching for one')
    .option('--no-config', 'use no configuration file')
    .option('--input-format <format>', 'read every dump as this format instead of detecting it')
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .addHelpText('after', HELP_AFTER)
    .action(async (paths: string[], opts: LintFlags) => {
      ctx.exitCode = await runLint(ctx, paths, opts);
    });
}

export async function runLint(ctx: CliContext, paths: string[], opts: LintFlags): Promise<number> {
  const usage = (message: string) => {
    ctx.stderr(`rulec lint: ${message}\n`);
    return EXIT.usage;
  };
  let maxWarnings = -1;
  if (opts.maxWarnings !== undefined) {
    if (!/^-?\d+$/.test(opts.maxWarnings)) return usage(`--max-warnings ${JSON.stringify(opts.maxWarnings)}: expected a whole number`);
    maxWarnings = Number(opts.maxWarnings);
  }
  const formatter = own(FORMATTERS, opts.format);
  if (!formatter) return usage(`unknown format ${opts.format}`);
  const version = kubeProxyVersionOf(ctx, opts, { auto: true });
  if (!version) return EXIT.usage;

  const diagnostics: Diagnostic[] = [];
  const found =
    opts.config === false
      ? { config: defaultConfig(), diagnostics: [] }
      : await loadLintConfig({ cwd: ctx.cwd, ...(typeof opts.config === 'string' ? { file: opts.config } : {}) });
  const config = found.config;
  diagnostics.push(...found.diagnostics, ...applyRuleFlags(config, opts.rule));
  const s = config.settings;
  if (opts.node !== undefined) s.nodeName = opts.node;
  if (opts.nodeIp.length > 0) s.nodeIPs = opts.nodeIp;
  if (opts.clusterCidr !== undefined) s.clusterCIDR = opts.clusterCidr;
  if (opts.kubeProxyConfigmap !== undefined) s.kubeProxyConfigMap = opts.kubeProxyConfigmap;
  if (opts.serviceCidr !== undefined) s.serviceCIDRs = opts.serviceCidr.split(',').map((x) => x.trim());
  if (version.kubeProxyVersion !== undefined) s.kubeProxyVersion = version.kubeProxyVersion;
  if (opts.serviceNodePortRange !== undefined) {
    const range = parsePortRange(opts.serviceNodePortRange);
    if (!range) return usage(`--service-node-port-range ${JSON.stringify(opts.serviceNodePortRange.slice(0, 40))}: expected MIN-MAX with 1 <= MIN <= MAX <= 65535`);
    s.nodePortRange = range;
  }

  let stdinUsed = false;
  const readStdin = () => {
    if (stdinUsed) return '';
    stdinUsed = true;
    return ctx.readStdin();
  };
  const read = readInputs(paths.length > 0 ? paths : ['-'], new RegExp(`${MANIFEST_EXTENSIONS.source}|${DUMP_EXTENSIONS.source}`, 'i'), readStdin);
  const reference = readInputs(opts.manifests, MANIFEST_EXTENSIONS, readStdin);
  diagnostics.push(...read.diagnostics, ...reference.diagnostics);
  if (paths.length === 0 && read.inputs.every((i) => i.text.trim() === '')) {
    ctx.stderr('rulec lint: nothing to lint: name dump or manifest files or folders, or pipe a dump into standard input\n');
    return EXIT.usage;
  }

  const result = lint(read.inputs, config, {
    ...(reference.inputs.length > 0 ? { manifests: reference.inputs } : {}),
    ...(opts.inputFormat !== undefined ? { parseDump: dumpParserFor(opts.inputFormat) } : {}),
  });
  diagnostics.push(...result.diagnostics);

  const toStdout = !opts.output || opts.output === '-';
  const report = formatter({
    findings: result.findings,
    diagnostics,
    notes: result.notes,
    rules: ALL_RULES,
    cwd: ctx.cwd,
    color: opts.format === 'stylish' && toStdout && useColor(ctx.isTTY, ctx.env),
    version: rulecVersion(),
  });
  if (!(await emit(ctx, report, opts.output))) return EXIT.usage;

  if (diagnostics.some((d) => d.severity === 'error')) return EXIT.usage;
  const { errors, warnings } = tally(problemsOf({ findings: result.findings, diagnostics: [] }));
  if (errors > 0) return EXIT.findings;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    ctx.stderr(`rulec lint: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}
