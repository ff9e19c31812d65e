/**
 * How a configuration file is found and read. The interface is lilconfig's (`search` from a
 * directory upward, `load` of a named file, results as `{ config, filepath, isEmpty }`), so a
 * lilconfig-based loader can replace `file-loader.ts` without touching its callers.
 */
export interface LoadedConfig {
  /** The configuration value (parsed YAML/JSON, a module's default export, package.json's key). */
  config: unknown;
  filepath: string;
  isEmpty?: boolean;
  /** The file's text when it is YAML or JSON, to point diagnostics at fields. */
  text?: string;
}

export interface ConfigLoader {
  /** The first configuration found in `from` or a directory above it, or null. */
  search(from: string): Promise<LoadedConfig | null>;
  /** Reads the named file. */
  load(filepath: string): Promise<LoadedConfig | null>;
}

/** Where a configuration may live, in the order they are tried in each directory. */
export const SEARCH_PLACES = ['.rulecrc.yaml', '.rulecrc.yml', '.rulecrc.json', 'rulec.config.js', 'rulec.config.mjs', 'package.json'] as const;

/** The key of package.json that holds a configuration. */
export const PACKAGE_PROP = 'rulec';
