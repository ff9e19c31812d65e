import { readFileSync } from 'node:fs';
const src = readFileSync('/work/main/dist/model/fast-yaml.js', 'utf8').replace('function giveUp() {', 'function giveUp() { console.log(new Error().stack.split("\\n").slice(2,5).join(" | "));');
import { writeFileSync } from 'node:fs';
writeFileSync('/tmp/fy-debug.mjs', src);
const { loadPlainYaml } = await import('/tmp/fy-debug.mjs');
const { splitYamlStream } = await import('/work/main/dist/model/read-documents.js');
const [f, n] = [process.argv[2], +process.argv[3]];
const part = splitYamlStream(readFileSync(f, 'utf8'))[n];
console.log(loadPlainYaml(part.text));
