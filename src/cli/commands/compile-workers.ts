import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Cluster, EndpointSlice, Service } from '../../model/cluster.js';
import type { KubeProxyConfigObject } from '../../model/schemas/kube-proxy-config.js';
import type { ProxySettings } from '../../model/settings.js';
import { SourceDocument, type ObjectSource } from '../../model/source-document.js';
import type { RuleTextOptions } from './compile-node-rules.js';

/**
 * `rulec compile --all-nodes` on several threads: the nodes' compiles are shared out among
 * worker threads (compile-worker.ts), each holding a copy of the cluster, and the rule text of
 * each node comes back to the main thread, which writes the files. The text of a node depends on
 * nothing but the cluster and the node's settings, so which thread compiles it changes nothing.
 */

/** The environment variable that sets how many threads `--all-nodes` uses (1: none besides the main one). */
export const THREADS_ENV = 'RULEC_THREADS';

/**
 * Below this much work (the endpoints and ports of the cluster, times the nodes) the nodes are
 * compiled in the main thread: starting a thread and copying the cluster to it cost more.
 */
const MIN_WORK_FOR_THREADS = 200_000;

/** How many worker threads to compile `nodes` nodes of `cluster` with; 0 or 1 means in the main thread. */
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
  return Math.min(availableParallelism(), nodes);
}

/** The worker's module, beside this one (in dist/cli/commands/ or in the bundle); undefined when not built (the sources run as they are). */
export function workerEntry(): URL | undefined {
  const url = new URL('./compile-worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
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

/**
 * Compiles `jobs` on `threads` worker threads started from `entry`, handing each node's text to
 * `done` in the order they finish (`done` may be slow: a worker goes on with its next node).
 * Resolves when all are done, or with the first failure: a node whose compile threw, a worker
 * that ended, or `done` returning false (the worker threads are then stopped).
 */
export function compileInWorkers(
  entry: URL,
  threads: number,
  start: WorkerStart,
  jobs: readonly NodeJob[],
  done: (index: number, bytes: Uint8Array) => Promise<boolean>,
): Promise<{ ok: true } | { ok: false; index?: number; error?: string }> {
  return new Promise((resolve) => {
    const workers: Worker[] = [];
    let next = 0;
    let finished = 0;
    let over = false;
    let writing: Promise<boolean> = Promise.resolve(true);
    const end = (result: { ok: true } | { ok: false; index?: number; error?: string }) => {
      if (over) return;
      over = true;
      for (const w of workers) void w.terminate();
      resolve(result);
    };
    const give = (w: Worker) => {
      const job = jobs[next++];
      if (job) w.postMessage(job);
    };
    for (let t = 0; t < threads; t++) {
      const w = new Worker(entry, { workerData: start });
      workers.push(w);
      w.on('message', (reply: WorkerReply) => {
        if (over) return;
        if ('error' in reply) {
          end({ ok: false, index: reply.index, error: reply.error });
          return;
        }
        give(w);
        // The files are written one at a time, in the order the nodes come back.
        writing = writing.then((ok) => (ok && !over ? done(reply.index, reply.bytes) : false));
        void writing.then((ok) => {
          if (!ok) end({ ok: false });
          else if (++finished === jobs.length) end({ ok: true });
        });
      });
      w.on('error', (err: unknown) => end({ ok: false, error: err instanceof Error ? err.message : String(err) }));
      w.on('exit', (code) => {
        if (!over) end({ ok: false, error: `a compiling thread ended (exit code ${code})` });
      });
      give(w);
    }
    if (jobs.length === 0) end({ ok: true });
  });
}
