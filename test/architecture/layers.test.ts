import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS, layerViolations, sourceModules, unitOf, violationsIn } from './layers.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

describe('layers', () => {
  it('every top-level folder and file of src/ is in a layer', () => {
    const units = new Set(sourceModules(SRC).map((f) => unitOf(SRC, f)));
    expect([...units].filter((u) => !LAYERS.some((l) => l.includes(u)))).toEqual([]);
  });

  it('no module imports from its own layer or one above it', () => {
    const found = layerViolations(SRC).map((v) => `${relative(SRC, v.file)}:${v.line}: ${v.specifier}: ${v.reason}`);
    expect(found).toEqual([]);
  });

  it('src/kube imports nothing of rulec but the diagnostics', () => {
    const kube = sourceModules(join(SRC, 'kube'));
    expect(kube.length).toBeGreaterThan(0);
    const outside: string[] = [];
    for (const file of kube) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from\s*'(\.[^']+)'/g)) {
        const unit = unitOf(SRC, resolve(dirname(file), m[1] ?? ''));
        if (unit !== 'kube' && unit !== 'diagnostics.js') outside.push(`${relative(SRC, file)}: ${m[1]}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('reports an import that goes up, with its line', () => {
    const file = join(SRC, 'kube', 'ip.ts');
    const text = "import type { IpFamily } from './types.js';\n// a comment\nimport { compileIptables } from '../compiler/iptables/index.js';\nexport { x } from '../diagnostics.js';\n";
    expect(violationsIn(SRC, file, text)).toEqual([
      { file, line: 3, specifier: '../compiler/iptables/index.js', reason: 'kube (layer 2) imports compiler (layer 4): imports go to lower layers only' },
    ]);
  });

  it('reports an import between two folders of one layer', () => {
    const file = join(SRC, 'grammar', 'detect.ts');
    expect(violationsIn(SRC, file, "import { planServicePort } from '../compiler/service-port-plan.js';").map((v) => v.reason)).toEqual([
      'grammar (layer 4) imports compiler (layer 4): imports go to lower layers only',
    ]);
  });
});
