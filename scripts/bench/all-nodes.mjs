// rulec compile --all-nodes as users run it: `node bin/rulec.js compile FILE --all-nodes -o DIR` in a
// child process, on a generated cluster of 100 Nodes and 1,000 Services × 10 endpoints spread over
// the nodes (some with externalTrafficPolicy: Local or internalTrafficPolicy: Local, so that the
// nodes' rules differ), against `compile --node NAME -o FILE` of one of its nodes on the same input,
// the two run in turns. The figure is what each node past the first costs, as a fraction of the
// single-node compile: (all nodes − one node) / (nodes − 1) / one node; target <= 0.33. Also the
// same with RULEC_THREADS=1 (every node in the main thread), and, as root, `iptables-restore --test`
// of one node's file (in a network namespace of its own) against that single-node compile.
// RULEC_BENCH_BASELINE=DIR adds the rows of the rulec built in DIR, to compare two versions.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMultiNodeCluster, toYamlStream } from './lib/generate-cluster.mjs';
import { bestOfPair, fmtMs, RUNS, runCommandOnce, runNodeOnce } from './lib/measure.mjs';

const NODES = 100;
const SERVICES = 1000;
const TARGET = 0.33;

export default async function allNodesBench({ work, root }) {
  const bin = join(root, 'bin', 'rulec.js');
  const file = join(work, 'all-nodes-input.yaml');
  writeFileSync(file, toYamlStream(generateMultiNodeCluster({ nodes: NODES, services: SERVICES, endpoints: 10 })));
  const one = join(work, 'all-nodes-one.iptables');
  const dir = join(work, 'all-nodes-out');
  const single = () => runNodeOnce(bin, ['compile', file, '--node', 'node-0', '-o', one]);
  const all = () => runNodeOnce(bin, ['compile', file, '--all-nodes', '-o', dir]);
  const first = all();
  if (first.status !== 0) throw new Error(`rulec compile --all-nodes failed: ${first.stderr.slice(0, 300)}`);
  const written = readdirSync(dir).length;
  if (written !== NODES) throw new Error(`rulec compile --all-nodes wrote ${written} files, not ${NODES}`);
  console.log(`input: ${NODES} nodes, ${SERVICES} services × 10 endpoints (${(statSync(file).size / 1e6).toFixed(1)} MB of YAML); one node's rules ${(statSync(join(dir, 'node-0.iptables')).size / 1e6).toFixed(1)} MB`);
  console.log('| command | time | CPU time (all threads) | peak MiB | each extra node / one-node compile | target |');
  console.log('|---|---|---|---|---|---|');
  const row = (label, r, s) => {
    const fraction = (r.ms - s.ms) / (NODES - 1) / s.ms;
    console.log(`| ${label} | ${fmtMs(r.ms)} | ${fmtMs(r.cpuMs)} | ${r.peakMiB.toFixed(0)} | ${fraction.toFixed(3)} (${fmtMs((r.ms - s.ms) / (NODES - 1))} a node) | <= ${TARGET}: ${fraction <= TARGET ? 'met' : 'NOT met'} |`);
  };
  const [a, s] = bestOfPair(all, single);
  if (s.status !== 0) throw new Error(`rulec compile --node failed: ${s.stderr.slice(0, 300)}`);
  console.log(`| compile --node node-0 | ${fmtMs(s.ms)} | ${fmtMs(s.cpuMs)} | ${s.peakMiB.toFixed(0)} | | |`);
  row(`compile --all-nodes (${NODES} nodes)`, a, s);
  // RULEC_BENCH_BASELINE=DIR: the same rows for the rulec built in DIR (another version, to compare).
  const baseline = process.env.RULEC_BENCH_BASELINE;
  if (baseline) {
    const other = join(baseline, 'bin', 'rulec.js');
    const dirB = join(work, 'all-nodes-out-baseline');
    const [ab, sb] = bestOfPair(() => runNodeOnce(other, ['compile', file, '--all-nodes', '-o', dirB]), () => runNodeOnce(other, ['compile', file, '--node', 'node-0', '-o', one]));
    if (ab.status !== 0 || sb.status !== 0) throw new Error(`the baseline failed: ${(ab.status !== 0 ? ab : sb).stderr.slice(0, 300)}`);
    row(`baseline ${baseline}: compile --all-nodes (its own one-node run: ${fmtMs(sb.ms)})`, ab, sb);
  }
  const threads = process.env.RULEC_THREADS;
  process.env.RULEC_THREADS = '1';
  try {
    const [a1, s1] = bestOfPair(all, single);
    row(`compile --all-nodes, RULEC_THREADS=1 (one thread; its own one-node run: ${fmtMs(s1.ms)})`, a1, s1);
  } finally {
    if (threads === undefined) delete process.env.RULEC_THREADS;
    else process.env.RULEC_THREADS = threads;
  }
  if (process.getuid?.() !== 0) {
    console.log('iptables-restore --test of one node: skipped (needs root for unshare -n)');
    return;
  }
  const script = 'nfacct add ct_state_invalid_dropped_pkts >/dev/null 2>&1; nfacct add localhost_nps_accepted_pkts >/dev/null 2>&1; iptables-nft-restore --test < "$0"';
  const [c, t] = bestOfPair(single, () => runCommandOnce('unshare', ['-n', 'sh', '-c', script, join(dir, 'node-0.iptables')]));
  if (t.status !== 0) console.log(`iptables-restore --test of node-0's file FAILED: ${t.stderr.slice(0, 200)}`);
  else {
    console.log(
      `iptables-restore --test of node-0's file: ${fmtMs(t.ms)} (best of ${RUNS}, in turns with the one-node compile, ${fmtMs(c.ms)}); ` +
        `restoring every node's file (${NODES} × that, ${fmtMs(t.ms * NODES)}) takes ${((t.ms * NODES) / a.ms).toFixed(1)}x the time of compile --all-nodes`,
    );
  }
}
