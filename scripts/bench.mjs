#!/usr/bin/env node
// Prints rulec's speed figures. Each file in scripts/bench/ exports `default async function
// (ctx)` that runs one benchmark and prints its lines; `npm run bench -- NAME` runs only those
// whose file name contains NAME.
import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const dir = join(here, 'bench');
const work = mkdtempSync(join(tmpdir(), 'rulec-bench-'));
const { RUNS } = await import(pathToFileURL(join(dir, 'lib', 'measure.mjs')).href);
console.log(`times: the best of ${RUNS} runs, for rulec and for the tools it is compared with (RULEC_BENCH_RUNS to change)`);
try {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.mjs')).sort()) {
    if (only.length && !only.some((o) => f.includes(o))) continue;
    const mod = await import(pathToFileURL(join(dir, f)).href);
    console.log(`\n== ${f.replace(/\.mjs$/, '')}`);
    await mod.default({ work, root: join(here, '..') });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
