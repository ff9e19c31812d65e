/**
 * A worker thread of `rulec compile --all-nodes` (compile-workers.ts): gets the cluster once,
 * then compiles one node at a time and sends each node's rule text back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NodeIndependentParts } from '../../compiler/node-independent.js';
import { nodeRuleText } from './compile-node-rules.js';
import { clusterInWorker, type WorkerMessage, type WorkerReply, type WorkerStart } from './compile-workers.js';

const port = parentPort;
if (port) {
  const start = workerData as WorkerStart;
  const cluster = clusterInWorker(start.cluster);
  const parts = new NodeIndependentParts(cluster, true);
  /** Memory of earlier replies, given back once written. */
  const spare: ArrayBuffer[] = [];
  const memory = (bytes: number): ArrayBuffer => {
    const at = spare.findIndex((b) => b.byteLength >= bytes);
    if (at >= 0) return spare.splice(at, 1)[0] as ArrayBuffer;
    return new ArrayBuffer(Math.ceil(bytes * 1.25));
  };
  port.on('message', (message: WorkerMessage) => {
    if ('reuse' in message) {
      spare.push(message.reuse);
      return;
    }
    const job = message.job;
    let reply: WorkerReply;
    try {
      const text = nodeRuleText(cluster, job.settings, job.ipv6Settings, start.options, parts);
      const length = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
      // Memory of its own, handed over without a copy.
      const bytes = new Uint8Array(memory(length), 0, length);
      if (typeof text === 'string') Buffer.from(bytes.buffer, 0, length).write(text);
      else bytes.set(text);
      reply = { index: job.index, bytes };
      port.postMessage(reply, [bytes.buffer]);
    } catch (err) {
      reply = { index: job.index, error: err instanceof Error ? err.message : String(err) };
      port.postMessage(reply);
    }
  });
}
