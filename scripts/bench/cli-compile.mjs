// rulec compile as users run it: `node bin/rulec.js compile FILE -o OUT` in a child process, on the
// 10,000-service × 10-endpoint cluster in the three shapes users have it: the JSON List
// `kubectl get svc,endpointslices -A -o json` prints (with uid, resourceVersion, managedFields,
// the last-applied annotation, status), the same as block YAML (`-o yaml`), and hand-written YAML
// in flow style. Each is paired in turns with the real tool on the output (bestOfPair):
// iptables mode with `iptables-restore --test`, IPVS mode with `ipset restore` and
// `iptables-restore --test` of its companion rules, nftables mode with `nft -c -f` (minutes on
// this table: RULEC_BENCH_NFT=0 leaves it out). Targets as the issue sets them.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asKubectlPrints, generateCluster, toFlowYamlStream, toYamlStream } from './lib/generate-cluster.mjs';
import { bestOfPair, fmtMs, RUNS, runCommandOnce, runNode, runNodeOnce } from './lib/measure.mjs';

const NFACCT = 'nfacct add ct_state_invalid_dropped_pkts >/dev/null 2>&1; nfacct add localhost_nps_accepted_pkts >/dev/null 2>&1;';

export default async function cliCompileBench({ work, root }) {
  const bin = join(root, 'bin', 'rulec.js');
  const objects = generateCluster({ services: 10000, endpoints: 10 });
  const kubectl = asKubectlPrints(objects);
  const inputs = [
    ['kubectl JSON List', 'json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: kubectl, metadata: { resourceVersion: '' } }, null, 4)],
    ['kubectl YAML', 'yaml', toYamlStream(kubectl)],
    ['hand-written flow YAML', 'yaml', toFlowYamlStream(objects)],
  ].map(([label, ext, text], i) => {
    const file = join(work, `compile-input-${i}.${ext}`);
    writeFileSync(file, text);
    return { label, file, mb: (statSync(file).size / 1e6).toFixed(1) };
  });
  const isRoot = process.getuid?.() === 0;
  const modes = [
    { mode: 'iptables', target: { 'kubectl JSON List': 4, 'kubectl YAML': 2, 'hand-written flow YAML': 2 }, tool: 'iptables-restore --test', script: `${NFACCT} iptables-nft-restore --test < "$0"` },
    { mode: 'ipvs', emit: 'all', target: {}, tool: 'ipset restore + iptables-restore --test', script: `${NFACCT} sed -n '/^# --- ipset ---$/,/^# --- iptables ---$/p' "$0" | grep -v '^# ---' | ipset restore && sed -n '/^# --- iptables ---$/,$p' "$0" | grep -v '^# ---' | iptables-nft-restore --test` },
    ...(process.env.RULEC_BENCH_NFT === '0' ? [] : [{ mode: 'nftables', target: {}, tool: 'nft -c -f', script: 'nft -c -f "$0"' }]),
  ];
  console.log('| command | input | rulec | peak MiB | real tool | tool time | ratio | target |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const m of modes) {
    for (const input of inputs) {
      const out = join(work, `compile-out.${m.mode}`);
      const args = ['compile', '--mode', m.mode, ...(m.emit ? ['--emit', m.emit] : []), input.file, '-o', out];
      const first = runNodeOnce(bin, args);
      if (first.status !== 0) throw new Error(`rulec ${args.join(' ')} failed: ${first.stderr.slice(0, 300)}`);
      const target = m.target[input.label];
      if (!isRoot) {
        const r = runNode(bin, args);
        console.log(`| compile --mode ${m.mode} | ${input.label} (${input.mb} MB) | ${fmtMs(r.ms)} | ${r.peakMiB.toFixed(0)} | ${m.tool} | skipped (needs root) | | ${target ? `>= ${target}x` : ''} |`);
        continue;
      }
      // nft -c -f takes minutes on this table: once, not RUNS times.
      const runs = m.mode === 'nftables' ? 1 : RUNS;
      const [r, t] = runs === RUNS ? bestOfPair(() => runNodeOnce(bin, args), () => runCommandOnce('unshare', ['-n', 'sh', '-c', m.script, out])) : [first, runCommandOnce('unshare', ['-n', 'sh', '-c', m.script, out])];
      const ok = t.status === 0;
      const ratio = t.ms / r.ms;
      const verdict = target === undefined ? '' : `>= ${target}x: ${ratio >= target ? 'met' : 'NOT met'}`;
      console.log(`| compile --mode ${m.mode} | ${input.label} (${input.mb} MB) | ${fmtMs(r.ms)} | ${r.peakMiB.toFixed(0)} | ${m.tool} | ${ok ? fmtMs(t.ms) : `FAILED: ${t.stderr.slice(0, 120)}`} | ${ok ? `${ratio.toFixed(1)}x` : ''} | ${verdict} |`);
    }
  }
}
