/// <reference lib="dom" />
import type { Lang } from '../analysis/explain/language.js';
import { byId, clear, el } from './dom.js';
import { PageEngine, WORKER_THRESHOLD, WorkerEngine, type EngineClient } from './engine-client.js';
import type { Analysis, Stage } from './engine.js';
import { EXAMPLES } from './examples.js';
import { fragmentInput, inputFragment } from './fragment.js';
import type { PageContext, TabId, View } from './context.js';
import { renderSummary } from './summary.js';
import { diffView } from './views/diff.js';
import { explainView } from './views/explain.js';
import { findingsView } from './views/findings.js';
import { graphView } from './views/graph.js';
import { rulesView } from './views/rules.js';
import { traceView } from './views/trace.js';

const STAGE_WORDS: Record<Stage, string> = {
  parsing: 'Reading the input…',
  linting: 'Linting…',
  summarising: 'Summarising…',
  printing: 'Printing the rules…',
};

/** Builds the page's views, reads the input from the link (or the first example) and analyses it. */
export function startPage(scriptUrl: string): void {
  const input = byId<HTMLTextAreaElement>('input');
  const progress = byId<HTMLElement>('progress');
  const summary = byId<HTMLElement>('summary');
  const pageEngine = new PageEngine();
  let workerEngine: WorkerEngine | null = null;
  let engine: EngineClient = pageEngine;
  let analysis: Analysis | null = null;
  let analysedText = '';
  let lang: Lang = 'en';
  let run = 0;

  const ctx: PageContext = {
    engine: () => engine,
    engineFor(chars) {
      if (chars < WORKER_THRESHOLD) return pageEngine;
      workerEngine ??= new WorkerEngine(scriptUrl);
      return workerEngine;
    },
    analysis: () => analysis,
    text: () => analysedText,
    lang: () => lang,
    setLang(next) {
      if (next === lang) return;
      lang = next;
      for (const v of views) v.relang?.();
    },
    showTab: (id) => selectTab(id, true),
    showRule: (outputId, line) => {
      selectTab('rules', false);
      rules.show(outputId, line);
    },
    showInputLine(line) {
      const lines = input.value.split('\n');
      let start = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) start += (lines[i] ?? '').length + 1;
      input.focus();
      input.setSelectionRange(start, start + (lines[line - 1] ?? '').length);
      const lineHeight = parseFloat(getComputedStyle(input).lineHeight) || 16;
      input.scrollTop = Math.max(0, (line - 3) * lineHeight);
    },
  };

  const rules = rulesView(ctx);
  const views: View[] = [rules, explainView(ctx), findingsView(ctx), traceView(ctx), graphView(ctx), diffView(ctx)];
  const tablist = byId<HTMLElement>('tabs');
  const panels = byId<HTMLElement>('panels');
  const tabs = new Map<TabId, HTMLButtonElement>();
  for (const v of views) {
    const tab = el('button', { type: 'button', role: 'tab', id: `tab-${v.id}`, 'aria-controls': `panel-${v.id}`, 'aria-selected': 'false', tabindex: '-1', 'data-testid': `tab-${v.id}` }, v.label);
    tab.addEventListener('click', () => selectTab(v.id, true));
    tab.addEventListener('keydown', (e) => {
      const order = views.map((x) => x.id);
      const at = order.indexOf(v.id);
      const to = e.key === 'ArrowRight' ? order[(at + 1) % order.length] : e.key === 'ArrowLeft' ? order[(at + order.length - 1) % order.length] : e.key === 'Home' ? order[0] : e.key === 'End' ? order[order.length - 1] : undefined;
      if (to) {
        e.preventDefault();
        selectTab(to, true);
      }
    });
    tabs.set(v.id, tab);
    tablist.append(tab);
    v.panel.id = `panel-${v.id}`;
    v.panel.setAttribute('role', 'tabpanel');
    v.panel.setAttribute('aria-labelledby', `tab-${v.id}`);
    v.panel.setAttribute('data-testid', `panel-${v.id}`);
    v.panel.hidden = true;
    panels.append(v.panel);
  }

  function selectTab(id: TabId, focus: boolean): void {
    for (const v of views) {
      const selected = v.id === id;
      const tab = tabs.get(v.id);
      tab?.setAttribute('aria-selected', String(selected));
      tab?.setAttribute('tabindex', selected ? '0' : '-1');
      v.panel.hidden = !selected;
      if (selected) v.shown?.();
      if (selected && focus) tab?.focus();
    }
  }
  selectTab('rules', false);

  async function analyse(text: string): Promise<void> {
    const mine = ++run;
    analysedText = text;
    if (text.length >= WORKER_THRESHOLD) {
      workerEngine ??= new WorkerEngine(scriptUrl);
      engine = workerEngine;
    } else {
      engine = pageEngine;
    }
    progress.textContent = text.length >= WORKER_THRESHOLD ? `Reading ${Math.round(text.length / 1024)} KB in the background…` : '';
    try {
      const result = await engine.analyse(
        text,
        (stage) => {
          if (mine === run) progress.textContent = STAGE_WORDS[stage];
        },
        (head) => {
          if (mine === run) renderSummary(summary, head, ctx);
        },
      );
      if (mine !== run) return;
      analysis = result;
      progress.textContent = `Analysed ${result.lines} lines in ${result.millis} ms.`;
    } catch (err) {
      if (mine !== run) return;
      analysis = null;
      progress.textContent = `rulec could not read the input: ${err instanceof Error ? err.message : String(err)}`;
    }
    renderSummary(summary, analysis, ctx);
    for (const v of views) v.render(analysis);
  }

  // Input: typing (after a pause), a file picked or dropped, an example.
  let typing: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => void analyse(input.value), 400);
  });
  byId<HTMLButtonElement>('analyse').addEventListener('click', () => void analyse(input.value));
  const examples = byId<HTMLSelectElement>('example');
  EXAMPLES.forEach((e, i) => examples.append(el('option', { value: String(i) }, e.name)));
  examples.addEventListener('change', () => {
    const e = EXAMPLES[Number(examples.value)];
    if (!e || examples.value === '') return;
    input.value = e.text;
    void analyse(e.text);
  });
  const readFile = (file: File) =>
    void file.text().then((text) => {
      input.value = text;
      examples.value = '';
      return analyse(text);
    });
  byId<HTMLInputElement>('file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) readFile(file);
  });
  input.addEventListener('dragover', (e) => {
    e.preventDefault();
    input.classList.add('dragging');
  });
  input.addEventListener('dragleave', () => input.classList.remove('dragging'));
  input.addEventListener('drop', (e) => {
    input.classList.remove('dragging');
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    e.preventDefault();
    readFile(file);
  });

  // Share: a link that carries the input, compressed.
  const shareLink = byId<HTMLElement>('share-link');
  byId<HTMLButtonElement>('share').addEventListener('click', () => {
    void inputFragment(input.value, true).then((fragment) => {
      const url = `${location.origin}${location.pathname}${fragment}`;
      history.replaceState(null, '', fragment);
      clear(shareLink);
      shareLink.hidden = false;
      shareLink.append('Link to this input: ', el('a', { href: url, 'data-testid': 'share-url' }, url));
      void navigator.clipboard?.writeText(url).catch(() => {});
    });
  });

  // The first input: the link's, else the first example.
  const start = (text: string) => {
    input.value = text;
    return analyse(text);
  };
  const fromLink = readLink();
  if (fromLink === undefined) {
    examples.value = EXAMPLES.length > 0 ? '0' : '';
    void start(EXAMPLES[0]?.text ?? '');
  } else if (typeof fromLink === 'string') {
    void start(fromLink);
  } else {
    void fromLink.then(start, (err: unknown) => {
      progress.textContent = `The link's input cannot be read: ${err instanceof Error ? err.message : String(err)}`;
    });
  }
  window.addEventListener('hashchange', () => {
    const next = readLink();
    if (typeof next === 'string') void start(next);
    else if (next) void next.then(start);
  });

  function readLink(): string | Promise<string> | undefined {
    try {
      return fragmentInput(location.hash);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
