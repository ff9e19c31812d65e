import type { Diagnostic } from '../../diagnostics.js';
import { LINT_CODES } from '../codes.js';
import { fileConfigLoader } from './file-loader.js';
import type { ConfigLoader, LoadedConfig } from './loader.js';
import { resolveConfigFile } from './schema.js';
import type { LintConfig } from './types.js';

export interface ConfigResult {
  config: LintConfig;
  diagnostics: Diagnostic[];
  /** The file the configuration came from, if any. */
  filepath?: string;
}

/**
 * Finds and reads the configuration: `file` when given, else the first one found from `cwd`
 * upward. Problems (unreadable file, invalid value, unknown rule) become diagnostics.
 */
export async function loadLintConfig(options: { cwd: string; file?: string; loader?: ConfigLoader }): Promise<ConfigResult> {
  const loader = options.loader ?? fileConfigLoader();
  let loaded: LoadedConfig | null;
  try {
    loaded = options.file !== undefined ? await loader.load(options.file) : await loader.search(options.cwd);
  } catch (err) {
    const file = options.file ?? options.cwd;
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const code = (err as NodeJS.ErrnoException).code;
    return {
      config: resolveConfigFile(null).config,
      diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: LINT_CODES.config, message: `cannot read the configuration: ${code === 'ENOENT' ? 'no such file' : reason}` }],
    };
  }
  const { config, diagnostics } = resolveConfigFile(loaded);
  return loaded ? { config, diagnostics, filepath: loaded.filepath } : { config, diagnostics };
}

export { applyRuleFlags, resolveConfigFile } from './schema.js';
export type { ConfigLoader, LoadedConfig } from './loader.js';
export { defaultConfig, type LintConfig, type LintSettings } from './types.js';
