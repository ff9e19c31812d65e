import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeDump } from './large-dump.js';
import { browserSkipReason, CHROMIUM, plainFragment, root, startServer, type RunningServer } from './server.js';

/**
 * The playground page itself, driven in headless Chromium: served by the built `rulec
 * playground`, loaded with each bundled example, a real pasted dump and `#input=` links; every
 * request it makes is recorded and must be for its own files. Screenshots of each view go to
 * RULEC_PLAYGROUND_SCREENSHOTS, else a temporary folder.
 */
const skip = browserSkipReason();

const screenshots = process.env['RULEC_PLAYGROUND_SCREENSHOTS'] ?? join(tmpdir(), 'rulec-playground-screenshots');

if (skip !== undefined) it.skip(`skipped: ${skip}`, () => {});

describe.skipIf(skip !== undefined)('the playground in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(fragment = ''): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    // A Content-Security-Policy violation (code made from text, a foreign resource) is reported on the console.
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.url}${fragment}`);
    await page.getByTestId('summary-kind').waitFor();
    return page;
  }

  /** A screenshot of the page scrolled to the summary and the views. */
  const shot = async (page: Page, name: string) => {
    await page.locator('#summary-heading').evaluate((e) => e.scrollIntoView());
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });
  };

  it('loads each bundled example and summarises it', async () => {
    const page = await open();
    const options = await page.getByTestId('example').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));
    expect(options.length).toBeGreaterThanOrEqual(4);
    for (const value of options) {
      await page.getByTestId('example').selectOption(value);
      const name = await page.getByTestId('example').locator(`option[value="${value}"]`).innerText();
      await expect.poll(() => page.getByTestId('input').inputValue()).not.toBe('');
      await expect.poll(() => page.getByTestId('summary-kind').innerText()).toBe(name.includes('(dump)') ? 'dump (iptables-save)' : 'Kubernetes manifests');
      await expect.poll(async () => Number(await page.getByTestId('summary-services').innerText())).toBeGreaterThan(0);
      expect(await page.getByTestId('service').count()).toBeGreaterThan(0);
    }
    await page.getByTestId('example').selectOption('0');
    await expect.poll(() => page.getByTestId('summary-services').innerText()).toBe('10');
    await expect(page.getByTestId('service').filter({ hasText: 'kube-system/kube-dns:dns' }).first().innerText()).resolves.toContain('2 endpoints');
    await shot(page, 'summary');
    await page.close();
  });

  it('reads a real pasted dump from a #input= link, with its services and findings', async () => {
    const dump = readFileSync(join(root, 'test/fixtures/pasted/ericpuwang-kind-whole-dump.txt'), 'utf8');
    const page = await open(plainFragment(dump));
    expect(await page.getByTestId('input').inputValue()).toBe(dump);
    expect(await page.getByTestId('summary-kind').innerText()).toMatch(/^dump \(/);
    expect(Number(await page.getByTestId('summary-services').innerText())).toBeGreaterThan(0);
    await expect(page.getByTestId('services').innerText()).resolves.toContain('kube-system/kube-dns:dns');
    await page.close();
  });

  it('explains a clicked rule in English and in Chinese', async () => {
    const page = await open();
    await page.getByTestId('output-iptables').click();
    const rule = page.getByTestId('rule').filter({ hasText: '-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp' }).first();
    await rule.click();
    expect(await rule.getAttribute('data-line')).toBe('66');
    // The sentences `rulec explain examples/cluster --line 66` prints, in each language.
    const explanation = page.getByTestId('explanation-text').first();
    await expect
      .poll(() => explanation.innerText())
      .toBe('Packets to 10.96.0.10:53/udp (cluster IP of kube-system/kube-dns, port dns) go to KUBE-SVC-TCOU7JCQXEZGVUNU, which picks one of the endpoints.');
    await shot(page, 'rules');
    await page.getByTestId('lang-zh').first().click();
    await expect
      .poll(() => page.getByTestId('explanation-text').first().innerText())
      .toBe('发往 10.96.0.10:53/udp（kube-system/kube-dns 的端口 dns 的集群 IP）的包转到 KUBE-SVC-TCOU7JCQXEZGVUNU（从所有端点中选择一个）。');
    expect(await page.getByTestId('explanation').getAttribute('lang')).toBe('zh');
    await page.getByTestId('tab-explain').click();
    await expect.poll(() => page.getByTestId('explain-row').count()).toBeGreaterThan(50);
    await expect(page.getByTestId('explain').innerText()).resolves.toMatch(/[\u4e00-\u9fff]/);
    await shot(page, 'explain-zh');
    await page.locator('#panel-explain [data-testid=lang-en]').click();
    await expect.poll(() => page.getByTestId('explain').innerText()).not.toMatch(/[\u4e00-\u9fff]{4}/);
    await page.close();
  });

  it('explains the rules of every mode, each from its own text', async () => {
    const page = await open();
    // A line of each output and what `rulec explain` says of it.
    const lines: [string, RegExp, RegExp][] = [
      ['ipvs', /-A -t 10\.96\.0\.10:53 -s rr/, /^IPVS virtual service -t 10\.96\.0\.10:53: balances new connections round robin among its 2 real servers\.$/],
      ['nftables', /add rule ip kube-proxy services ip daddr \. meta l4proto/, /are looked up in @service-ips/],
      ['as-saved', /-A KUBE-SERVICES -d 10\.96\.0\.10\/32 -p udp/, /^Packets to 10\.96\.0\.10:53\/udp \(cluster IP of kube-system\/kube-dns, port dns\)/],
    ];
    for (const [output, line, sentence] of lines) {
      await page.getByTestId(`output-${output}`).click();
      await page.getByTestId('rule').filter({ hasText: line }).first().click();
      await expect.poll(() => page.getByTestId('explanation-text').first().innerText()).toMatch(sentence);
    }
    await page.close();
  });

  it('works from the keyboard: tabs, rule lines, their explanations', async () => {
    const page = await open();
    await page.getByTestId('tab-rules').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('tab-explain').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tab-explain');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('tab-rules').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('rules').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('rules').getAttribute('aria-activedescendant')).toBe('line-iptables-2');
    await expect.poll(() => page.getByTestId('explanation').innerText()).toMatch(/^Line 2/);
    await page.close();
  });

  it('lists lint findings with their rule pages, and jumps to the line', async () => {
    const page = await open();
    await page.getByTestId('example').selectOption({ label: 'worker-1 drifted: a node with stale rules (dump)' });
    await expect.poll(() => page.getByTestId('summary-findings').innerText()).toBe('1 error, 1 warning');
    await page.getByTestId('tab-findings').click();
    const findings = page.getByTestId('finding');
    await expect.poll(() => findings.count()).toBe(2);
    expect(await findings.first().getAttribute('data-rule')).toBe('stale-sep');
    expect(await findings.first().locator('a').getAttribute('href')).toMatch(/docs\/rules\/stale-sep\.md$/);
    await shot(page, 'findings');
    await findings.first().getByRole('button').click();
    await expect.poll(() => page.getByTestId('tab-rules').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.locator('.code-line.current').getAttribute('data-line')).toBe('62');
    await page.close();
  });

  it('traces a packet to kube-dns and shows the endpoint shares', async () => {
    const page = await open();
    await page.getByTestId('tab-trace').click();
    await page.getByTestId('trace-dst').fill('kube-dns.kube-system:53');
    await page.getByTestId('trace-proto').selectOption('udp');
    await page.getByTestId('trace-run').click();
    const endpoints = page.getByTestId('trace-endpoint');
    await expect.poll(() => endpoints.count()).toBe(2);
    expect(await endpoints.evaluateAll((es) => es.map((e) => [e.getAttribute('data-endpoint'), e.getAttribute('data-share')]))).toEqual([
      ['10.244.1.7:53', '0.5'],
      ['10.244.2.4:53', '0.5'],
    ]);
    expect(await page.getByTestId('trace-share').allInnerTexts()).toEqual(['50%', '50%']);
    expect(await page.getByTestId('trace-verdict').innerText()).toBe('Verdict: DNAT');
    expect(await page.getByTestId('trace-step').count()).toBeGreaterThan(2);
    await shot(page, 'trace');
    await page.close();
  });

  it('draws the chain graph, filtered to one service', async () => {
    const page = await open();
    await page.getByTestId('tab-graph').click();
    const node = (id: string) => page.locator(`[data-testid=graph-node][data-id="${id}"]`);
    await expect.poll(() => node('nat/PREROUTING').count()).toBe(1);
    expect(await node('nat/KUBE-SERVICES').count()).toBe(1);
    expect(await node('ep/10.244.1.7:53').getAttribute('data-kind')).toBe('endpoint');
    const all = await page.getByTestId('graph-node').count();
    await page.getByTestId('graph-filter').selectOption('kube-system/kube-dns');
    await expect.poll(() => page.getByTestId('graph-node').count()).toBeLessThan(all);
    expect(await node('ep/10.244.2.4:53').count()).toBe(1);
    expect(await page.locator('[data-testid=graph-node][data-id^="ep/10.244.3."]').count()).toBe(0);
    expect(await page.getByTestId('graph-edge').count()).toBeGreaterThan(3);
    await shot(page, 'graph');
    const before = await page.getByTestId('graph').getAttribute('viewBox');
    const box = await page.locator('.graph-box').boundingBox();
    if (box) {
      await page.mouse.move(box.x + 200, box.y + 200);
      await page.mouse.down();
      await page.mouse.move(box.x + 100, box.y + 150);
      await page.mouse.up();
    }
    expect(await page.getByTestId('graph').getAttribute('viewBox')).not.toBe(before);
    await page.close();
  });

  it('diffs two inputs', async () => {
    const page = await open();
    await page.getByTestId('tab-diff').click();
    await page.getByTestId('diff-run').click();
    await expect.poll(() => page.getByTestId('diff-line').count()).toBeGreaterThan(0);
    await expect(page.getByTestId('diff-summary').innerText()).resolves.toMatch(/KUBE-SEP-F4IHUL7I7ON35CXQ/);
    await shot(page, 'diff');
    await page.close();
  });

  it('opens #input= links, plain and deflated (z:), and makes them with the share button', async () => {
    const text = readFileSync(join(root, 'examples/cluster/kube-dns.yaml'), 'utf8');
    const plain = await open(plainFragment(text));
    expect(await plain.getByTestId('input').inputValue()).toBe(text);
    expect(await plain.getByTestId('summary-services').innerText()).toBe('3');
    await plain.close();
    const z = await open(`#input=z:${deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url')}`);
    await expect.poll(() => z.getByTestId('input').inputValue()).toBe(text);
    await expect.poll(() => z.getByTestId('summary-services').innerText()).toBe('3');
    await z.getByTestId('share').click();
    const link = await z.getByTestId('share-url').getAttribute('href');
    expect(link).toMatch(/#input=z:[A-Za-z0-9_-]+$/);
    const payload = (link ?? '').replace(/^.*#input=z:/, '');
    expect(Buffer.from(payload, 'base64url').length).toBeGreaterThan(0);
    await z.close();
    const shared = await open((link ?? '').replace(/^[^#]*/, ''));
    await expect.poll(() => shared.getByTestId('input').inputValue()).toBe(text);
    await shared.close();
  });

  it('reads a large dump in a worker, without freezing the page', async () => {
    // About 1 MB: the example node's dump with many more services.
    const base = readFileSync(join(root, 'examples/dumps/worker-1.iptables-save'), 'utf8');
    const big = largeDump(base, 2400);
    expect(big.length).toBeGreaterThan(900_000);
    const page = await open();
    const started = Date.now();
    await page.getByTestId('input').evaluate((input, text) => {
      (input as HTMLTextAreaElement).value = text;
    }, big);
    await page.getByTestId('analyse').click();
    // The page answers while the worker reads.
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    await expect.poll(() => page.getByTestId('summary-services').innerText(), { timeout: 30_000 }).toBe(String(2400 + 10));
    const took = Date.now() - started;
    console.log(`playground: a ${Math.round(big.length / 1024)} KB dump summarised in ${took} ms`);
    // A couple of seconds on an idle machine; generous here, where other tests share the processors.
    expect(took).toBeLessThan(15_000);
    await expect.poll(() => page.getByTestId('progress').innerText(), { timeout: 30_000 }).toMatch(/^Analysed 14\d{3} lines/);
    expect(await page.getByTestId('rule').count()).toBeGreaterThan(14_000);
    await page.close();
  });

  it('asks for nothing but its own files, and reports no error (no policy violation either)', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
