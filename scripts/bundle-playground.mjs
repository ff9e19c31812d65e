// Builds the playground: src/playground/main.ts and the library it runs, bundled for the browser
// into dist/playground/playground.js, beside the page (index.html) and its style sheet. The same
// script runs the page and, as a module worker, the analyses of large inputs.
//
// Node-only modules of the library have a browser twin beside them, NAME.browser.ts (file
// access, SHA-256, the yaml and chevrotain loaders); the bundle takes the twin. Anything else
// that reaches for a Node.js built-in module fails the build, with the module that asked for it.
// A few of examples/ are embedded, for the page's example picker.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserPlugin } from './playground-plugin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'playground');
const outdir = join(root, 'dist', 'playground');

/** The examples the page offers: a name, and the files joined into one input. */
const EXAMPLES = [
  { name: 'Cluster: kube-dns, NodePort app, Local policy, source ranges (manifests)', files: ['examples/cluster/node.yaml', 'examples/cluster/kube-proxy.yaml', 'examples/cluster/kube-dns.yaml', 'examples/cluster/nodeport-app.yaml', 'examples/cluster/local-policy.yaml', 'examples/cluster/lb-source-ranges.yaml'] },
  { name: 'kube-dns Service and EndpointSlice (manifests)', files: ['examples/cluster/kube-dns.yaml'] },
  { name: 'Dual-stack Service (manifests)', files: ['examples/dual-stack/dual-stack.yaml'] },
  { name: 'worker-1: iptables-save of a node (dump)', files: ['examples/dumps/worker-1.iptables-save'] },
  { name: 'worker-1 drifted: a node with stale rules (dump)', files: ['examples/dumps/worker-1-drifted.iptables-save'] },
];

function examplesModule() {
  const list = EXAMPLES.map((e) => ({
    name: e.name,
    text: e.files.map((f) => readFileSync(join(root, f), 'utf8')).join(e.files.length > 1 ? '---\n' : ''),
  }));
  return `export const EXAMPLES = ${JSON.stringify(list)};\n`;
}

const started = performance.now();
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints: [join(src, 'main.ts')],
  outfile: join(outdir, 'playground.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  inject: [join(src, 'buffer-shim.ts')],
  plugins: [browserPlugin(root, examplesModule)],
  metafile: true,
  logLevel: 'error',
}).catch(() => {
  console.error('playground: the browser bundle failed');
  process.exit(1);
});
for (const f of readdirSync(src)) if (/\.(html|css)$/.test(f)) copyFileSync(join(src, f), join(outdir, f));
const size = (f) => statSync(join(outdir, f)).size;
const files = readdirSync(outdir).sort();
const total = files.reduce((n, f) => n + size(f), 0);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`playground: ${files.map((f) => `${f} ${kb(size(f))}`).join(', ')}; ${kb(total)} in all, ${Object.keys(result.metafile.inputs).length} modules, ${Math.round(performance.now() - started)} ms`);
