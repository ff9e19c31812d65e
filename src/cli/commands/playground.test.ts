import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { playgroundDirectory } from '../playground-files.js';

const built = existsSync(join(playgroundDirectory(), 'index.html'));

describe.skipIf(!built)('rulec playground', () => {
  it('writes the static files with --out', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rulec-playground-')), 'site');
    const r = await runCli(['playground', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`rulec playground: wrote index.html, playground.css, playground.js to ${dir}\n`);
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'playground.css', 'playground.js']);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f))).toEqual(readFileSync(join(playgroundDirectory(), f)));
  });

  it('refuses a bad --port, plainly and with exit 2', async () => {
    for (const port of ['abc', '70000', '-1', '80.5']) {
      const r = await runCli(['playground', '--port', port]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`rulec playground: --port ${port}: expected a port number from 0 to 65535\n`);
    }
  });

  it('says so when the port is in use, with exit 2', async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', () => done()));
    const address = holder.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const r = await runCli(['playground', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`rulec playground: port ${port} is in use (pick another with --port)\n`);
      expect(r.stdout).toBe('');
    } finally {
      holder.close();
    }
  });

  it('says so when the folder cannot be written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rulec-playground-')), 'file');
    writeFileSync(file, 'a file, not a folder\n');
    const r = await runCli(['playground', '--out', join(file, 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rulec playground: cannot write .*: ENOTDIR\n$/);
  });
});
