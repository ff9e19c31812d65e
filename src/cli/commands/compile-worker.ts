/**
 * A worker thread of `rulec compile --all-nodes` (compile-workers.ts): gets the cluster once,
 * then compiles one node at a time and sends each node's rule text back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NodeIndependentParts } from '../../compiler/node-independent.js';
import { nodeRuleText } from './compile-node-rules.js';
import { clusterInWorker, type NodeJob, type WorkerReply, type WorkerStart } from './compile-workers.js';

const port = parentPort;
if (port) {
  const start = workerData as WorkerStart;
  const cluster = clusterInWorker(start.cluster);
  const parts = new NodeIndependentParts(cluster, true);
  port.on('message', (job: NodeJob) => {
    let reply: WorkerReply;
    try {
      const text = nodeRuleText(cluster, job.settings, job.ipv6Settings, start.options, parts);
      // A copy of its own, to hand over without copying again.
      const bytes = new Uint8Array(typeof text === 'string' ? Buffer.byteLength(text) : text.length);
      if (typeof text === 'string') Buffer.from(bytes.buffer).write(text);
      else bytes.set(text);
      reply = { index: job.index, bytes };
      port.postMessage(reply, [bytes.buffer]);
    } catch (err) {
      reply = { index: job.index, error: err instanceof Error ? err.message : String(err) };
      port.postMessage(reply);
    }
  });
}
