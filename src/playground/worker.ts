import { diffTexts, Session } from './engine.js';
import type { WorkerMessage, WorkerRequest } from './engine-client.js';

/** The worker's side of WorkerEngine: one session, answering the page's requests in turn. */
interface WorkerScope {
  onmessage: ((e: { data: WorkerRequest }) => void) | null;
  postMessage(message: WorkerMessage): void;
}

export function serveEngine(scope: WorkerScope): void {
  const session = new Session();
  scope.onmessage = (e) => {
    const r = e.data;
    try {
      let value: unknown;
      switch (r.op) {
        case 'analyse':
          value = session.analyse(
            r.text,
            (stage) => scope.postMessage({ id: r.id, progress: stage }),
            (summary) => scope.postMessage({ id: r.id, summary }),
          );
          break;
        case 'explain':
          value = session.explain(r.outputId, r.lang);
          break;
        case 'graph':
          value = session.graph(r.service);
          break;
        case 'trace':
          value = session.trace(r.request);
          break;
        case 'diff':
          value = diffTexts(r.a, r.b);
          break;
      }
      scope.postMessage({ id: r.id, ok: true, value });
    } catch (err) {
      scope.postMessage({ id: r.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  };
}
