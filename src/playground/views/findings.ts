/// <reference lib="dom" />
import { clear, el } from '../dom.js';
import type { PageContext, View } from '../context.js';

/** The Findings view: `rulec lint`'s results, each with its rule's page and a jump to its line. */
export function findingsView(ctx: PageContext): View {
  const panel = el('div');
  const body = el('div', { 'data-testid': 'findings' });
  panel.append(body);
  return {
    id: 'findings',
    label: 'Findings',
    panel,
    render(a) {
      clear(body);
      if (!a) return;
      if (a.findings.length === 0) {
        body.append(el('p', { 'data-testid': 'no-findings' }, 'rulec lint finds nothing wrong.'));
        return;
      }
      const table = el('table', {}, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'line'), el('th', { scope: 'col' }, 'severity'), el('th', { scope: 'col' }, 'rule'), el('th', { scope: 'col' }, 'message'))));
      const tbody = el('tbody');
      for (const f of a.findings) {
        const jump = el('button', { type: 'button', 'aria-label': `go to line ${f.line}` }, `${f.line}:${f.column}`);
        jump.addEventListener('click', () => {
          // A dump's line is a line of the rules as pasted; a manifest's, of the input.
          if (a.kind === 'dump' && a.outputs.some((o) => o.id === 'pasted')) ctx.showRule('pasted', f.line);
          else ctx.showInputLine(f.line);
        });
        tbody.append(
          el(
            'tr',
            { 'data-testid': 'finding', 'data-rule': f.ruleId, 'data-line': f.line },
            el('td', {}, jump),
            el('td', { class: `sev-${f.severity}` }, f.severity),
            el('td', {}, el('a', { href: f.docs, target: '_blank', rel: 'noopener noreferrer' }, f.ruleId)),
            el('td', {}, f.message),
          ),
        );
      }
      table.append(tbody);
      body.append(table);
    },
  };
}
