import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { load } from 'js-yaml';
const { loadPlainYaml } = await import('/work/main/dist/model/fast-yaml.js');
const { splitYamlStream, walk } = await import('/work/main/dist/model/read-documents.js');
const files = process.argv.slice(2).flatMap((p) => p.endsWith('.yaml') || p.endsWith('.yml') ? [p] : walk(p, /\.ya?ml$/));
let docs = 0, fast = 0, mism = 0, bailed = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  for (const part of splitYamlStream(text)) {
    docs++;
    let ref, err = null;
    try { ref = load(part.text); } catch (e) { err = e; }
    const r = loadPlainYaml(part.text);
    if (r) {
      fast++;
      if (err || !isDeepStrictEqual(r.value ?? null, ref ?? null)) { mism++; console.log('MISMATCH', f, part.line, err ? 'js-yaml error' : ''); }
    } else bailed.push(`${f}:${part.line}`);
  }
}
console.log({ files: files.length, docs, fast, mism, bailed: bailed.length });
console.log(bailed.slice(0, 15).join('\n'));
