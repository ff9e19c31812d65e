import { Command, Option } from 'commander';
import { compileFiles } from '../../compiler/index.js';
import { locateIn } from '../../model/source-document.js';
import type { Diagnostic } from '../../diagnostics.js';
import { EXIT, type CliContext } from '../context.js';
import { emit, reportDiagnostics } from '../output.js';

const HELP_AFTER = `
Inputs: YAML or JSON files, directories (searched recursively for *.yaml, *.yml, *.json) and
- for standard input. Multi-document YAML and \`kind: List\` (kubectl get -o yaml/json) are read.
Objects read: v1 Service, discovery.k8s.io/v1 EndpointSlice, v1 Endpoints, v1 Node (the node
the rules are for) and kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration. Other kinds are
skipped (listed with --verbose).

Defaults when no Node / KubeProxyConfiguration is given (a current kube-proxy on a modern node):
  mode iptables, IPv4, masqueradeBit 14 (mark 0x00004000), masqueradeAll false,
  localhostNodePorts true, nodePortAddresses all local addresses, detectLocalMode ClusterCIDR
  with no clusterCIDR (so no "! -s CIDR" masquerade rules), --random-fully on, nfacct counters on,
  KUBE-FIREWALL chain written, nf_conntrack_tcp_be_liberal off, no node name (no endpoint is
  local), no node IP. rulec.io/ annotations on the KubeProxyConfiguration change these (README).

Examples:
  $ rulec compile examples/nodeport-app.yaml
  $ rulec compile manifests/ --node node-1 --node-ip 192.168.0.2 --cluster-cidr 10.244.0.0/16
  $ kubectl get svc,endpointslices -A -o json | rulec compile - -o rules.iptables
  $ rulec compile dual-stack.yaml --family ipv6         # ip6tables-restore text
  $ rulec compile app.yaml --with-hooks | iptables-restore --test

Exit codes: 0 written, 2 invalid input or usage (nothing is written).
`;

interface CompileFlags {
  mode: string;
  emit: string;
  family?: 'ipv4' | 'ipv6';
  node?: string;
  nodeIp: string[];
  clusterCidr?: string;
  output?: string;
  withHooks?: boolean;
  verbose?: boolean;
}

export function registerCompile(program: Command, ctx: CliContext): void {
  program
    .command('compile')
    .summary('compile Services and EndpointSlices into the rules kube-proxy writes')
    .description('Compiles Kubernetes manifests into the exact iptables-restore text kube-proxy (iptables mode) writes for the node, in canonical order.')
    .argument('[paths...]', 'manifest files, directories, or - for stdin', ['-'])
    .addOption(new Option('--mode <mode>', 'proxy mode').choices(['iptables', 'ipvs', 'nftables']))
    .addOption(new Option('--emit <what>', 'what to print').choices(['iptables', 'ipvsadm', 'ipset', 'nft', 'all']).default('iptables'))
    .addOption(new Option('--family <family>', 'IP family of the proxier (ipv6 prints ip6tables-restore text)').choices(['ipv4', 'ipv6']))
    .option('--node <name>', 'node name (decides which endpoints are local); overrides hostnameOverride and the Node')
    .option('--node-ip <ip>', 'a node IP (repeatable); overrides the Node addresses', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--cluster-cidr <cidr>', 'pod CIDR(s), comma separated, for local-traffic detection; overrides clusterCIDR')
    .option('-o, --output <file>', 'write to FILE (atomically) instead of stdout')
    .option('--with-hooks', "add the built-in chains and kube-proxy's jumps into its chains, for a complete rule set")
    .option('--verbose', 'also list skipped objects and notes')
    .addHelpText('after', HELP_AFTER)
    .action((paths: string[], opts: CompileFlags) => {
      ctx.exitCode = runCompile(ctx, paths, opts);
    });
}

function runCompile(ctx: CliContext, paths: string[], opts: CompileFlags): number {
  const mode = opts.mode;
  if (mode && mode !== 'iptables') {
    ctx.stderr(`rulec: --mode ${mode} is not supported yet; only --mode iptables compiles today\n`);
    return EXIT.usage;
  }
  if (opts.emit !== 'iptables') {
    ctx.stderr(`rulec: --emit ${opts.emit} needs --mode ipvs or nftables, which are not supported yet; use --emit iptables\n`);
    return EXIT.usage;
  }
  const result = compileFiles(paths.length ? paths : ['-'], {
    flags: {
      family: opts.family,
      node: opts.node,
      nodeIPs: opts.nodeIp,
      clusterCIDR: opts.clusterCidr,
      mode: 'iptables',
    },
    withHooks: Boolean(opts.withHooks),
    readStdin: () => ctx.readStdin(),
  });
  const diagnostics: Diagnostic[] = [...result.diagnostics];
  if (opts.verbose && result.cluster) {
    for (const s of result.cluster.skipped) {
      diagnostics.push({ ...locateIn(s.src, []), severity: 'note', code: 'RC900', message: `skipped ${s.kind}${s.name ? ` ${s.name}` : ''}: not an object rulec reads` });
    }
  }
  if (!mode && result.settings && result.settings.mode !== 'iptables' && result.cluster?.config) {
    ctx.stderr(`rulec: the KubeProxyConfiguration says mode ${result.settings.mode}, which is not supported yet; pass --mode iptables to compile iptables rules\n`);
    return EXIT.usage;
  }
  reportDiagnostics(ctx, diagnostics, Boolean(opts.verbose));
  if (result.text === undefined) return EXIT.usage;
  return emit(ctx, result.text, opts.output) ? EXIT.ok : EXIT.usage;
}
