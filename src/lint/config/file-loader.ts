import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lilconfig, type Loader, type LilconfigResult } from 'lilconfig';
import { load as loadYaml } from 'js-yaml';
import { PACKAGE_PROP, SEARCH_PLACES, type ConfigLoader, type LoadedConfig } from './loader.js';

/**
 * The configuration loader, on lilconfig: it looks in the starting directory and each one above
 * it (up to `stopDir`) for the first of `SEARCH_PLACES`; YAML and JSON are parsed, JavaScript
 * modules imported (their default export), package.json read for its `rulec` key (a package.json
 * without it is passed over). The YAML/JSON text is kept so diagnostics can point into it.
 */
export function fileConfigLoader(options: { stopDir?: string } = {}): ConfigLoader {
  const yaml: Loader = (_file, content) => loadYaml(content);
  const json: Loader = (_file, content) => (content.trim() === '' ? undefined : JSON.parse(content));
  const esm: Loader = async (file) => ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  const explorer = lilconfig(PACKAGE_PROP, {
    searchPlaces: [...SEARCH_PLACES],
    ...(options.stopDir ? { stopDir: resolve(options.stopDir) } : {}),
    loaders: { '.yaml': yaml, '.yml': yaml, '.json': json, '.js': esm, '.mjs': esm, noExt: yaml },
    cache: false,
  });
  return {
    async search(from) {
      return withText(await explorer.search(resolve(from)));
    },
    async load(filepath) {
      return withText(await explorer.load(resolve(filepath)));
    },
  };
}

function withText(result: LilconfigResult): LoadedConfig | null {
  if (!result) return null;
  const loaded: LoadedConfig = { config: result.config, filepath: result.filepath, isEmpty: result.isEmpty };
  if (/\.(ya?ml|json)$/.test(result.filepath) || !/\.[cm]?js$/.test(result.filepath)) {
    try {
      loaded.text = readFileSync(result.filepath, 'utf8');
    } catch {
      // the text only serves positions
    }
  }
  return loaded;
}
