import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, plainFragment, root, startServer, type RunningServer } from './server.js';

/**
 * The playground in Firefox (Debian's firefox-esr, driven over WebDriver BiDi): the same page as
 * in Chromium reads a pasted dump from a link, explains a rule, traces a packet and makes no
 * request but for its own files.
 */
const FIREFOX = '/usr/bin/firefox-esr';
const skip = existsSync(FIREFOX) ? browserSkipReason() : `no ${FIREFOX} (Debian's firefox-esr package; .ci/run installs it)`;

if (skip !== undefined) it.skip(`skipped: ${skip}`, () => {});

describe.skipIf(skip !== undefined)('the playground in Firefox', () => {
  let server: RunningServer;
  let browser: Browser;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(fragment = ''): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on('request', (r) => {
      requests.push(r.url());
    });
    page.on('pageerror', (e) => {
      errors.push(String(e));
    });
    await page.goto(`${server.url}${fragment}`);
    await page.waitForSelector('[data-testid=summary-kind]');
    return page;
  }

  const text = (page: Page, testId: string) => page.$eval(`[data-testid=${testId}]`, (e) => (e as HTMLElement).innerText);

  it('reads a real pasted dump from a #input= link: its kind, services and findings', async () => {
    const dump = readFileSync(join(root, 'test/fixtures/pasted/ericpuwang-kind-whole-dump.txt'), 'utf8');
    const page = await open(plainFragment(dump));
    expect(await page.$eval('[data-testid=input]', (e) => (e as HTMLTextAreaElement).value)).toBe(dump);
    await expect.poll(() => text(page, 'summary-kind')).toMatch(/^dump \(/);
    expect(await text(page, 'services')).toContain('kube-system/kube-dns:dns');
    await page.close();
  }, 60_000);

  it('explains a clicked rule of the example cluster, as rulec explain --line 66 does', async () => {
    const page = await open();
    await expect.poll(() => text(page, 'summary-services')).toBe('10');
    await page.click('[data-testid=output-iptables]');
    const line = await page.waitForSelector('[data-testid=rule][data-line="66"]');
    await line?.click();
    await expect
      .poll(() => text(page, 'explanation-text'))
      .toBe('Packets to 10.96.0.10:53/udp (cluster IP of kube-system/kube-dns, port dns) go to KUBE-SVC-TCOU7JCQXEZGVUNU, which picks one of the endpoints.');
    await page.close();
  }, 60_000);

  it('traces a packet to kube-dns: two endpoints, half of the new connections each', async () => {
    const page = await open();
    await page.click('[data-testid=tab-trace]');
    await page.type('[data-testid=trace-dst]', 'kube-dns.kube-system:53');
    await page.select('[data-testid=trace-proto]', 'udp');
    await page.click('[data-testid=trace-run]');
    await page.waitForSelector('[data-testid=trace-endpoint]');
    const shares = await page.$$eval('[data-testid=trace-share]', (es) => es.map((e) => (e as HTMLElement).innerText));
    expect(shares).toEqual(['50%', '50%']);
    expect(await text(page, 'trace-verdict')).toBe('Verdict: DNAT');
    await page.close();
  }, 60_000);

  it('asked for nothing but its own files, and raised no error (no policy violation either)', () => {
    expect(requests.length).toBeGreaterThan(0);
    // data: URLs are no requests (Firefox reports its blank page and a built-in font as such).
    expect(requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
