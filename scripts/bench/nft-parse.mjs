// rulec reading kube-proxy's nftables table as a node lists it: the 10,000-service × 10-endpoint
// cluster compiled with `--mode nftables --as-listed` (what `nft list table ip kube-proxy` prints
// after loading it), read by `rulec parse --summary --json`, against the real `nft -c -f` checking
// the same text, in the same run.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { generateCluster, writeJsonList } from './lib/generate-cluster.mjs';
import { bestOfPair, fmtMs, RUNS, runCommandOnce, runNode, runNodeOnce } from './lib/measure.mjs';

export default async function nftParseBench({ work, root }) {
  const bin = join(root, 'bin', 'rulec.js');
  const cluster = join(work, 'nft-cluster.json');
  writeJsonList(cluster, generateCluster({ services: 10000, endpoints: 10 }));
  const listing = join(work, 'kube-proxy.nft');
  const compiled = runNode(bin, ['compile', '--mode', 'nftables', '--as-listed', cluster, '-o', listing]);
  if (compiled.status !== 0) throw new Error(`compile failed: ${compiled.stderr}`);
  const mb = (statSync(listing).size / 1e6).toFixed(1);
  const summary = runNode(bin, ['parse', '--summary', '--json', listing]);
  if (summary.status !== 0) throw new Error(`parse failed: ${summary.stderr.slice(0, 500)}`);
  const found = JSON.parse(summary.stdout.toString());
  console.log(
    `rulec parse --summary --json of the listing (${mb} MB, ${found.services.length} services): ${fmtMs(summary.ms)}, peak ${summary.peakMiB.toFixed(0)} MiB`,
  );

  if (process.getuid?.() !== 0) {
    console.log('nft -c -f: skipped (it needs root to run inside unshare -n)');
    return;
  }
  const [parsed, check] = bestOfPair(
    () => runNodeOnce(bin, ['parse', '--summary', '--json', listing]),
    () => runCommandOnce('unshare', ['-n', 'nft', '-c', '-f', listing]),
  );
  if (check.status !== 0) {
    console.log(`nft -c -f FAILED: ${check.stderr.slice(0, 300)}`);
    return;
  }
  console.log(`nft -c -f on the same listing: ${fmtMs(check.ms)} (best of ${RUNS} runs, alternating with rulec parse --summary --json: ${fmtMs(parsed.ms)})`);
  console.log(`rulec parse --summary --json is ${(check.ms / parsed.ms).toFixed(1)}x faster than nft -c -f`);
}
