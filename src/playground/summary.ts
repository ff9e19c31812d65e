/// <reference lib="dom" />
import { clear, el } from './dom.js';
import type { PageContext } from './context.js';
import type { Analysis, AnalysisSummary } from './engine.js';

/** The summary of an analysis: what the input is, how much it holds, its services, its problems. */
export function renderSummary(box: HTMLElement, a: AnalysisSummary | Analysis | null, ctx: PageContext): void {
  clear(box);
  if (!a) {
    box.append(el('p', {}, 'Nothing analysed yet.'));
    return;
  }
  const findings = 'findings' in a ? a.findings : null;
  const errors = findings?.filter((f) => f.severity === 'error').length ?? 0;
  const warnings = findings?.filter((f) => f.severity === 'warning').length ?? 0;
  const fact = (label: string, value: string | number, testid: string) => el('div', {}, el('dt', {}, label), el('dd', { 'data-testid': testid }, String(value)));
  box.append(
    el(
      'dl',
      { class: 'summary-grid' },
      fact('input', a.kind === 'manifests' ? 'Kubernetes manifests' : `dump (${a.format})`, 'summary-kind'),
      fact('mode', a.mode, 'summary-mode'),
      fact('lines', a.lines, 'summary-lines'),
      fact('rules', a.rules, 'summary-rules'),
      fact('services', a.services.length, 'summary-services'),
      a.ipvsServices > 0 && fact('IPVS services', a.ipvsServices, 'summary-ipvs'),
      a.ipsets > 0 && fact('ipsets', a.ipsets, 'summary-ipsets'),
      fact('findings', findings ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'linting…', 'summary-findings'),
    ),
  );
  if (a.diagnostics.length > 0) {
    const list = el('ul', { class: 'diagnostics', 'data-testid': 'diagnostics' });
    for (const d of a.diagnostics.slice(0, 50)) {
      const jump = el('button', { type: 'button', class: 'link' }, `line ${d.line}`);
      jump.addEventListener('click', () => ctx.showInputLine(d.line));
      list.append(el('li', {}, jump, ` ${d.severity} ${d.code}: ${d.message}`));
    }
    box.append(list);
  }
  if (a.services.length > 0) {
    const list = el('ul', { class: 'services', 'data-testid': 'services', 'aria-label': 'Services' });
    for (const s of a.services.slice(0, 500)) {
      // A KUBE-SVL- (or, before 1.24, KUBE-XLB-) chain holds a port's node-local endpoints.
      const local = /^KUBE-(SVL|XLB)-/.test(s.chain) ? ', node-local' : '';
      list.append(el('li', { 'data-testid': 'service', title: s.chain }, el('code', {}, s.name), ` — ${s.endpoints} endpoint${s.endpoints === 1 ? '' : 's'}${local}${s.family === 'ipv6' ? ' (IPv6)' : ''}`));
    }
    if (a.services.length > 500) list.append(el('li', {}, `and ${a.services.length - 500} more`));
    box.append(list);
  }
}
