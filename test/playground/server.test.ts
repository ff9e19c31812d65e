import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPlugin } from '../../scripts/playground-plugin.mjs';
import { root, startServer, type RunningServer } from './server.js';
import { existsSync } from 'node:fs';

describe.skipIf(!existsSync(join(root, 'dist', 'playground', 'index.html')))('the playground server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves the page and its files on 127.0.0.1, with a policy that lets it load nothing else', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="playground.js"></script>');
    // Every file the page names is its own.
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])).toEqual(['data:,', 'playground.css', 'playground.js']);
    const script = await fetch(`${server.url}playground.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await fetch(`${server.url}playground.css`)).status).toBe(200);
  });

  it('serves nothing else', async () => {
    for (const path of ['nope', '../package.json', '%2e%2e/package.json', 'dist/playground/index.html']) expect((await fetch(`${server.url}${path}`)).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });
});

describe('the playground bundle', () => {
  it('fails when a Node.js built-in module gets into it, naming the importer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bundle-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync);\n");
    const result = build({ entryPoints: [entry], bundle: true, write: false, platform: 'browser', format: 'esm', logLevel: 'silent', plugins: [browserPlugin(dir)] });
    await expect(result).rejects.toThrow(/the browser bundle must not use the Node\.js module node:fs \(imported by entry\.ts\)/);
  });

  it('takes the browser twin of a module of src/', async () => {
    const entry = join(root, 'src', 'kube', 'stable-hash.ts');
    const r = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'browser', format: 'esm', logLevel: 'silent', metafile: true, plugins: [browserPlugin(root)] });
    expect(Object.keys(r.metafile.inputs).sort()).toEqual(['src/kube/sha256-block.ts', 'src/kube/sha256.browser.ts', 'src/kube/stable-hash.ts']);
  });
});
