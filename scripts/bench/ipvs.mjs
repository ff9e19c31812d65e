// rulec compile --mode ipvs on the 10,000-service × 10-endpoint cluster (the same generator as
// the iptables benchmark), from the JSON List `kubectl get -o json` prints: all three emits in one
// run (--emit all), then each emit alone. For each run: wall time, CPU time (user + system; on a
// busy machine the wall time also counts the waits for a CPU) and peak memory.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCluster, writeJsonList } from './lib/generate-cluster.mjs';
import { fmtMs, runCommand, runNode } from './lib/measure.mjs';

export default async function ipvsBench({ work, root }) {
  const objects = generateCluster({ services: 10000, endpoints: 10 });
  const jsonFile = join(work, 'cluster-ipvs.json');
  writeJsonList(jsonFile, objects);
  const bin = join(root, 'bin', 'rulec.js');
  const mb = (f) => (statSync(f).size / 1e6).toFixed(1);
  const lines = (f) => readFileSync(f, 'utf8').split('\n').length - 1;

  const outs = {};
  for (const emit of ['all', 'ipvsadm', 'ipset', 'iptables', 'kube-ipvs0']) {
    const out = join(work, `out.${emit}`);
    const r = runNode(bin, ['compile', '--mode', 'ipvs', '--emit', emit, jsonFile, '-o', out]);
    if (r.status !== 0) throw new Error(`compile --emit ${emit} failed: ${r.stderr}`);
    outs[emit] = { ...r, out };
    console.log(
      `compile --mode ipvs --emit ${emit} from JSON List (${mb(jsonFile)} MB, ${objects.length} objects): ` +
        `${fmtMs(r.ms)} wall, ${fmtMs(r.cpuMs)} CPU, peak ${r.peakMiB.toFixed(0)} MiB, ${lines(out)} lines`,
    );
  }
  const all = outs.all;
  console.log(`all three emits from JSON: ${fmtMs(all.ms)} wall, ${fmtMs(all.cpuMs)} CPU (target <= 1 s: ${all.ms <= 1000 ? 'met' : 'NOT met'})`);

  if (process.getuid?.() !== 0) {
    console.log('ipset restore + iptables-restore --test: skipped (needs root for unshare -n)');
    return;
  }
  // A kernel without xt_ipvs cannot take KUBE-IPVS-OUT-FILTER's `-m ipvs` rules; they are left out here.
  const payload = join(work, 'out.iptables.loadable');
  writeFileSync(payload, readFileSync(outs.iptables.out, 'utf8').split('\n').filter((l) => !l.includes(' -m ipvs ')).join('\n'));
  const t = runCommand('unshare', ['-n', 'sh', '-c', 'ipset restore < "$0" && iptables-nft-restore --test < "$1"', outs.ipset.out, payload]);
  if (t.status !== 0) console.log(`ipset restore / iptables-restore --test FAILED: ${t.stderr.slice(0, 300)}`);
  else console.log(`ipset restore + iptables-nft-restore --test on the output: ${fmtMs(t.ms)}`);
}
