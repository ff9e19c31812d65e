import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The playground's static files, as `npm run build` writes them (scripts/bundle-playground.mjs):
 * dist/playground/ of the package. Found from this module, two directories below the package
 * root as every module of dist/ is (dist/cli/, dist/cli-bundle/), and src/cli/ in tests.
 */
export function playgroundDirectory(): string {
  return join(fileURLToPath(new URL('../../', import.meta.url)), 'dist', 'playground');
}

export interface StaticFile {
  name: string;
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** The files of the playground, read once; undefined when the package has not been built. */
export function readPlaygroundFiles(dir = playgroundDirectory()): StaticFile[] | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  return readdirSync(dir)
    .filter((name) => TYPES[extname(name)] !== undefined)
    .sort()
    .map((name) => ({ name, type: TYPES[extname(name)] as string, body: readFileSync(join(dir, name)) }));
}
