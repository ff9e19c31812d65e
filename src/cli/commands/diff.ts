import { addManifestOptions } from '../manifest-options.js';
import type { Command } from 'commander';
import { hasErrors } from '../../diagnostics.js';
import { diffSides, formatDiffText } from '../../analysis/diff/diff.js';
import { loadSides } from '../../analysis/diff/load-pair.js';
import { collectGarbage } from '../collect-garbage.js';
import { EXIT, type CliContext } from '../context.js';
import { reportDiagnostics } from '../output.js';
import { escapeJsonText } from '../../display-text.js';
import { type NodeOptionValues, nodeFlagText } from '../node-options.js';
import { kubeProxyVersionOf, type KubeProxyVersionOptionValues } from '../kube-proxy-version-option.js';

const HELP_AFTER = `
A and B are each manifests (a YAML/JSON file or a directory, compiled on the fly) or a dump of a
node (iptables-save, ip6tables-save, iptables -S, ipvsadm -S/-L, ipset save/list; one file may
hold several). Manifests are compiled to match the other side: IPVS mode against an IPVS dump,
without the built-in chains against a dump that has none.

What is compared: per service port (ns/name:port and protocol) its addresses, its endpoints and
its policies; every other chain (built-in chains, KUBE-FORWARD, other software's chains) rule by
rule in a normal form, so argument order, /32 and probability rounding do not count; IPVS virtual
services and real servers; ipset members.

Examples:
  $ rulec diff manifests/ node1.iptables-save          # drift: manifests vs a live node
  $ rulec diff before.iptables-save after.iptables-save --json

Exit codes: 0 no difference, 1 they differ, 2 invalid input or usage.
`;

interface DiffFlags extends NodeOptionValues, KubeProxyVersionOptionValues {
  json?: boolean;
  mode?: string;
}

export function registerDiff(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('diff')
    .summary('semantic difference of two rule sets: services, ports, endpoints, other rules')
    .description('Compares two rule sets, each manifests or a dump, by meaning: services, ports and endpoints added, removed or changed, and other chains rule by rule.')
    .argument('<a>', 'manifests or dump (the expected side)')
    .argument('<b>', 'manifests or dump (the actual side)')
    .option('--json', 'print JSON');
  addManifestOptions(cmd)
    .addHelpText('after', HELP_AFTER)
    .action((a: string, b: string, opts: DiffFlags) => {
      ctx.exitCode = runDiff(ctx, a, b, opts);
    });
}

function runDiff(ctx: CliContext, a: string, b: string, opts: DiffFlags): number {
  if (a === '-' && b === '-') {
    ctx.stderr('rulec diff: only one side can be standard input\n');
    return EXIT.usage;
  }
  const version = kubeProxyVersionOf(ctx, opts, { auto: true });
  if (!version) return EXIT.usage;
  const sides = loadSides([a], [b], {
    readStdin: () => ctx.readStdin(),
    ...nodeFlagText(opts),
    ...version,
    ...(opts.mode ? { mode: opts.mode } : {}),
  }, collectGarbage);
  reportDiagnostics(ctx, sides.diagnostics);
  if (hasErrors(sides.diagnostics) || sides.a === undefined || sides.b === undefined) return EXIT.usage;
  const result = diffSides(sides.a, sides.b);
  ctx.stdout(opts.json ? `${escapeJsonText(JSON.stringify(result, null, 2))}\n` : formatDiffText(result));
  return result.equal ? EXIT.ok : EXIT.findings;
}
