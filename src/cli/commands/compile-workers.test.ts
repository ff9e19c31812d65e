import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProxySettings } from '../../model/settings.js';
import { compileInThreads, threadCount, type NodeJob, type WorkerStart } from './compile-workers.js';

/**
 * The thread pool of `compile --all-nodes`, with stand-in workers: each node is compiled once,
 * by the main thread or a worker, and handed over once; a failure anywhere ends the run with it.
 */

/** A stand-in worker module: replies `worker N` for node N, an error for node `failAt`. */
function standIn(body: string): URL {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-workers-'));
  const file = join(dir, 'worker.mjs');
  writeFileSync(file, `import { parentPort } from 'node:worker_threads';\n${body}\n`);
  return pathToFileURL(file);
}

const REPLYING = standIn(`
parentPort.on('message', (m) => {
  if ('reuse' in m) return;
  const index = m.job.index;
  const bytes = new TextEncoder().encode('worker ' + index);
  parentPort.postMessage({ index, bytes }, [bytes.buffer]);
});`);

const start = { cluster: { services: [], slices: [], config: null }, options: { ipvsEmit: 'ipvsadm', withHooks: false, asSaved: false, asListed: false } } satisfies WorkerStart;
const jobs: NodeJob[] = Array.from({ length: 40 }, (_, index) => ({ index, settings: {} as ProxySettings, ipv6Settings: undefined }));

describe('compileInThreads', () => {
  it('hands over every node once, from the main thread or a worker', async () => {
    const got = new Map<number, string>();
    const result = await compileInThreads(REPLYING, 2, start, jobs, (i) => `main ${i}`, async (i, bytes) => {
      expect(got.has(i)).toBe(false);
      got.set(i, typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
      return true;
    });
    expect(result).toEqual({ ok: true });
    expect([...got.keys()].sort((a, b) => a - b)).toEqual(jobs.map((j) => j.index));
    for (const [i, text] of got) expect([`main ${i}`, `worker ${i}`]).toContain(text);
  });

  it('ends with the node a worker could not compile', async () => {
    const failing = standIn(`parentPort.on('message', (m) => { if ('job' in m) parentPort.postMessage({ index: m.job.index, error: 'no room for the rules' }); });`);
    const slowMain = (i: number): string => {
      const until = Date.now() + 20;
      while (Date.now() < until);
      return `main ${i}`;
    };
    // The worker is given the first nodes.
    expect(await compileInThreads(failing, 1, start, jobs, slowMain, async () => true)).toEqual({ ok: false, index: 0, error: 'no room for the rules' });
  });

  it('ends with the error of a node the main thread could not compile, or of a worker that fails to start', async () => {
    let failed: number | undefined;
    const inMain = (i: number): string => {
      failed = i;
      throw new Error('out of memory');
    };
    const result1 = await compileInThreads(REPLYING, 1, start, jobs, inMain, async () => true);
    expect(result1).toEqual({ ok: false, index: failed, error: 'out of memory' });
    const broken = standIn(`throw new Error('cannot load');`);
    const result = await compileInThreads(broken, 1, start, jobs, (i) => {
      const until = Date.now() + 20;
      while (Date.now() < until);
      return `main ${i}`;
    }, async () => true);
    expect(result).toEqual({ ok: false, error: 'cannot load' });
  });

  it('stops when a node cannot be written', async () => {
    let written = 0;
    const result = await compileInThreads(REPLYING, 1, start, jobs, (i) => `main ${i}`, async () => ++written < 3);
    expect(result).toEqual({ ok: false });
    expect(written).toBe(3);
  });
});

describe('threadCount', () => {
  const cluster = (endpoints: number) => ({ services: [], slices: [{ endpoints: new Array(endpoints), ports: [{}] }] }) as never;
  it('is the main thread alone for one node or a small cluster, else the cores up to the nodes; RULEC_THREADS says otherwise', () => {
    expect(threadCount(cluster(100_000), 1, {})).toBe(0);
    expect(threadCount(cluster(100), 10, {})).toBe(0);
    expect(threadCount(cluster(100_000), 2, {})).toBeGreaterThanOrEqual(1);
    expect(threadCount(cluster(100_000), 2, {})).toBeLessThanOrEqual(2);
    expect(threadCount(cluster(100), 10, { RULEC_THREADS: '4' })).toBe(4);
    expect(threadCount(cluster(100), 3, { RULEC_THREADS: '8' })).toBe(3);
    expect(threadCount(cluster(100_000), 10, { RULEC_THREADS: '1' })).toBe(1);
  });
});
