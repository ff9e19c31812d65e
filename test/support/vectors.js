import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
/**
 * The conformance vectors: kube-proxy's own test cases as data, kept in test/conformance/
 * (refreshed from the shared vectors by `scripts/refresh-conformance.mjs`).
 */
export const CONFORMANCE = resolve(import.meta.dirname, '../conformance');
export function vectors(mode) {
    const root = join(CONFORMANCE, mode);
    if (!existsSync(root))
        return [];
    return readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(root, d.name, 'input.yaml')))
        .map((d) => {
        const dir = join(root, d.name);
        const expected = {};
        for (const f of readdirSync(dir)) {
            const m = /^expected\.(.+)$/.exec(f);
            if (m?.[1])
                expected[m[1]] = join(dir, f);
        }
        const flagsFile = join(dir, 'flags');
        const flags = existsSync(flagsFile) ? (readFileSync(flagsFile, 'utf8').split('\n')[0] ?? '').split(/\s+/).filter(Boolean) : [];
        return { name: d.name, dir, input: join(dir, 'input.yaml'), expected, flags };
    })
        .sort((a, b) => (a.name < b.name ? -1 : 1));
}
//# sourceMappingURL=vectors.js.map