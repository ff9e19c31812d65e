/// <reference lib="dom" />
import type { ChainGraph } from '../../analysis/graph/graph.js';
import { clear, el, svg } from '../dom.js';
import type { PageContext, View } from '../context.js';
import type { Analysis } from '../engine.js';
import { layoutGraph } from '../graph-layout.js';

/** Nodes drawn at most: a whole large dump is filtered to a service first. */
const MAX_NODES = 1500;

/**
 * The Graph view: `rulec graph`'s chain graph drawn in the page (hooks → service chains →
 * endpoints), moved by dragging, the mouse wheel or the arrow keys, zoomed with + and -, and
 * narrowed to one service.
 */
export function graphView(ctx: PageContext): View {
  const panel = el('div');
  const filter = el('select', { id: 'graph-service', 'data-testid': 'graph-filter' });
  const status = el('span', { 'data-testid': 'graph-status', 'aria-live': 'polite' });
  const box = el('div', { class: 'graph-box', tabindex: '0', 'aria-label': 'Chain graph: drag, the mouse wheel or the arrow keys move it; + and - zoom' });
  panel.append(el('div', { class: 'toolbar' }, el('label', { for: 'graph-service' }, 'Service'), filter, status), box);
  let view = { x: 0, y: 0, w: 1000, h: 600 };
  let root: SVGSVGElement | null = null;
  let pending = false;

  const applyView = () => root?.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  const pan = (dx: number, dy: number) => {
    view = { ...view, x: view.x + dx, y: view.y + dy };
    applyView();
  };
  const zoom = (factor: number) => {
    const cx = view.x + view.w / 2;
    const cy = view.y + view.h / 2;
    view = { x: cx - (view.w * factor) / 2, y: cy - (view.h * factor) / 2, w: view.w * factor, h: view.h * factor };
    applyView();
  };

  let drag: { x: number; y: number } | null = null;
  box.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY };
    box.setPointerCapture(e.pointerId);
  });
  box.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const scale = view.w / Math.max(1, box.clientWidth);
    pan((drag.x - e.clientX) * scale, (drag.y - e.clientY) * scale);
    drag = { x: e.clientX, y: e.clientY };
  });
  box.addEventListener('pointerup', () => (drag = null));
  box.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      if (e.ctrlKey) zoom(e.deltaY > 0 ? 1.1 : 1 / 1.1);
      else pan(e.deltaX * (view.w / Math.max(1, box.clientWidth)), e.deltaY * (view.h / Math.max(1, box.clientHeight)));
    },
    { passive: false },
  );
  box.addEventListener('keydown', (e) => {
    const step = view.w / 10;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[e.key];
    if (move) pan(...move);
    else if (e.key === '+' || e.key === '=') zoom(1 / 1.2);
    else if (e.key === '-') zoom(1.2);
    else return;
    e.preventDefault();
  });

  function draw(graph: ChainGraph): void {
    clear(box);
    if (graph.nodes.length > MAX_NODES) {
      status.textContent = `${graph.nodes.length} nodes: pick a service to draw its part.`;
      root = null;
      return;
    }
    status.textContent = `${graph.nodes.length} nodes, ${graph.edges.length} edges`;
    const layout = layoutGraph(graph);
    const edges = svg('g', { class: 'g-edges' });
    for (const e of graph.edges) {
      const a = layout.byId.get(e.from);
      const b = layout.byId.get(e.to);
      if (!a || !b) continue;
      const x1 = a.x + a.width;
      const y1 = a.y + a.height / 2;
      const x2 = b.x;
      const y2 = b.y + b.height / 2;
      const back = x2 <= x1;
      const d = back ? `M${x1},${y1} C${x1 + 60},${y1} ${x2 - 60},${y2} ${x2},${y2}` : `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
      edges.append(svg('path', { d, class: `g-edge${e.style === 'dashed' ? ' dashed' : ''}`, 'marker-end': 'url(#arrow)', 'data-testid': 'graph-edge', 'data-from': e.from, 'data-to': e.to }, svg('title', {}, e.label)));
    }
    const nodes = svg('g', { class: 'g-nodes' });
    for (const n of layout.nodes) {
      nodes.append(
        svg(
          'g',
          { class: `g-node g-${n.kind}`, transform: `translate(${n.x},${n.y})`, 'data-testid': 'graph-node', 'data-id': n.id, 'data-kind': n.kind },
          svg('title', {}, `${n.kind}: ${n.label}`),
          svg('rect', { width: n.width, height: n.height, rx: 4 }),
          svg('text', { x: 8, y: 16 }, n.label),
        ),
      );
    }
    const defs = svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#5b6673' })));
    root = svg('svg', { 'data-testid': 'graph', role: 'img', 'aria-label': `chain graph, ${graph.nodes.length} nodes`, preserveAspectRatio: 'xMinYMin meet' }, defs, edges, nodes);
    view = { x: 0, y: 0, w: Math.max(layout.width, 600), h: Math.max(layout.height, 300) };
    applyView();
    box.append(root);
  }

  async function redraw(): Promise<void> {
    pending = false;
    const graph = await ctx.engine().graph(filter.value || undefined);
    draw(graph);
  }
  filter.addEventListener('change', () => void redraw());

  return {
    id: 'graph',
    label: 'Graph',
    panel,
    render(a: Analysis | null) {
      clear(filter);
      filter.append(el('option', { value: '' }, 'all services'));
      const names = new Set<string>();
      for (const s of a?.services ?? []) {
        const m = /^([a-z0-9][-a-z0-9]*\/[a-z0-9][-a-z0-9.]*)/.exec(s.name);
        if (m?.[1]) names.add(m[1]);
      }
      for (const n of [...names].sort()) filter.append(el('option', { value: n }, n));
      // Drawn when the view is shown: the graph of a large dump costs time nobody may want.
      clear(box);
      status.textContent = '';
      pending = a !== null;
      if (pending && !panel.hidden) void redraw();
    },
    shown() {
      if (pending) void redraw();
    },
  };
}
