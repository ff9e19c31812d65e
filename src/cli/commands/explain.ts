import { addManifestOptions } from '../manifest-options.js';
import { kubeProxyVersionOf, type KubeProxyVersionOptionValues } from '../kube-proxy-version-option.js';
import { Command, Option } from 'commander';
import { hasErrors } from '../../diagnostics.js';
import { loadRules } from '../../analysis/input/load-rules.js';
import { relevantRuleSets } from '../../analysis/input/relevant.js';
import { explainRuleSets, formatExplainText } from '../../analysis/explain/explain.js';
import { explainNftRuleSets } from '../../analysis/explain/nft.js';
import type { Lang } from '../../analysis/explain/language.js';
import { EXIT, type CliContext } from '../context.js';
import { reportDiagnostics } from '../output.js';
import { LateDiagnostics } from '../late-diagnostics.js';
import { escapeControls, escapeJsonText } from '../../display-text.js';
import { type NodeOptionValues, nodeFlagText } from '../node-options.js';

const HELP_AFTER = `
RULES are manifests (compiled on the fly; line numbers are those of \`rulec compile\`'s output) or
dumps of a node (iptables-save, iptables -S, ipvsadm -S / -L, ipset save / list; line numbers are
the dump's). Every rule kube-proxy writes has its own sentence; other rules are described from
their matches and target and say that kube-proxy did not write them.

Examples:
  $ rulec explain app.yaml
  $ rulec explain node.iptables-save --chain KUBE-SERVICES
  $ rulec explain node.iptables-save --line 42 --lang zh
  $ iptables-save | rulec explain - --json

Exit codes: 0 explained, 1 nothing matched --chain/--line, 2 invalid input or usage.
`;

interface ExplainFlags extends NodeOptionValues, KubeProxyVersionOptionValues {
  chain?: string;
  line?: string;
  lang: Lang;
  json?: boolean;
  mode?: string;
}

export function registerExplain(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('explain')
    .summary('say in plain words what each rule does (English or Chinese)')
    .description('Explains each rule, chain, IPVS service and ipset in plain words: which service and port it belongs to, what it matches and where it sends the packet.')
    .argument('[rules...]', 'manifests or dumps (files, directories, - for stdin)', ['-'])
    .option('--chain <name>', 'only this chain')
    .option('--line <n>', 'only the line with this number')
    .addOption(new Option('--lang <lang>', 'language').choices(['en', 'zh']).default('en'))
    .option('--json', 'print JSON');
  addManifestOptions(cmd)
    .addHelpText('after', HELP_AFTER)
    .action((rules: string[], opts: ExplainFlags) => {
      ctx.exitCode = runExplain(ctx, rules, opts);
    });
}

function runExplain(ctx: CliContext, paths: string[], opts: ExplainFlags): number {
  let line: number | undefined;
  if (opts.line !== undefined) {
    if (!/^\d+$/.test(opts.line) || Number(opts.line) < 1) {
      ctx.stderr(`rulec explain: --line ${opts.line}: expected a line number\n`);
      return EXIT.usage;
    }
    line = Number(opts.line);
  }
  const version = kubeProxyVersionOf(ctx, opts, { auto: true });
  if (!version) return EXIT.usage;
  // One chain of a large dump: its rules (and those it leads to) are the only ones read.
  const late = opts.chain !== undefined && line === undefined ? new LateDiagnostics() : undefined;
  const loaded = loadRules(paths, {
    readStdin: () => ctx.readStdin(),
    ...(late ? { deferRules: late } : {}),
    ...nodeFlagText(opts),
    ...version,
    withoutHooks: true,
    ...(opts.mode ? { mode: opts.mode } : {}),
  });
  reportDiagnostics(ctx, loaded.diagnostics);
  if (hasErrors(loaded.diagnostics)) return EXIT.usage;
  const explainOptions = {
    lang: opts.lang,
    ...(opts.chain !== undefined ? { chain: opts.chain } : {}),
    ...(line !== undefined ? { line } : {}),
  };
  const items = [...explainRuleSets(relevantRuleSets(loaded), explainOptions), ...explainNftRuleSets(loaded.nft, explainOptions)];
  const lateExit = late?.settle(ctx);
  if (lateExit !== undefined) return lateExit;
  ctx.stdout(opts.json ? `${escapeJsonText(JSON.stringify(items, null, 2))}\n` : formatExplainText(items));
  if (items.length === 0 && (opts.chain !== undefined || line !== undefined)) {
    ctx.stderr(`rulec explain: nothing at ${opts.chain !== undefined ? `chain ${escapeControls(opts.chain)}` : ''}${opts.chain !== undefined && line !== undefined ? ', ' : ''}${line !== undefined ? `line ${line}` : ''}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}
