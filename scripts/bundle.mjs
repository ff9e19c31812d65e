// Bundles the command-line program (dist/cli/main.js, as tsc wrote it) with its dependencies into
// dist/cli-bundle/, which bin/rulec.js runs. Loading a few files instead of about two hundred small
// modules (zod alone has a hundred) takes about a hundred milliseconds off every run. Each command
// stays in a chunk of its own, loaded when it runs. The library (dist/index.js) is not bundled.
//
// Left out, and loaded from node_modules at run time as before: chevrotain (its single-file build
// is loaded by path, see src/grammar/chevrotain.ts) and yaml (only loaded when a diagnostic needs a
// position). Bundled CommonJS packages call `require` for Node's own modules; the banner gives the
// ES modules a `require` for that.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The worker thread of `compile --all-nodes` is an entry of its own, dist/cli-bundle/compile-worker.js:
// the compile command's chunk, in the same folder, starts it from there (as dist/cli/commands/compile.js
// starts dist/cli/commands/compile-worker.js).
//
// Two directories below the package root, like every module of dist/ (src/lint/version.ts reads
// ../../package.json from where it runs).
const outdir = join(root, 'dist', 'cli-bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: join(root, 'dist', 'cli', 'main.js'), 'compile-worker': join(root, 'dist', 'cli', 'commands', 'compile-worker.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['chevrotain', 'yaml'],
  banner: { js: "import { createRequire as rulecCreateRequire } from 'node:module'; const require = rulecCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
