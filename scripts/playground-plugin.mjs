// The esbuild plugin of the playground's browser bundle (scripts/bundle-playground.mjs): a module
// of src/ that has a browser twin beside it, NAME.browser.ts, is bundled as the twin; a Node.js
// built-in module fails the build, naming the module that imports it; src/playground/examples.ts
// becomes the examples the page offers.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

const builtins = new Set(builtinModules);

/** `examples` gives the source of the examples module. */
export function browserPlugin(root, examples = () => 'export const EXAMPLES = [];') {
  return {
    name: 'rulec-browser',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.replace(/^node:/, '');
        if (args.path.startsWith('node:') || builtins.has(bare) || builtins.has(bare.split('/')[0])) {
          return { errors: [{ text: `the browser bundle must not use the Node.js module ${args.path} (imported by ${relative(root, args.importer)}); give the importing module a .browser.ts twin` }] };
        }
        if (!args.path.startsWith('.') || !args.importer.startsWith(join(root, 'src'))) return undefined;
        const twin = `${join(args.resolveDir, args.path).replace(/\.js$/, '')}.browser.ts`;
        return existsSync(twin) ? { path: twin } : undefined;
      });
      b.onLoad({ filter: /src[\\/]playground[\\/]examples\.ts$/ }, () => ({ contents: examples(), loader: 'js' }));
    },
  };
}
