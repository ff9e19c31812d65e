#!/usr/bin/env node
// Copies the conformance vectors (kube-proxy's own test cases as data, and its packet flows)
// from ../shared/conformance into test/conformance/, where the tests read them, so that a clone
// of the repository tests itself with nothing beside it. Run it when the vectors are updated;
// `--check` exits 1 when the copy differs from the source.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, '..', 'shared', 'conformance');
const target = join(root, 'test', 'conformance');

if (!existsSync(source)) {
  console.error(`refresh-conformance: no ${relative(root, source)}; nothing to refresh`);
  process.exit(2);
}

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full).map((f) => join(name, f)));
    else out.push(name);
  }
  return out;
}

if (process.argv.includes('--check')) {
  const want = files(source);
  const have = existsSync(target) ? files(target) : [];
  const differ = want.filter((f) => !have.includes(f) || !readFileSync(join(source, f)).equals(readFileSync(join(target, f))));
  const extra = have.filter((f) => !want.includes(f));
  for (const f of [...differ, ...extra]) console.log(`differs: ${f}`);
  process.exit(differ.length + extra.length === 0 ? 0 : 1);
}
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
console.log(`refresh-conformance: ${files(target).length} files in ${relative(root, target)}`);
