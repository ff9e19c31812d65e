// Reading manifests written by hand in flow style (`selector: {app: web}`, `ports: [{port: 80}]`,
// `addresses: ["10.0.0.1"]`) against the same cluster in block style: the 10,000-service ×
// 10-endpoint cluster of the compile benchmark (10,000 Services, 10,000 EndpointSlices), read in
// this process (best of five) and compiled by the CLI.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateCluster, toFlowYamlStream, toYamlStream, writeFlowYaml, writeYaml } from './lib/generate-cluster.mjs';
import { fmtMs, RUNS, runNode } from './lib/measure.mjs';

const READ_RUNS = Math.max(RUNS, 5);

export default async function flowYamlBench({ work, root }) {
  const { readText } = await import(pathToFileURL(join(root, 'dist', 'model', 'read-documents.js')).href);
  const objects = generateCluster({ services: 10000, endpoints: 10 });
  const styles = [
    ['block', toYamlStream(objects), (f) => writeYaml(f, objects)],
    ['flow', toFlowYamlStream(objects), (f) => writeFlowYaml(f, objects)],
  ];
  const bin = join(root, 'bin', 'rulec.js');
  const reads = {};
  for (const [label, text, write] of styles) {
    let best = Infinity;
    for (let i = 0; i < READ_RUNS; i++) {
      const out = [];
      const diagnostics = [];
      const t0 = process.hrtime.bigint();
      readText(text, `${label}.yaml`, out, diagnostics);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
      if (out.length !== objects.length || diagnostics.length) throw new Error(`${label}: read ${out.length} objects, ${diagnostics.length} diagnostics`);
    }
    reads[label] = best;
    const file = join(work, `cluster-${label}.yaml`);
    write(file);
    const r = runNode(bin, ['compile', '--mode', 'iptables', file, '-o', join(work, `out-${label}.iptables`)]);
    if (r.status !== 0) throw new Error(`compile failed: ${r.stderr}`);
    const mb = (statSync(file).size / 1e6).toFixed(1);
    console.log(`${label} style (${mb} MB, ${objects.length} objects): read ${fmtMs(best)} (best of ${READ_RUNS}), compile ${fmtMs(r.ms)}`);
  }
  console.log(`flow style reads in ${(reads.flow / reads.block).toFixed(2)}x the time of block style`);
}
