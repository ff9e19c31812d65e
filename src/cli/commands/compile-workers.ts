import { existsSync } from 'node:fs';
import { availableParallelism, freemem } from 'node:os';
import { estimatedTextBytes } from '../../compiler/iptables/index.js';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Cluster, EndpointSlice, Service } from '../../model/cluster.js';
import type { KubeProxyConfigObject } from '../../model/schemas/kube-proxy-config.js';
import type { ProxySettings } from '../../model/settings.js';
import { SourceDocument, type ObjectSource } from '../../model/source-document.js';
import type { RuleTextOptions } from './compile-node-rules.js';

/**
 * `rulec compile --all-nodes` on several threads: the nodes' compiles are shared out among the
 * main thread and worker threads (compile-worker.ts), each holding a copy of the cluster, and the
 * rule text of each node comes to the main thread, which writes the files. The text of a node
 * depends on nothing but the cluster and the node's settings, so which thread compiles it
 * changes nothing.
 */

/** The environment variable that sets how many threads `--all-nodes` uses (1: none besides the main one). */
export const THREADS_ENV = 'RULEC_THREADS';

/**
 * Below this much work (the endpoints and ports of the cluster, times the nodes) the nodes are
 * compiled in the main thread: starting a thread and copying the cluster to it cost more.
 */
const MIN_WORK_FOR_THREADS = 200_000;

/** How many threads (the main one and worker threads) to compile `nodes` nodes of `cluster` on; 0 or 1 means the main thread alone. */
export function threadCount(cluster: Cluster, nodes: number, env: Record<string, string | undefined>): number {
  const asked = env[THREADS_ENV];
  if (asked !== undefined && asked !== '') {
    const n = Number(asked);
    if (Number.isSafeInteger(n) && n >= 0) return Math.min(n, nodes);
  }
  if (nodes < 2) return 0;
  let work = 0;
  for (const s of cluster.slices) work += s.endpoints.length * Math.max(1, s.ports.length);
  for (const s of cluster.services) work += s.ports.length;
  if (work * nodes < MIN_WORK_FOR_THREADS) return 0;
  // Each thread holds a node's rules a few times over (its text, in canonical order, kept for the
  // next nodes, on its way to the main thread): no more threads than half the free memory holds.
  const perThread = 4 * estimatedTextBytes(cluster);
  const fit = Math.max(1, Math.floor(freemem() / 2 / perThread));
  return Math.min(availableParallelism(), nodes, fit);
}

/** The worker's module, beside this one (in dist/cli/commands/ or in the bundle); undefined when not built (the sources run as they are). */
export function workerEntry(): URL | undefined {
  const url = new URL('./compile-worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Options of `node` that take the next argument as their value. */
const WITH_VALUE = new Set(['-e', '--eval', '-p', '--print', '--input-type']);

/**
 * The process's Node.js options for the worker threads, without those that say what the main
 * thread runs (`-e CODE`, `--input-type`): a thread refuses them.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('--input-type=') && !a.startsWith('--eval=') && !a.startsWith('--print=')) out.push(a);
  }
  return out;
}

type Sourceless<T> = Omit<T, 'src'>;

/** The cluster as a worker gets it: what the compilers read, without the source documents. */
export interface ClusterForWorker {
  services: Sourceless<Service>[];
  slices: Sourceless<EndpointSlice>[];
  config: { value: KubeProxyConfigObject } | null;
}

export interface WorkerStart {
  cluster: ClusterForWorker;
  options: RuleTextOptions;
}

/** One node to compile. */
export interface NodeJob {
  index: number;
  settings: ProxySettings;
  ipv6Settings: ProxySettings | undefined;
}

/** What the main thread sends a worker: a node to compile, or the memory of a reply it is done with, to fill again. */
export type WorkerMessage = { job: NodeJob } | { reuse: ArrayBuffer };

export type WorkerReply = { index: number; bytes: Uint8Array } | { index: number; error: string };

export function clusterForWorker(cluster: Cluster): ClusterForWorker {
  const strip = <T extends { src: ObjectSource }>(o: T): Sourceless<T> => {
    const { src: _src, ...rest } = o;
    return rest;
  };
  return { services: cluster.services.map(strip), slices: cluster.slices.map(strip), config: cluster.config ? { value: cluster.config.value } : null };
}

/** The cluster a worker compiles, every object pointing at one empty source (nothing is reported from there). */
export function clusterInWorker(c: ClusterForWorker): Cluster {
  const src: ObjectSource = { doc: new SourceDocument('<input>', '', 0), path: [] };
  return {
    services: c.services.map((s) => ({ ...s, src })),
    slices: c.slices.map((s) => ({ ...s, src })),
    nodes: [],
    node: null,
    workloads: [],
    config: c.config ? { value: c.config.value, src } : null,
    skipped: [],
  };
}

/** Nodes a worker thread is given ahead, so that it never waits for the main thread to hand it the next. */
const AHEAD = 2;

export type CompileResult = { ok: true } | { ok: false; index?: number; error?: string };

/**
 * Compiles `jobs` on the main thread (`inMain`) and `workers` worker threads started from
 * `entry`, all taking the next node from one queue, and hands each node's text to `done` in the
 * order they finish, one at a time. Resolves when all are done, or with the first failure: a
 * node whose compile threw, a worker that ended, or `done` resolving to false (the worker
 * threads are then stopped).
 */
export function compileInThreads(
  entry: URL,
  workers: number,
  start: WorkerStart,
  jobs: readonly NodeJob[],
  inMain: (index: number) => string | Uint8Array,
  done: (index: number, bytes: string | Uint8Array) => Promise<boolean>,
): Promise<CompileResult> {
  return new Promise((resolve) => {
    const threads: Worker[] = [];
    let next = 0;
    let finished = 0;
    let over = false;
    let writing: Promise<boolean> = Promise.resolve(true);
    const end = (result: CompileResult) => {
      if (over) return;
      over = true;
      for (const w of threads) void w.terminate();
      resolve(result);
    };
    // The files are written one at a time, in the order the nodes come.
    const compiled = (index: number, bytes: string | Uint8Array): Promise<boolean> => {
      writing = writing.then((ok) => (ok && !over ? done(index, bytes) : false));
      return writing.then((ok) => {
        if (!ok) end({ ok: false });
        else if (++finished === jobs.length) end({ ok: true });
        return ok;
      });
    };
    const give = (w: Worker) => {
      const job = jobs[next++];
      if (job) w.postMessage({ job } satisfies WorkerMessage);
    };
    for (let t = 0; t < workers; t++) {
      const w = new Worker(entry, { workerData: start, execArgv: workerExecArgv() });
      threads.push(w);
      w.on('message', (reply: WorkerReply) => {
        if (over) return;
        if ('error' in reply) {
          end({ ok: false, index: reply.index, error: reply.error });
          return;
        }
        give(w);
        void compiled(reply.index, reply.bytes).then((ok) => {
          // Written: the worker fills the same memory again (fresh memory costs a page fault a page).
          const buffer = reply.bytes.buffer;
          if (ok && !over && buffer instanceof ArrayBuffer) w.postMessage({ reuse: buffer } satisfies WorkerMessage, [buffer]);
        });
      });
      w.on('error', (err: unknown) => end({ ok: false, error: err instanceof Error ? err.message : String(err) }));
      w.on('exit', (code) => {
        if (!over) end({ ok: false, error: `a compiling thread ended (exit code ${code})` });
      });
      for (let k = 0; k < AHEAD; k++) give(w);
    }
    if (jobs.length === 0) end({ ok: true });
    // The main thread takes its share, letting the worker threads' replies in between nodes.
    void (async () => {
      while (!over) {
        const job = jobs[next++];
        if (!job) return;
        let bytes: string | Uint8Array;
        try {
          bytes = inMain(job.index);
        } catch (err) {
          end({ ok: false, index: job.index, error: err instanceof Error ? err.message : String(err) });
          return;
        }
        if (!(await compiled(job.index, bytes))) return;
        // The worker threads' replies, before the next node.
        await new Promise((done) => setImmediate(done));
      }
    })();
  });
}
