import { createRequire } from 'node:module';

/**
 * The `yaml` package, loaded the first time a position is asked for: most runs never ask (they
 * have nothing to report), and loading it costs more than compiling a small cluster. The
 * playground's bundle replaces this module with `yaml-package.browser.ts`.
 */
export type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
export function yamlPackage(): YamlModule {
  yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlModule;
}
