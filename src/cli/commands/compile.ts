import { Command, Option } from 'commander';
import { loadCluster } from '../../compiler/index.js';
import { isIpvsEmit } from '../../compiler/ipvs/emit.js';
import { compileIptablesTextChunks } from '../../compiler/iptables/index.js';
import { NodeIndependentParts } from '../../compiler/node-independent.js';
import { nodeRuleText, type RuleTextOptions } from './compile-node-rules.js';
import { clusterForWorker, compileInThreads, THREADS_ENV, threadCount, workerEntry } from './compile-workers.js';
import { hasErrors } from '../../diagnostics.js';
import { locateIn } from '../../model/source-document.js';
import type { Diagnostic } from '../../diagnostics.js';
import { EXIT, type CliContext } from '../context.js';
import { emit, emitChunks, reportDiagnostics } from '../output.js';
import { addNodeOptions, nodeFlagText, type NodeOptionValues } from '../node-options.js';
import { addKubeProxyVersionOption, kubeProxyVersionOptionProblem } from '../kube-proxy-version-option.js';
import { readNodeFlags } from '../../model/node-flags.js';
import { resolveSettings, type ProxySettings, type SettingFlags } from '../../model/settings.js';
import type { Cluster } from '../../model/cluster.js';
import { describeNodeDifference, nodeDifferences, type NodeDifference } from '../../compiler/node-differences.js';
import { escapeControls, escapeControlsKeepingLines } from '../../display-text.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_OUTPUT_BYTES, inMemoryLimit, outputTooLarge } from '../output-size.js';
import { sizeArgument } from '../size-option.js';
import { displayName } from '../../display-text.js';
import { NEWEST_MINOR, SUPPORTED_VERSIONS } from '../../kube/kube-proxy-profiles.js';

/** The iptables text goes to `-o` in chunks of this size, one buffer made and written in turn. */
const OUTPUT_CHUNK_BYTES = 256 << 10;

const HELP_AFTER = `
Inputs: YAML or JSON files, directories (searched recursively for *.yaml, *.yml, *.json) and
- for standard input. Multi-document YAML and \`kind: List\` (kubectl get -o yaml/json) are read.
Objects read: v1 Service, discovery.k8s.io/v1 EndpointSlice, v1 Endpoints, v1 Node (the node
the rules are for) and kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration. Other kinds are
skipped (listed with --verbose).

Modes: --mode, else the KubeProxyConfiguration's mode, else iptables.
  iptables  --emit iptables (default): the iptables-restore text kube-proxy writes.
  ipvs      --emit ipvsadm (default): the ipvsadm -R script, exactly as ipvsadm -S -n prints it;
            --emit ipset: ipset restore text, every set kube-proxy ensures with its members;
            --emit iptables: the iptables-restore payload kube-proxy writes beside IPVS;
            --emit kube-ipvs0: the addresses bound to the kube-ipvs0 dummy interface;
            --emit all: ipvsadm, ipset and iptables, each under a "# --- NAME ---" line.
  nftables  --emit nft (default): the nft -f text of the kube-proxy table (ip, or ip6 with
            --family ipv6): chains, sets and maps sorted by name, then the rules, then the
            elements of each set and map sorted bytewise; --as-listed: the table as
            nft list table prints it once the kernel holds those rules. --family dual
            writes both tables, ip then ip6 (with --as-listed: as nft list ruleset
            prints them once the two are loaded in that order).

Defaults when no Node / KubeProxyConfiguration is given (a current kube-proxy on a modern node):
  mode iptables, IPv4, masqueradeBit 14 (mark 0x00004000), masqueradeAll false,
  localhostNodePorts true, nodePortAddresses all local addresses, detectLocalMode ClusterCIDR
  with no clusterCIDR (so no "! -s CIDR" masquerade rules), --random-fully on, nfacct counters on,
  KUBE-FIREWALL chain written, nf_conntrack_tcp_be_liberal off, no node name (no endpoint is
  local), no node IP, IPVS scheduler rr, zone hints only (node hints need the feature gate
  PreferSameTrafficDistribution: true), the rule layout of kube-proxy 1.${NEWEST_MINOR} (--kube-proxy-version
  ${SUPPORTED_VERSIONS} picks another). rulec.io/ annotations on the KubeProxyConfiguration change
  these (README).

Examples:
  $ rulec compile examples/cluster/nodeport-app.yaml
  $ rulec compile manifests/ --node node-1 --node-ip 192.168.0.2 --cluster-cidr 10.244.0.0/16
  $ kubectl get svc,endpointslices -A -o json | rulec compile - -o rules.iptables
  $ rulec compile dual-stack.yaml --family ipv6         # ip6tables-restore text
  $ rulec compile app.yaml --with-hooks | iptables-restore --test
  $ rulec compile --mode ipvs app.yaml                  # ipvsadm -R script
  $ rulec compile --mode ipvs --emit ipset app.yaml | ipset restore -exist
  $ rulec compile --mode ipvs --emit all app.yaml       # all three, for reading
  $ rulec compile --mode nftables app.yaml | nft -c -f -   # nftables mode

Limits: the inputs of a run add up to at most --max-input-size (default 256M); the rules, as
estimated from the cluster's size before compiling (about 1 KB per endpoint and port, an upper
bound), to at most --max-output-size (default 1G), and --as-saved, IPVS and nftables text, which
is made whole in memory, to what the heap holds. Over a limit rulec stops with an error
(RC003, RC004) and writes nothing.

Exit codes: 0 written, 2 invalid input or usage (nothing is written).
`;

interface CompileFlags extends NodeOptionValues {
  mode?: string;
  emit?: string;
  family?: 'ipv4' | 'ipv6' | 'dual';
  output?: string;
  withHooks?: boolean;
  asSaved?: boolean;
  asListed?: boolean;
  verbose?: boolean;
  allNodes?: boolean;
  kubeProxyVersion?: string;
  maxOutputSize: number;
}

export function registerCompile(program: Command, ctx: CliContext): void {
  addKubeProxyVersionOption(addNodeOptions(program.command('compile')), { auto: false })
    .summary('compile Services and EndpointSlices into the rules kube-proxy writes')
    .description(
      'Compiles Kubernetes manifests into exactly what kube-proxy writes for the node, in canonical order: iptables-restore text in iptables mode; the ipvsadm, ipset and iptables-restore text in IPVS mode; nft -f text in nftables mode.',
    )
    .argument('[paths...]', 'manifest files, directories, or - for stdin', ['-'])
    .addOption(new Option('--mode <mode>', 'proxy mode').choices(['iptables', 'ipvs', 'nftables']))
    .addOption(
      new Option('--emit <what>', 'what to print (default: iptables; ipvsadm in IPVS mode; nft in nftables mode)').choices(['iptables', 'ipvsadm', 'ipset', 'kube-ipvs0', 'nft', 'all']),
    )
    .addOption(
      new Option('--family <family>', 'IP family of the proxier (ipv6 prints ip6tables-restore text, or the ip6 nftables table; dual, in nftables mode only, both nftables tables)').choices(['ipv4', 'ipv6', 'dual']),
    )
    .option('-o, --output <file>', 'write to FILE (atomically) instead of stdout')
    .option('--with-hooks', "add the built-in chains and kube-proxy's jumps into its chains, for a complete rule set (iptables text)")
    .option('--as-saved', 'print iptables text exactly as iptables-save (1.8, nf_tables) prints it after loading the rules, to diff against a node\'s dump')
    .option('--as-listed', 'print the nftables table exactly as nft list table (nft 1.0.6) prints it after loading the rules, to diff against a node\'s listing')
    .option('--all-nodes', 'compile for every Node of the input, one file per node in the folder given with -o, and say which services differ between them')
    .option('--verbose', 'also list skipped objects and notes')
    .addOption(
      new Option('--max-output-size <size>', 'stop with an error when the rules could be larger than SIZE bytes, as estimated from the cluster before compiling (K, M, G suffixes)')
        .argParser(sizeArgument)
        .default(DEFAULT_MAX_OUTPUT_BYTES, '1G'),
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (paths: string[], opts: CompileFlags) => {
      ctx.exitCode = await runCompile(ctx, paths, opts);
    });
}

async function runCompile(ctx: CliContext, paths: string[], opts: CompileFlags): Promise<number> {
  const flagMode = opts.mode;
  if (flagMode && !emitFits(ctx, flagMode, opts.emit, opts)) return EXIT.usage;

  const flagDiagnostics: Diagnostic[] = [];
  const nodeFlags = readNodeFlags(nodeFlagText(opts), flagDiagnostics);
  const versionProblem = kubeProxyVersionOptionProblem(opts.kubeProxyVersion, { auto: false, mode: flagMode });
  if (versionProblem) flagDiagnostics.push(versionProblem);
  if (hasErrors(flagDiagnostics)) {
    reportDiagnostics(ctx, flagDiagnostics);
    return EXIT.usage;
  }
  const settingFlags: SettingFlags = { ...nodeFlags, family: opts.family === 'dual' ? ('ipv4' as const) : opts.family, mode: flagMode ?? undefined };
  if (opts.kubeProxyVersion !== undefined) settingFlags.kubeProxyVersion = opts.kubeProxyVersion;
  if (opts.allNodes && opts.node !== undefined) {
    ctx.stderr('rulec: --all-nodes compiles every Node of the input; --node picks one: give one of them\n');
    return EXIT.usage;
  }
  const { cluster, settings, diagnostics: loadDiagnostics } = loadCluster(paths.length ? paths : ['-'], settingFlags, () => ctx.readStdin(), Boolean(opts.allNodes));
  const diagnostics: Diagnostic[] = [...loadDiagnostics];
  // Dual-stack (nftables mode): the IPv6 proxier's settings from the same objects; what they add
  // to the diagnostics is reported once.
  const ipv6Diagnostics: Diagnostic[] = [];
  const ipv6Settings = opts.family === 'dual' ? resolveSettings(cluster, { ...settingFlags, family: 'ipv6' }, ipv6Diagnostics) : undefined;
  const seen = new Set(diagnostics.map((d) => JSON.stringify(d)));
  for (const d of ipv6Diagnostics) if (!seen.has(JSON.stringify(d))) diagnostics.push(d);
  if (opts.verbose) {
    for (const s of cluster.skipped) {
      diagnostics.push({ ...locateIn(s.src, []), severity: 'note', code: 'RC900', message: `skipped ${s.kind === '(no kind)' ? s.kind : displayName(s.kind)}${s.name ? ` ${displayName(s.name)}` : ''}: ${s.reason ?? 'not an object rulec reads'}` });
    }
  }
  if (hasErrors(diagnostics)) {
    reportDiagnostics(ctx, diagnostics, Boolean(opts.verbose));
    return EXIT.usage;
  }
  // The flag, else the configuration's mode, else iptables: resolved once, in the settings.
  const mode = settings.mode;
  if (!flagMode && !emitFits(ctx, mode, opts.emit, opts)) return EXIT.usage;
  reportDiagnostics(ctx, diagnostics, Boolean(opts.verbose));
  // Text made whole in memory (all but the iptables text) must also fit there.
  const inMemory = mode === 'ipvs' ? 'IPVS mode' : mode === 'nftables' ? 'nftables mode' : opts.asSaved ? '--as-saved' : undefined;
  const tooLarge = outputTooLarge(cluster, opts.maxOutputSize, inMemory === undefined ? undefined : { what: inMemory, limit: inMemoryLimit() });
  if (tooLarge) {
    reportDiagnostics(ctx, [tooLarge]);
    return EXIT.usage;
  }

  if (opts.allNodes) return compileEveryNode(ctx, cluster, settingFlags, opts);
  return writeRules(ctx, cluster, settings, ipv6Settings, opts, opts.output);
}

/** The rules of one node, written to `output` (stdout when undefined). */
async function writeRules(ctx: CliContext, cluster: Cluster, settings: ProxySettings, ipv6Settings: ProxySettings | undefined, opts: CompileFlags, output: string | undefined): Promise<number> {
  const options = ruleTextOptions(settings, opts);
  if (!options) return EXIT.usage;
  if (settings.mode === 'iptables' && !opts.asSaved) {
    // Written as it is made, in chunks.
    const iptablesSettings = { ...settings, mode: 'iptables' as const };
    const written = await emitChunks(ctx, output, compileIptablesTextChunks(cluster, iptablesSettings, { withHooks: options.withHooks, chunkBytes: OUTPUT_CHUNK_BYTES }));
    return written ? EXIT.ok : EXIT.usage;
  }
  return (await emit(ctx, nodeRuleText(cluster, settings, ipv6Settings, options), output)) ? EXIT.ok : EXIT.usage;
}

/** The flags that choose the text, checked against the mode; undefined when `--emit` does not suit it. */
function ruleTextOptions(settings: ProxySettings, opts: CompileFlags): RuleTextOptions | undefined {
  const ipvsEmit = opts.emit ?? 'ipvsadm';
  if (settings.mode === 'ipvs' && !isIpvsEmit(ipvsEmit)) return undefined;
  return { ipvsEmit: isIpvsEmit(ipvsEmit) ? ipvsEmit : 'ipvsadm', withHooks: Boolean(opts.withHooks), asSaved: Boolean(opts.asSaved), asListed: Boolean(opts.asListed) };
}

/** The file extension of the rules a compile writes, as `rulec check` names its goldens. */
function outputExtension(settings: ProxySettings, opts: CompileFlags): string {
  if (settings.mode === 'nftables') return 'nft';
  if (settings.mode === 'ipvs') {
    const what = opts.emit ?? 'ipvsadm';
    return what === 'ipvsadm' ? 'ipvs' : what === 'iptables' ? 'ipvs-iptables' : what === 'all' ? 'ipvs-all' : what;
  }
  return settings.family === 'ipv6' ? 'ip6tables' : 'iptables';
}

/**
 * `--all-nodes -o DIR`: the rules of every Node of the input, one file per node named after it;
 * then which service ports differ between the nodes and why.
 */
async function compileEveryNode(ctx: CliContext, cluster: Cluster, settingFlags: SettingFlags, opts: CompileFlags): Promise<number> {
  const dir = opts.output;
  if (dir === undefined || dir === '-') {
    ctx.stderr('rulec: --all-nodes writes one file per node: give the folder with -o DIR\n');
    return EXIT.usage;
  }
  if (cluster.nodes.length === 0) {
    ctx.stderr('rulec: --all-nodes: the input has no Node to compile for\n');
    return EXIT.usage;
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    ctx.stderr(`rulec: cannot make ${escapeControls(dir)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return EXIT.usage;
  }
  const nodes = [...cluster.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Each node's settings, made here: the settings' problems were reported once, for the input;
  // they do not depend on the node.
  const jobs = nodes.map((node, index) => {
    cluster.node = node;
    const flags = { ...settingFlags, node: node.name };
    const settings = resolveSettings(cluster, flags, []);
    const ipv6Settings = opts.family === 'dual' ? resolveSettings(cluster, { ...flags, family: 'ipv6' }, []) : undefined;
    return { index, node: node.name, settings, ipv6Settings, file: join(dir, `${node.name}.${outputExtension(settings, opts)}`) };
  });
  const options = jobs[0] && ruleTextOptions(jobs[0].settings, opts);
  if (!options) return EXIT.usage;
  // What every node's compile reads alike is made once.
  const parts = new NodeIndependentParts(cluster, true);
  const threads = threadCount(cluster, jobs.length, ctx.env);
  const entry = threads > 1 ? workerEntry() : undefined;
  if (threads > 1 && !entry && ctx.env[THREADS_ENV]) {
    // Asked for threads, in a program built without their module.
    ctx.stderr(`rulec: ${THREADS_ENV}=${escapeControls(ctx.env[THREADS_ENV] ?? '')}: this build of rulec has no compile-worker.js beside its compile command\n`);
    return EXIT.usage;
  }
  const perNode = jobs.map(({ node, settings }) => ({ node, settings }));
  let differences: NodeDifference[];
  if (entry) {
    const files = jobs.map((j) => j.file);
    const inMain = (index: number) => {
      const job = jobs[index] as (typeof jobs)[number];
      return nodeRuleText(cluster, job.settings, job.ipv6Settings, options, parts);
    };
    const compiled = compileInThreads(entry, threads - 1, { cluster: clusterForWorker(cluster), options }, jobs.map(({ index, settings, ipv6Settings }) => ({ index, settings, ipv6Settings })), inMain, (index, bytes) => {
      const file = files[index];
      return file === undefined ? Promise.resolve(false) : emit(ctx, bytes, file);
    });
    // Found while the threads compile.
    differences = nodeDifferences(cluster, perNode, parts);
    const result = await compiled;
    if (!result.ok) {
      if (result.error !== undefined) {
        const node = result.index === undefined ? undefined : jobs[result.index]?.node;
        ctx.stderr(`rulec: --all-nodes: ${node === undefined ? '' : `the rules of node ${node} could not be made: `}${escapeControls(result.error)}\n`);
      }
      return EXIT.usage;
    }
  } else {
    for (const job of jobs) {
      cluster.node = nodes[job.index] ?? null;
      if (!(await emit(ctx, nodeRuleText(cluster, job.settings, job.ipv6Settings, options, parts), job.file))) return EXIT.usage;
    }
    differences = nodeDifferences(cluster, perNode, parts);
  }
  const lines = jobs.map(({ node, file }) => `${node}: ${file}`);
  for (const d of differences) lines.push(describeNodeDifference(d));
  const count = differences.length;
  lines.push(`rulec compile: ${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${count === 0 ? 'every service port the same on each' : `${count} service port${count === 1 ? '' : 's'} not the same on each`}`);
  ctx.stdout(`${escapeControlsKeepingLines(lines.join('\n'))}\n`);
  return EXIT.ok;
}

/** Whether `--emit` (and `--with-hooks`, `--as-saved`, `--as-listed`) suit the mode; says why not on stderr. */
function emitFits(ctx: CliContext, mode: string, what: string | undefined, opts: CompileFlags): boolean {
  if (opts.family === 'dual' && mode !== 'nftables') {
    ctx.stderr(`rulec: --family dual is for nftables mode, which writes one table per family; compile --mode ${mode} once with --family ipv4 and once with --family ipv6\n`);
    return false;
  }
  if (opts.asListed && mode !== 'nftables') {
    ctx.stderr(`rulec: --as-listed is for nftables text (nft list table), not --mode ${mode}; use --as-saved for what iptables-save prints\n`);
    return false;
  }
  if (mode === 'nftables') {
    if (what !== undefined && what !== 'nft') {
      ctx.stderr(`rulec: --emit ${what} does not go with --mode nftables; nftables mode writes --emit nft\n`);
      return false;
    }
    if (opts.withHooks || opts.asSaved) {
      ctx.stderr(`rulec: --${opts.withHooks ? 'with-hooks' : 'as-saved'} is for iptables text; nftables mode writes its own base chains\n`);
      return false;
    }
    return true;
  }
  if (what === undefined) return true;
  if (mode === 'ipvs') {
    if (isIpvsEmit(what)) return true;
    ctx.stderr(`rulec: --emit ${what} does not go with --mode ipvs; use --emit ipvsadm, ipset, iptables, kube-ipvs0 or all\n`);
    return false;
  }
  if (what === 'iptables') return true;
  ctx.stderr(`rulec: --emit ${what} does not go with --mode iptables, which writes --emit iptables (ipvsadm, ipset, kube-ipvs0 and all need --mode ipvs; nft needs --mode nftables)\n`);
  return false;
}
