/// <reference lib="dom" />
import { clear, el } from '../dom.js';
import type { PageContext, View } from '../context.js';
import type { Analysis } from '../engine.js';
import { codeLinesHtml } from './code-lines.js';
import { langSwitch } from './lang-switch.js';

/**
 * The Rules view: each output (a mode's compiled text, or the dump as pasted and canonical) with
 * line numbers; a click on a line (or Enter on it) shows what it means.
 */
export function rulesView(ctx: PageContext): View & { show(outputId: string, line: number): void } {
  const panel = el('div');
  const choices = el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Which rules' });
  const code = el('div', { class: 'code-view', role: 'listbox', 'data-testid': 'rules', 'aria-label': 'Rules, one per line: the arrow keys move from line to line, and the explanation follows', tabindex: '0' });
  const explanation = el('div', { class: 'explanation', 'data-testid': 'explanation', 'aria-live': 'polite' }, 'Click a rule to see what it means.');
  const lang = langSwitch(ctx);
  panel.append(choices, el('div', { class: 'rules-split' }, code, el('div', {}, lang.node, explanation)));
  let current = '';
  let selected: number | null = null;
  let analysis: Analysis | null = null;

  function drawOutput(id: string): void {
    current = id;
    selected = null;
    const output = analysis?.outputs.find((o) => o.id === id);
    for (const b of choices.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset['output'] === id));
    code.innerHTML = output ? codeLinesHtml(output.text, `line-${id}`) : '';
    code.removeAttribute('aria-activedescendant');
    clear(explanation);
    explanation.append('Click a rule to see what it means.');
  }

  async function explainLine(line: number): Promise<void> {
    selected = line;
    for (const x of code.querySelectorAll('.current')) {
      x.classList.remove('current');
      x.setAttribute('aria-selected', 'false');
    }
    const row = code.querySelector<HTMLElement>(`[data-line="${line}"]`);
    row?.classList.add('current');
    row?.setAttribute('aria-selected', 'true');
    if (row) code.setAttribute('aria-activedescendant', row.id);
    const text = row?.querySelector('code')?.textContent ?? '';
    const id = current;
    const lang = ctx.lang();
    const rows = await ctx.engine().explain(id, lang);
    if (id !== current || selected !== line) return;
    const found = rows.filter((r) => r.line === line);
    clear(explanation);
    explanation.setAttribute('lang', lang);
    explanation.append(el('p', {}, el('strong', {}, `Line ${line}`), found[0]?.chain ? ` — chain ${found[0].chain}` : ''), el('p', { class: 'rule-text code' }, text));
    if (found.length === 0) explanation.append(el('p', { 'data-testid': 'explanation-text' }, lang === 'zh' ? '这一行没有单独的解释（空行、注释或表头）。' : 'Nothing to explain on this line (a blank line, a comment or a table header).'));
    for (const r of found) explanation.append(el('p', { 'data-testid': 'explanation-text' }, r.sentence));
  }

  code.addEventListener('click', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-line]');
    if (row) void explainLine(Number(row.dataset['line']));
  });
  code.addEventListener('keydown', (e) => {
    const rows = code.querySelectorAll<HTMLElement>('[data-line]');
    if (rows.length === 0) return;
    const at = selected ?? 0;
    const page = 20;
    const keys: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + page, PageUp: at - page, Home: 1, End: rows.length, Enter: at };
    const wanted = keys[e.key];
    const next = wanted === undefined ? 0 : Math.min(Math.max(wanted, 1), rows.length);
    if (next === 0) return;
    e.preventDefault();
    void explainLine(next);
    rows[next - 1]?.scrollIntoView({ block: 'nearest' });
  });

  return {
    id: 'rules',
    label: 'Rules',
    panel,
    render(a) {
      analysis = a;
      clear(choices);
      for (const o of a?.outputs ?? []) {
        const b = el('button', { type: 'button', 'data-output': o.id, 'data-testid': `output-${o.id}`, 'aria-pressed': 'false' }, o.label);
        b.addEventListener('click', () => drawOutput(o.id));
        choices.append(b);
      }
      if (a && a.outputs.length === 0) choices.append('No rules: the input has errors (see the summary).');
      drawOutput(a?.outputs[0]?.id ?? '');
    },
    relang() {
      lang.update();
      if (selected !== null) void explainLine(selected);
    },
    show(outputId, line) {
      if (outputId !== current) drawOutput(outputId);
      void explainLine(line);
      code.querySelector(`[data-line="${line}"]`)?.scrollIntoView({ block: 'center' });
    },
  };
}
