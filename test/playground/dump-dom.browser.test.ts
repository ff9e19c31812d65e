import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, CHROMIUM, plainFragment, root, startServer, type RunningServer } from './server.js';

/**
 * `chromium --headless --dump-dom 'http://127.0.0.1:PORT/#input=…'`: the page draws a linked
 * dump's summary, services and lint findings as it loads, without a click, so the DOM Chromium
 * dumps holds them.
 */
const skip = browserSkipReason();
const run = promisify(execFile);

if (skip !== undefined) it.skip(`skipped: ${skip}`, () => {});

describe.skipIf(skip !== undefined)('chromium --dump-dom of a #input= link', () => {
  let server: RunningServer;
  const dump = readFileSync(join(root, 'examples/dumps/worker-1-drifted.iptables-save'), 'utf8');

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const dumpDom = async (url: string, extra: string[] = []) =>
    (await run(CHROMIUM, ['--headless', '--no-sandbox', ...extra, '--dump-dom', url], { maxBuffer: 64 << 20, timeout: 60_000 })).stdout;

  it('shows the findings and the services of a dump', async () => {
    const dom = await dumpDom(`${server.url}${plainFragment(dump)}`);
    expect(dom).toContain('data-testid="summary-kind">dump (iptables-save)<');
    expect(dom).toContain('data-testid="summary-findings">1 error, 1 warning<');
    expect([...dom.matchAll(/data-testid="finding" data-rule="([a-z-]+)" data-line="(\d+)"/g)].map((m) => `${m[1]}@${m[2]}`)).toEqual(['stale-sep@62', 'nodeports-not-last@137']);
    for (const service of ['kube-system/kube-dns:dns', 'shop/storefront:http', 'finance/billing-api:https']) expect(dom).toContain(`<code>${service}</code>`);
  });

  it('shows them for a deflated link too, once the page has had time to inflate it', async () => {
    const dom = await dumpDom(`${server.url}#input=z:${deflateRawSync(Buffer.from(dump, 'utf8')).toString('base64url')}`, ['--virtual-time-budget=10000']);
    expect(dom).toContain('data-testid="summary-findings">1 error, 1 warning<');
    expect(dom).toContain('data-rule="stale-sep"');
  });
});
