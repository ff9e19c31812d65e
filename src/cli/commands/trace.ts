import { Command, Option } from 'commander';
import { addKubeProxyVersionOption, kubeProxyVersionOf, type KubeProxyVersionOptionValues } from '../kube-proxy-version-option.js';
import { formatDiagnostic, hasErrors } from '../../diagnostics.js';
import { loadRules } from '../../analysis/input/load-rules.js';
import { readFlows } from '../../analysis/trace/flows.js';
import { formatTraceText } from '../../analysis/trace/format-text.js';
import { traceQuery } from '../../analysis/trace/query.js';
import { Tracer } from '../../analysis/trace/tracer.js';
import type { TraceOrigin, TraceProtocol } from '../../analysis/trace/packet.js';
import { EXIT, type CliContext } from '../context.js';
import { reportDiagnostics } from '../output.js';
import { LateDiagnostics } from '../late-diagnostics.js';
import { InputTooLargeError, readTextFile } from '../../read-text-file.js';
import { addNodeOptions, type NodeOptionValues, nodeFlagText } from '../node-options.js';
import { escapeControls, escapeJsonText } from '../../display-text.js';

const HELP_AFTER = `
RULES are manifests (YAML/JSON files or directories, compiled on the fly for both IP families with
kube-proxy's jumps from the built-in chains, as on a node) or dumps of a node: iptables-save,
ip6tables-save, iptables -S, ipvsadm -S -n / -L -n, ipset save / list (several may be given, or
concatenated in one file). - reads standard input.

The packet is the first packet of a new connection. It enters nat PREROUTING (from a pod or from
outside) or nat OUTPUT (from the node), then goes through INPUT or FORWARD (and IPVS) and
POSTROUTING, as in the kernel. A random split is followed on every branch, with its probability.
Session affinity (-m recent --rcheck) does not match a first packet; it is noted.

--from defaults to what --src is: a node address (--node-ip, else the Node object's addresses,
else those the rules name as the node's, -d IP -j KUBE-NODEPORTS; loopback) is the node, an address
in the pod network (--cluster-cidr, else clusterCIDR or the Node's podCIDRs, else read off the
rules' ! -s CIDR -j KUBE-MARK-MASQ) a pod, anything else external; without --src, a pod.

Without --src a source is chosen, and a note in the output says which and why:
  --from pod       an address of the pod network: 10.244.0.2 for 10.244.0.0/16; with no pod
                   network known, 10.244.0.2 of flannel's and kind's default 10.244.0.0/16
                   (IPv6: fd00:10:244::2 of kind's fd00:10:244::/56)
  --from node      the node IP; with none known, 192.0.2.1 (IPv6: 2001:db8::1), a documentation
                   address that then counts as the node's own
  --from external  203.0.113.2 (IPv6: 2001:db8:ffff::2), a documentation address

--dst may also name a service, NAME.NAMESPACE[.svc[.cluster.local]]:PORT, when RULES are
manifests: the trace then starts from what cluster DNS answers (a cluster IP; a headless
service's endpoints; an ExternalName's CNAME).

Examples:
  $ rulec trace app.yaml --dst 10.96.0.10:53 --proto udp
  $ rulec trace node.iptables-save --node-ip 192.168.0.2 --dst 192.168.0.2:30080 --from external
  $ rulec trace app.yaml --dst kube-dns.kube-system:53 --proto udp --json
  $ rulec trace app.yaml --dst 10.96.0.1 --proto icmp         # is a ping answered?
  $ rulec trace app.yaml --flows flows.yaml --json              # many packets, one JSON array

Exit codes: 0 traced, 2 invalid input or usage.
`;

interface TraceFlags extends NodeOptionValues, KubeProxyVersionOptionValues {
  dst?: string;
  proto: string;
  src?: string;
  from?: TraceOrigin;
  mode?: string;
  inIface?: string;
  json?: boolean;
  flows?: string;
  assumeAffinity?: boolean;
}

export function registerTrace(program: Command, ctx: CliContext): void {
  addKubeProxyVersionOption(addNodeOptions(program.command('trace')), { auto: true })
    .summary('follow a packet through the rules: path, endpoints with probabilities, masquerade, verdict')
    .description('Follows the first packet of a connection through a node\'s rules the way the kernel would, and prints every chain and rule it meets, the endpoints it can reach with their probabilities, whether it is masqueraded, and the verdict.')
    .argument('[rules...]', 'manifests or dumps (files, directories, - for stdin)', ['-'])
    .option('--dst <ip:port>', 'destination: IP:PORT, [IPv6]:PORT, an IP (icmp), or NAME.NAMESPACE:PORT')
    .addOption(new Option('--proto <protocol>', 'protocol').choices(['tcp', 'udp', 'sctp', 'icmp']).default('tcp'))
    .option('--src <ip>', 'source IP (or IP:PORT)')
    .addOption(new Option('--from <origin>', 'where the packet starts').choices(['pod', 'node', 'external']))
    .addOption(new Option('--mode <mode>', 'proxy mode, when compiling manifests').choices(['iptables', 'ipvs', 'nftables']))
    .option('--in-iface <name>', 'the interface the packet arrives on (for rules with -i)')
    .option('--assume-affinity', 'treat session-affinity checks (-m recent --rcheck) as matching')
    .option('--flows <file>', 'trace every flow of a JSON/YAML file ({flows: [{source, protocol, destination, port}]}); prints an array')
    .option('--json', 'print JSON')
    .addHelpText('after', HELP_AFTER)
    .action((rules: string[], opts: TraceFlags) => {
      ctx.exitCode = runTrace(ctx, rules, opts);
    });
}

function runTrace(ctx: CliContext, paths: string[], opts: TraceFlags): number {
  if (!opts.dst && !opts.flows) {
    ctx.stderr('rulec trace: give --dst IP:PORT (or --flows FILE)\n');
    return EXIT.usage;
  }
  const version = kubeProxyVersionOf(ctx, opts, { auto: true });
  if (!version) return EXIT.usage;
  const late = new LateDiagnostics();
  const loadOptions = {
    readStdin: () => ctx.readStdin(),
    deferRules: late,
    ...nodeFlagText(opts),
    ...version,
    ...(opts.mode ? { mode: opts.mode } : {}),
  };
  const loaded = loadRules(paths, loadOptions);
  reportDiagnostics(ctx, loaded.diagnostics);
  if (hasErrors(loaded.diagnostics)) return EXIT.usage;
  if (loaded.kind === 'dump' && opts.nodeIp.length === 0) {
    ctx.stderr(
      loaded.nodeIPs.length === 0
        ? "rulec trace: note: no --node-ip given; only loopback addresses count as the node's own (addrtype LOCAL)\n"
        : `rulec trace: note: no --node-ip given; the node's own addresses (addrtype LOCAL) are loopback and those the rules name: ${loaded.nodeIPs.map((ip) => ip.text).join(', ')}\n`,
    );
  }
  const tracer = new Tracer(
    { ruleSets: loaded.ruleSets, nft: loaded.nft, nodeIPs: loaded.nodeIPs, podCIDRs: loaded.podCIDRs, nodeIPOrigins: loaded.nodeIPOrigins, podCIDROrigins: loaded.podCIDROrigins },
    { assumeAffinity: Boolean(opts.assumeAffinity) },
  );

  if (opts.flows) {
    let text: string;
    try {
      text = opts.flows === '-' ? ctx.readStdin() : readTextFile(opts.flows);
    } catch (err) {
      if (err instanceof InputTooLargeError) {
        ctx.stderr(`${formatDiagnostic(err.diagnostic(opts.flows === '-' ? '<stdin>' : opts.flows))}\n`);
        return EXIT.usage;
      }
      ctx.stderr(`rulec trace: cannot read ${escapeControls(opts.flows)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      return EXIT.usage;
    }
    const read = readFlows(text, opts.flows);
    reportDiagnostics(ctx, read.diagnostics);
    if (read.flows.length === 0 && hasErrors(read.diagnostics)) return EXIT.usage;
    let failed = hasErrors(read.diagnostics);
    const results = read.flows.map((f) => {
      if (!f) return { error: 'invalid flow' };
      const a = traceQuery(tracer, loaded.cluster, f.query);
      if (!a.ok) {
        failed = true;
        return { ...(f.name ? { name: f.name } : {}), error: a.error };
      }
      return f.name ? { name: f.name, ...a.result } : a.result;
    });
    const lateExit = late.settle(ctx);
    if (lateExit !== undefined) return lateExit;
    if (opts.json) ctx.stdout(`${escapeJsonText(JSON.stringify(results, null, 2))}\n`);
    else {
      for (const r of results) {
        if ('error' in r) ctx.stdout(`${r.name ? `${escapeControls(r.name)}: ` : ''}error: ${escapeControls(r.error)}\n\n`);
        else ctx.stdout(`${'name' in r && r.name ? `# ${escapeControls(r.name)}\n` : ''}${formatTraceText(r)}\n`);
      }
    }
    return failed ? EXIT.usage : EXIT.ok;
  }

  const answer = traceQuery(tracer, loaded.cluster, {
    destination: opts.dst as string,
    protocol: opts.proto as TraceProtocol,
    ...(opts.src ? { source: opts.src } : {}),
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.inIface ? { inIface: opts.inIface } : {}),
  });
  const lateExit = late.settle(ctx);
  if (lateExit !== undefined) return lateExit;
  if (!answer.ok) {
    ctx.stderr(`rulec trace: ${escapeControls(answer.error)}\n`);
    return EXIT.usage;
  }
  ctx.stdout(opts.json ? `${escapeJsonText(JSON.stringify(answer.result, null, 2))}\n` : formatTraceText(answer.result));
  return EXIT.ok;
}
