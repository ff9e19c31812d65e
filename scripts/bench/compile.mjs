// rulec compile on a 10,000-service × 10-endpoint cluster, from YAML and from a JSON List,
// against the real `iptables-restore --test` on the output.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { generateCluster, writeJsonList, writeYaml } from './lib/generate-cluster.mjs';
import { bestOfPair, fmtMs, RUNS, runCommandOnce, runNode, runNodeOnce } from './lib/measure.mjs';

export default async function compileBench({ work, root }) {
  const objects = generateCluster({ services: 10000, endpoints: 10 });
  const yamlFile = join(work, 'cluster.yaml');
  const jsonFile = join(work, 'cluster.json');
  writeYaml(yamlFile, objects);
  writeJsonList(jsonFile, objects);
  const bin = join(root, 'bin', 'rulec.js');
  const mb = (f) => (statSync(f).size / 1e6).toFixed(1);

  const results = {};
  for (const [label, file] of [['JSON List', jsonFile], ['YAML', yamlFile]]) {
    const out = join(work, `out-${label.replace(/\W/g, '')}.iptables`);
    const r = runNode(bin, ['compile', '--mode', 'iptables', file, '-o', out]);
    if (r.status !== 0) throw new Error(`compile failed: ${r.stderr}`);
    results[label] = { ...r, out };
    console.log(`compile from ${label} (${mb(file)} MB, ${objects.length} objects): ${fmtMs(r.ms)}, peak ${r.peakMiB.toFixed(0)} MiB`);
  }
  const out = results['JSON List'].out;
  console.log(`output: ${mb(out)} MB`);

  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    console.log('iptables-restore --test: skipped (needs root for unshare -n)');
    return;
  }
  const script = 'nfacct add ct_state_invalid_dropped_pkts >/dev/null 2>&1; nfacct add localhost_nps_accepted_pkts >/dev/null 2>&1; iptables-nft-restore --test < "$0"';
  // The ratios: each compile and iptables-restore in turn, so that both see the same machine.
  const restore = () => runCommandOnce('unshare', ['-n', 'sh', '-c', script, out]);
  const compileOnce = (file) => () => runNodeOnce(bin, ['compile', '--mode', 'iptables', file, '-o', join(work, 'out-paired.iptables')]);
  const [jsonRun, t] = bestOfPair(compileOnce(jsonFile), restore);
  const [yamlRun, t2] = bestOfPair(compileOnce(yamlFile), restore);
  if (t.status !== 0 || t2.status !== 0) console.log(`iptables-restore --test FAILED: ${(t.status !== 0 ? t : t2).stderr.slice(0, 300)}`);
  console.log(
    `iptables-nft-restore --test on the output: ${fmtMs(Math.min(t.ms, t2.ms))} ` +
      `(best of ${RUNS} runs, alternating with the compiles: JSON ${fmtMs(jsonRun.ms)}, YAML ${fmtMs(yamlRun.ms)})`,
  );
  const json = jsonRun.ms;
  const yaml = yamlRun.ms;
  console.log(`from JSON: ${(t.ms / json).toFixed(1)}x faster than iptables-restore --test (target >= 8x, and <= 1 s: ${json <= 1000 ? 'met' : 'NOT met'})`);
  console.log(`from YAML: ${(t2.ms / yaml).toFixed(1)}x faster than iptables-restore --test (target >= 2x: ${t2.ms / yaml >= 2 ? 'met' : 'NOT met'})`);
}
