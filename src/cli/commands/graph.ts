import { addManifestOptions } from '../manifest-options.js';
import { kubeProxyVersionOf, type KubeProxyVersionOptionValues } from '../kube-proxy-version-option.js';
import { Command, Option } from 'commander';
import { hasErrors } from '../../diagnostics.js';
import { loadRules } from '../../analysis/input/load-rules.js';
import { relevantRuleSets } from '../../analysis/input/relevant.js';
import { buildGraph } from '../../analysis/graph/graph.js';
import { buildNftGraph } from '../../analysis/graph/nft-graph.js';
import { toDot, toMermaid } from '../../analysis/graph/render.js';
import { EXIT, type CliContext } from '../context.js';
import { emit, reportDiagnostics } from '../output.js';
import { escapeControls } from '../../display-text.js';
import { type NodeOptionValues, nodeFlagText } from '../node-options.js';

const HELP_AFTER = `
The graph has the built-in chains, kube-proxy's chains, the endpoints (DNAT targets), the
verdicts (REJECT, DROP, ACCEPT, MASQUERADE) and IPVS virtual services with their real servers.
Edges say what the rule matches: a service address, a node port, an endpoint's share of new
connections. Jumps to KUBE-MARK-MASQ, which come back, are dashed.

Examples:
  $ rulec graph app.yaml | dot -Tsvg > rules.svg
  $ rulec graph node.iptables-save --service kube-system/kube-dns --format mermaid

Exit codes: 0 drawn, 1 nothing belongs to --service, 2 invalid input or usage.
`;

interface GraphFlags extends NodeOptionValues, KubeProxyVersionOptionValues {
  format: 'dot' | 'mermaid';
  service?: string;
  output?: string;
  mode?: string;
}

export function registerGraph(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('graph')
    .summary('draw the chain graph (hooks -> KUBE-* chains -> endpoints) as DOT or Mermaid')
    .description('Draws how the chains jump into each other, from the built-in hooks through kube-proxy\'s chains to the endpoints, as Graphviz DOT or Mermaid.')
    .argument('[rules...]', 'manifests or dumps (files, directories, - for stdin)', ['-'])
    .addOption(new Option('--format <format>', 'output format').choices(['dot', 'mermaid']).default('dot'))
    .option('--service <ns/name>', 'only the chains of this Service')
    .option('-o, --output <file>', 'write to FILE instead of stdout');
  addManifestOptions(cmd)
    .addHelpText('after', HELP_AFTER)
    .action(async (rules: string[], opts: GraphFlags) => {
      ctx.exitCode = await runGraph(ctx, rules, opts);
    });
}

async function runGraph(ctx: CliContext, paths: string[], opts: GraphFlags): Promise<number> {
  if (opts.service !== undefined && !/^[a-z0-9][-a-z0-9]*\/[a-z0-9][-a-z0-9.]*$/.test(opts.service)) {
    ctx.stderr(`rulec graph: --service ${escapeControls(opts.service)}: expected NAMESPACE/NAME\n`);
    return EXIT.usage;
  }
  const version = kubeProxyVersionOf(ctx, opts, { auto: true });
  if (!version) return EXIT.usage;
  const loaded = loadRules(paths, {
    readStdin: () => ctx.readStdin(),
    ...nodeFlagText(opts),
    ...version,
    ...(opts.mode ? { mode: opts.mode } : {}),
  });
  reportDiagnostics(ctx, loaded.diagnostics);
  if (hasErrors(loaded.diagnostics)) return EXIT.usage;
  const graphOptions = opts.service ? { service: opts.service } : {};
  const iptables = buildGraph(relevantRuleSets(loaded), graphOptions);
  const nft = buildNftGraph(loaded.nft, graphOptions);
  const graph = { nodes: [...iptables.nodes, ...nft.nodes], edges: [...iptables.edges, ...nft.edges] };
  if (opts.service && graph.edges.length === 0) {
    ctx.stderr(`rulec graph: no rule belongs to ${escapeControls(opts.service)}\n`);
    return EXIT.findings;
  }
  return (await emit(ctx, opts.format === 'mermaid' ? toMermaid(graph) : toDot(graph), opts.output)) ? EXIT.ok : EXIT.usage;
}
