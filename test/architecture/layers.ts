import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * rulec's layers, bottom first. A module may import a module of a lower layer, or one in its own
 * folder of `src/`; never one above it or beside it. The command line depends on everything,
 * nothing depends on it; kube-proxy's vocabulary (`src/kube/`) depends on nothing but the
 * diagnostics. The playground (a web page) sits at the top with the command line.
 */
export const LAYERS: ReadonlyArray<readonly string[]> = [
  ['display-text.ts', 'json-stream.ts', 'records.ts', 'file-access.ts'],
  ['diagnostics.ts'],
  ['kube', 'paste', 'read-text-file.ts'],
  ['ast', 'model'],
  ['grammar', 'compiler'],
  ['lint', 'analysis'],
  ['cli', 'playground'],
  ['index.ts'],
];

/**
 * The top-level folder or file of `src/` a path is in. A browser twin (`NAME.browser.ts`, which
 * the playground's bundle takes in place of `NAME.ts`) is the same unit as the module it stands for.
 */
export function unitOf(srcRoot: string, file: string): string {
  return (relative(srcRoot, file).split(sep)[0] ?? '').replace(/\.browser\.ts$/, '.ts');
}

function rankOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

export interface LayerViolation {
  file: string;
  line: number;
  specifier: string;
  reason: string;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of one module's text that break the layering, with their lines. */
export function violationsIn(srcRoot: string, file: string, text: string): LayerViolation[] {
  const out: LayerViolation[] = [];
  const from = unitOf(srcRoot, file);
  const fromRank = rankOf(from);
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[1] ?? m[2] ?? '';
    if (!specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier);
    const to = unitOf(srcRoot, target.replace(/\.js$/, '.ts'));
    const line = text.slice(0, (m.index ?? 0) + m[0].length).split('\n').length;
    if (to === from) continue;
    const toRank = rankOf(to);
    if (fromRank < 0) out.push({ file, line, specifier, reason: `${from} is in no layer` });
    else if (toRank < 0) out.push({ file, line, specifier, reason: `${to} is in no layer` });
    else if (toRank >= fromRank) {
      out.push({ file, line, specifier, reason: `${from} (layer ${fromRank}) imports ${to} (layer ${toRank}): imports go to lower layers only` });
    }
  }
  return out;
}

/** Every non-test module under `src/`. */
export function sourceModules(srcRoot: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(srcRoot).sort()) {
    const full = join(srcRoot, name);
    if (statSync(full).isDirectory()) out.push(...sourceModules(full));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

export function layerViolations(srcRoot: string): LayerViolation[] {
  return sourceModules(srcRoot).flatMap((f) => violationsIn(srcRoot, f, readFileSync(f, 'utf8')));
}
