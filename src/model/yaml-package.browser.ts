import * as yaml from 'yaml';
import type { YamlModule } from './yaml-package.js';

/** `yaml-package.ts` in the browser: the package is part of the bundle. */
export function yamlPackage(): YamlModule {
  return yaml;
}
