/// <reference lib="dom" />
import { clear, el } from '../dom.js';
import type { PageContext, View } from '../context.js';
import { EXAMPLES } from '../examples.js';

/** The Diff view: two inputs side by side and their semantic difference (`rulec diff A B`). */
export function diffView(ctx: PageContext): View {
  const panel = el('div');
  const a = el('textarea', { id: 'diff-a', 'data-testid': 'diff-a', spellcheck: 'false' });
  const b = el('textarea', { id: 'diff-b', 'data-testid': 'diff-b', spellcheck: 'false', placeholder: 'Paste the other side: manifests or a dump' });
  const useInput = el('button', { type: 'button', 'data-testid': 'diff-use-input' }, 'A = the input above');
  const run = el('button', { type: 'button', class: 'primary', 'data-testid': 'diff-run' }, 'Compare');
  const result = el('div', { 'data-testid': 'diff-result', 'aria-live': 'polite' });
  panel.append(
    el('div', { class: 'diff-inputs' }, el('div', {}, el('label', { for: 'diff-a' }, 'A (expected)'), a), el('div', {}, el('label', { for: 'diff-b' }, 'B (actual)'), b)),
    el('div', { class: 'toolbar' }, useInput, run),
    result,
  );
  // A first pair: the node's dump and the same node drifted.
  const dumps = EXAMPLES.filter((e) => e.name.includes('(dump)'));
  a.value = dumps[0]?.text ?? '';
  b.value = dumps[1]?.text ?? '';
  useInput.addEventListener('click', () => {
    a.value = ctx.text();
  });
  run.addEventListener('click', () => void compare());

  async function compare(): Promise<void> {
    clear(result);
    result.append(el('p', {}, 'Comparing…'));
    const reply = await ctx.engineFor(a.value.length + b.value.length).diff(a.value, b.value);
    clear(result);
    if (reply.diagnostics.length > 0) result.append(el('ul', { class: 'diagnostics' }, ...reply.diagnostics.slice(0, 30).map((d) => el('li', {}, `line ${d.line}: ${d.severity} ${d.code}: ${d.message}`))));
    if (!reply.ok) return;
    if (reply.equal) {
      result.append(el('p', { 'data-testid': 'diff-equal' }, 'No difference in meaning.'));
      return;
    }
    result.append(el('ul', { 'data-testid': 'diff-summary' }, ...reply.summary.map((s) => el('li', { 'data-testid': 'diff-line' }, s))));
    result.append(el('details', {}, el('summary', {}, 'As rulec diff prints it'), el('pre', { class: 'out' }, reply.text)));
  }

  return {
    id: 'diff',
    label: 'Diff',
    panel,
    render() {},
  };
}
