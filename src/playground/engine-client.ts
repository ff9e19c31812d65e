/// <reference lib="dom" />
import type { ChainGraph } from '../analysis/graph/graph.js';
import type { Lang } from '../analysis/explain/language.js';
import { diffTexts, Session, type Analysis, type AnalysisSummary, type DiffReply, type ExplainRow, type Stage, type TraceReply, type TraceRequest } from './engine.js';

/**
 * The page's way to the engine: in the page itself for ordinary inputs (answers come at once,
 * so a page opened with `#input=` is drawn before its load event), or in a Web Worker for large
 * ones, so that the page never freezes while they are read.
 */
export interface EngineClient {
  /** Analyses `text`; `early` gets the summary first. */
  analyse(text: string, progress: (stage: Stage) => void, early: (summary: AnalysisSummary) => void): Promise<Analysis>;
  explain(outputId: string, lang: Lang): Promise<ExplainRow[]>;
  graph(service?: string): Promise<ChainGraph>;
  trace(request: TraceRequest): Promise<TraceReply>;
  diff(a: string, b: string): Promise<DiffReply>;
}

/** Inputs from this many characters on are read in a worker. */
export const WORKER_THRESHOLD = 200_000;

export class PageEngine implements EngineClient {
  private session = new Session();
  analyse(text: string, progress: (stage: Stage) => void, early: (summary: AnalysisSummary) => void): Promise<Analysis> {
    return settle(() => this.session.analyse(text, progress, early));
  }
  explain(outputId: string, lang: Lang): Promise<ExplainRow[]> {
    return settle(() => this.session.explain(outputId, lang));
  }
  graph(service?: string): Promise<ChainGraph> {
    return settle(() => this.session.graph(service));
  }
  trace(request: TraceRequest): Promise<TraceReply> {
    return settle(() => this.session.trace(request));
  }
  diff(a: string, b: string): Promise<DiffReply> {
    return settle(() => diffTexts(a, b));
  }
}

function settle<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/** A request to the worker, and its answer. */
export type WorkerRequest =
  | { id: number; op: 'analyse'; text: string }
  | { id: number; op: 'explain'; outputId: string; lang: Lang }
  | { id: number; op: 'graph'; service?: string }
  | { id: number; op: 'trace'; request: TraceRequest }
  | { id: number; op: 'diff'; a: string; b: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export type WorkerMessage = { id: number; progress: Stage } | { id: number; summary: AnalysisSummary } | { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export class WorkerEngine implements EngineClient {
  private worker: Worker;
  private next = 1;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (s: Stage) => void; early?: (s: AnalysisSummary) => void }>();

  constructor(scriptUrl: string) {
    this.worker = new Worker(scriptUrl, { type: 'module', name: 'rulec-engine' });
    this.worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      const w = this.waiting.get(m.id);
      if (!w) return;
      if ('progress' in m) {
        w.progress?.(m.progress);
        return;
      }
      if ('summary' in m) {
        w.early?.(m.summary);
        return;
      }
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(m.error));
    };
  }

  private ask<T>(request: WithoutId<WorkerRequest>, progress?: (s: Stage) => void, early?: (s: AnalysisSummary) => void): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(progress ? { progress } : {}), ...(early ? { early } : {}) });
      this.worker.postMessage({ ...request, id });
    });
  }

  analyse(text: string, progress: (stage: Stage) => void, early: (summary: AnalysisSummary) => void): Promise<Analysis> {
    return this.ask({ op: 'analyse', text }, progress, early);
  }
  explain(outputId: string, lang: Lang): Promise<ExplainRow[]> {
    return this.ask({ op: 'explain', outputId, lang });
  }
  graph(service?: string): Promise<ChainGraph> {
    return this.ask(service ? { op: 'graph', service } : { op: 'graph' });
  }
  trace(request: TraceRequest): Promise<TraceReply> {
    return this.ask({ op: 'trace', request });
  }
  diff(a: string, b: string): Promise<DiffReply> {
    return this.ask({ op: 'diff', a, b });
  }
}
