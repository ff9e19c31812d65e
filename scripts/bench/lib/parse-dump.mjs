// Parses one iptables-save file with the built parser (dist/) and prints what it found as JSON,
// for the parse benchmark: `node parse-dump.mjs FILE [--detect] [--summary]`. By default only
// the iptables-save parser is loaded; --detect goes through format detection, which loads
// every format's grammar.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '../../../dist');
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const file = process.argv[2];
// Read as the CLI reads its inputs.
const { readTextFile } = await load('read-text-file.js');
const text = readTextFile(file);
let result;
if (process.argv.includes('--detect')) {
  const { parseDump } = await load('grammar/detect.js');
  result = parseDump(text, file);
} else {
  const { parseIptablesSave } = await load('grammar/iptables-save/index.js');
  result = parseIptablesSave(text, file);
}
let chains = 0;
let rules = 0;
for (const rs of result.ruleSets) {
  if (rs.kind !== 'iptables') continue;
  for (const t of rs.tables) {
    chains += t.chains.length;
    for (const c of t.chains) rules += c.rules.length;
  }
}
const out = { ruleSets: result.ruleSets.length, chains, rules, diagnostics: result.diagnostics.length };
if (process.argv.includes('--summary')) {
  const { summarizeDump } = await load('analysis/summary.js');
  out.services = summarizeDump({ ...result, sections: [] }).services.length;
}
process.stdout.write(`${JSON.stringify(out)}\n`);
