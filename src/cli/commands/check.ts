import { Command } from 'commander';
import { hasErrors } from '../../diagnostics.js';
import { checkGoldens, formatCheckText } from '../../analysis/check/check.js';
import { GOLDEN_KINDS, isGoldenKind, type GoldenKind } from '../../analysis/check/goldens.js';
import { EXIT, type CliContext } from '../context.js';
import { reportDiagnostics, writeFileAtomic } from '../output.js';
import { addNodeOptions, collect, type NodeOptionValues } from '../node-options.js';
import { addKubeProxyVersionOption, kubeProxyVersionOf, type KubeProxyVersionOptionValues } from '../kube-proxy-version-option.js';
import { escapeControls, escapeJsonText } from '../../display-text.js';

const HELP_AFTER = `
Golden files sit beside the manifests: app.yaml -> app.iptables (what \`rulec compile app.yaml\`
prints), app.ip6tables (--family ipv6), app.ipvs, app.ipset, app.ipvs-iptables (--mode ipvs,
--emit ipvsadm / ipset / iptables), app.nft (--mode nftables). A manifest with a Service gets the
golden of its mode (app.iptables; the three IPVS ones, or app.nft, when its
KubeProxyConfiguration says mode ipvs or nftables); goldens that already exist beside it are
always checked.

A .rulec-check.yaml in a folder (the nearest one above a manifest wins) sets, for the manifests
below it:
  goldens: [iptables, ip6tables]     # which goldens every manifest gets
  withHooks: true                    # compile with --with-hooks
  node: worker-1                     # --node
  nodeIPs: [192.168.0.2]             # --node-ip
  clusterCIDR: 10.244.0.0/16         # --cluster-cidr
  context: [node.yaml, proxy.yaml]   # compiled with every manifest; no goldens of their own
Flags override it.

For each golden that differs, check prints what it means (services, ports and endpoints gained or
lost, e.g. "ns/web:http gains endpoint 10.0.0.7:8080") and a unified diff, golden -> compiled.

Examples:
  $ rulec check                     # every manifest under the current folder
  $ rulec check deploy/ --update    # write or rewrite the goldens
  $ rulec check app.yaml --golden iptables --golden ipvs

Exit codes: 0 every golden matches (or --update wrote them), 1 a golden differs or is missing,
2 invalid input or usage.
`;

interface CheckFlags extends NodeOptionValues, KubeProxyVersionOptionValues {
  update?: boolean;
  golden: string[];
  withHooks?: boolean;
  json?: boolean;
}

export function registerCheck(program: Command, ctx: CliContext): void {
  addKubeProxyVersionOption(addNodeOptions(program.command('check')), { auto: false })
    .summary('compare compiled manifests with the golden files beside them (CI); --update rewrites them')
    .description('Recompiles every manifest and compares the output with its golden files, printing a unified diff and what changed (services, ports, endpoints). --update writes the golden files.')
    .argument('[paths...]', 'manifest files or folders (default: the current folder)')
    .option('--update', 'write the golden files instead of comparing')
    .option('--golden <kind>', `a golden every manifest gets (repeatable): ${GOLDEN_KINDS.join(', ')}`, collect, [] as string[])
    .option('--with-hooks', "compile with kube-proxy's jumps from the built-in chains")
    .option('--json', 'print JSON')
    .addHelpText('after', HELP_AFTER)
    .action((paths: string[], opts: CheckFlags) => {
      ctx.exitCode = runCheck(ctx, paths, opts);
    });
}

function runCheck(ctx: CliContext, paths: string[], opts: CheckFlags): number {
  const bad = opts.golden.filter((g) => !isGoldenKind(g));
  if (bad.length > 0) {
    ctx.stderr(`rulec check: --golden ${bad[0]}: expected one of ${GOLDEN_KINDS.join(', ')}\n`);
    return EXIT.usage;
  }
  const version = kubeProxyVersionOf(ctx, opts, { auto: false });
  if (!version) return EXIT.usage;
  let writeFailed = false;
  const result = checkGoldens(
    paths,
    {
      root: ctx.cwd,
      ...(opts.update ? { update: true } : {}),
      ...(opts.golden.length ? { goldens: opts.golden as GoldenKind[] } : {}),
      ...(opts.withHooks ? { withHooks: true } : {}),
      ...(opts.node ? { node: opts.node } : {}),
      ...(opts.nodeIp.length ? { nodeIPs: opts.nodeIp } : {}),
      ...(opts.clusterCidr ? { clusterCIDR: opts.clusterCidr } : {}),
      ...(opts.kubeProxyConfigmap !== undefined ? { kubeProxyConfigMap: opts.kubeProxyConfigmap } : {}),
      ...version,
    },
    (file, text) => {
      try {
        writeFileAtomic(file, text);
      } catch (err) {
        writeFailed = true;
        ctx.stderr(`rulec check: cannot write ${escapeControls(file)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      }
    },
  );
  reportDiagnostics(ctx, result.diagnostics);
  ctx.stdout(opts.json ? `${escapeJsonText(JSON.stringify(result.results, null, 2))}\n` : formatCheckText(result));
  if (hasErrors(result.diagnostics) || writeFailed) return EXIT.usage;
  return result.results.some((r) => r.status === 'differs' || r.status === 'missing') ? EXIT.findings : EXIT.ok;
}
