/// <reference lib="dom" />
import { clear, el } from '../dom.js';
import type { PageContext, View } from '../context.js';
import type { Analysis } from '../engine.js';
import { langSwitch } from './lang-switch.js';

/** Rows drawn at most; the rest are counted. */
const MAX_ROWS = 5000;

/** The Explain view: every line of an output in plain words, in English or Chinese. */
export function explainView(ctx: PageContext): View {
  const panel = el('div');
  const lang = langSwitch(ctx);
  const which = el('select', { id: 'explain-output', 'data-testid': 'explain-output' });
  const body = el('div', { 'data-testid': 'explain' });
  panel.append(el('div', { class: 'toolbar' }, el('label', { for: 'explain-output' }, 'Rules'), which, lang.node), body);
  let analysis: Analysis | null = null;
  let drawn = '';

  async function draw(): Promise<void> {
    const id = which.value;
    const key = `${id}/${ctx.lang()}`;
    if (!analysis || !id) {
      clear(body);
      return;
    }
    drawn = key;
    const rows = await ctx.engine().explain(id, ctx.lang());
    if (drawn !== key) return;
    clear(body);
    const table = el('table', { lang: ctx.lang() }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'line'), el('th', { scope: 'col' }, 'rule'), el('th', { scope: 'col' }, 'in plain words'))));
    const tbody = el('tbody');
    for (const r of rows.slice(0, MAX_ROWS)) {
      const jump = el('button', { type: 'button', 'aria-label': `show line ${r.line} in the rules` }, String(r.line));
      jump.addEventListener('click', () => ctx.showRule(id, r.line));
      tbody.append(el('tr', { 'data-testid': 'explain-row' }, el('td', {}, jump), el('td', { class: 'code' }, r.text), el('td', {}, r.sentence)));
    }
    table.append(tbody);
    body.append(table);
    if (rows.length > MAX_ROWS) body.append(el('p', {}, `and ${rows.length - MAX_ROWS} more lines`));
  }

  which.addEventListener('change', () => void draw());
  return {
    id: 'explain',
    label: 'Explain',
    panel,
    render(a) {
      analysis = a;
      clear(which);
      for (const o of a?.outputs ?? []) which.append(el('option', { value: o.id }, o.label));
      // Explaining is done when the view is first shown (it is the costliest view of a large dump).
      drawn = '';
      clear(body);
      if (!panel.hidden) void draw();
    },
    relang() {
      lang.update();
      if (!panel.hidden) void draw();
      else drawn = '';
    },
    shown() {
      if (drawn !== `${which.value}/${ctx.lang()}`) void draw();
    },
  };
}
