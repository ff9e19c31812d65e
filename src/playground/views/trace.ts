/// <reference lib="dom" />
import type { TraceOrigin, TraceProtocol } from '../../analysis/trace/packet.js';
import type { TraceResult } from '../../analysis/trace/result.js';
import type { TraceStep } from '../../analysis/trace/branch.js';
import { clear, el } from '../dom.js';
import type { PageContext, View } from '../context.js';
import type { Analysis } from '../engine.js';

/** The Trace view: where a packet goes, as `rulec trace` says, with the endpoints' shares drawn. */
export function traceView(ctx: PageContext): View {
  const panel = el('div');
  const dst = el('input', { type: 'text', id: 'trace-dst', name: 'dst', required: true, placeholder: '10.96.0.10:53 or kube-dns.kube-system:53', 'data-testid': 'trace-dst', autocomplete: 'off' });
  const proto = el('select', { id: 'trace-proto', name: 'proto', 'data-testid': 'trace-proto' }, ...(['tcp', 'udp', 'sctp', 'icmp'] as const).map((p) => el('option', { value: p }, p)));
  const src = el('input', { type: 'text', id: 'trace-src', name: 'src', placeholder: 'chosen for you', 'data-testid': 'trace-src', autocomplete: 'off' });
  const from = el('select', { id: 'trace-from', name: 'from', 'data-testid': 'trace-from' }, el('option', { value: '' }, 'as the source says'), ...(['pod', 'node', 'external'] as const).map((p) => el('option', { value: p }, p)));
  const form = el(
    'form',
    { class: 'trace-form', 'data-testid': 'trace-form', 'aria-label': 'Packet to trace' },
    el('label', { for: 'trace-dst' }, 'Destination (IP:port or service name)', dst),
    el('label', { for: 'trace-proto' }, 'Protocol', proto),
    el('label', { for: 'trace-src' }, 'Source IP (optional)', src),
    el('label', { for: 'trace-from' }, 'From', from),
    el('button', { type: 'submit', class: 'primary', 'data-testid': 'trace-run' }, 'Trace'),
  );
  const result = el('div', { 'data-testid': 'trace-result', 'aria-live': 'polite' });
  panel.append(form, result);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });

  async function run(): Promise<void> {
    clear(result);
    result.append(el('p', {}, 'Tracing…'));
    const reply = await ctx.engine().trace({
      destination: dst.value,
      protocol: proto.value as TraceProtocol,
      ...(src.value.trim() ? { source: src.value } : {}),
      ...(from.value ? { from: from.value as TraceOrigin } : {}),
    });
    clear(result);
    if (!reply.ok) {
      result.append(el('p', { class: 'sev-error', 'data-testid': 'trace-error' }, reply.error));
      return;
    }
    drawResult(reply.result, reply.text);
  }

  function drawResult(r: TraceResult, text: string): void {
    result.append(el(
      'div',
      {},
      el('p', { class: 'verdict', 'data-testid': 'trace-verdict' }, `Verdict: ${r.verdict}`),
      el('p', { 'data-testid': 'trace-packet' }, `${r.packet.protocol} ${r.packet.source} → ${r.packet.destination}, from ${r.packet.from}, entering nat ${r.packet.enters}`),
      r.service ? el('p', {}, `Service ${r.service.name}, reached by its ${r.service.via}`) : null,
      el('p', { 'data-testid': 'trace-masquerade' }, r.masquerade ? 'Masqueraded: the source address is rewritten to the node’s.' : 'Not masqueraded: the source address is kept.'),
      r.dns ? el('p', {}, `DNS: ${r.dns.name} ${r.dns.type} ${r.dns.records.join(', ')} — ${r.dns.note}`) : null,
      r.icmp ? el('p', {}, `ping ${r.icmp.answered ? 'answered' : 'not answered'}: ${r.icmp.reason}`) : null,
    ));
    if (r.endpoints.length > 0) {
      const bars = el('ul', { class: 'bars', 'data-testid': 'trace-endpoints', 'aria-label': 'Endpoints and their share of new connections' });
      for (const ep of r.endpoints) {
        const pct = Math.round(ep.probability * 100000) / 1000;
        bars.append(
          el(
            'li',
            { 'data-testid': 'trace-endpoint', 'data-endpoint': ep.destination, 'data-share': String(ep.probability) },
            el('code', {}, ep.destination),
            el('div', { class: 'bar-track', role: 'presentation' }, el('div', { class: 'bar', style: `width:${Math.max(0.5, ep.probability * 100)}%` })),
            el('span', { 'data-testid': 'trace-share' }, `${pct}%${ep.masquerade ? ' (masq)' : ''}`),
          ),
        );
      }
      result.append(el('h3', {}, 'Endpoints'), bars);
    }
    result.append(el('h3', {}, 'Path'), pathList(r.path));
    for (const [i, o] of r.outcomes.entries()) {
      if (o.path.length === 0) continue;
      result.append(el('h4', {}, `Way ${i + 1}: ${o.verdict}${o.destination ? ` to ${o.destination}` : ''}, ${Math.round(o.probability * 100000) / 1000}%`), pathList(o.path));
    }
    if (r.notes.length > 0) result.append(el('h3', {}, 'Notes'), el('ul', {}, ...r.notes.map((n) => el('li', {}, n.message))));
    result.append(el('details', {}, el('summary', {}, 'As rulec trace prints it'), el('pre', { class: 'out' }, text)));
  }

  function pathList(steps: readonly TraceStep[]): HTMLElement {
    return el(
      'ol',
      { class: 'path', 'data-testid': 'trace-path' },
      ...steps.map((s) => el('li', { 'data-testid': 'trace-step' }, el('code', {}, `${s.table} ${s.chain}${s.rule !== null ? ` #${s.rule}` : ''}`), ` ${s.action}`, s.comment ? ` — ${s.comment}` : '', el('div', { class: 'code' }, s.text))),
    );
  }

  return {
    id: 'trace',
    label: 'Trace',
    panel,
    render(a: Analysis | null) {
      clear(result);
      // A first destination to try: the first service's, when the summary knows an address.
      if (a && !dst.value) dst.placeholder = a.kind === 'manifests' ? 'kube-dns.kube-system:53 or 10.96.0.10:53' : '10.96.0.10:53';
    },
  };
}
