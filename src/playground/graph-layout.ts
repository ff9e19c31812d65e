import type { ChainGraph, GraphNode } from '../analysis/graph/graph.js';

/**
 * Where each node of a chain graph is drawn: in columns by how far it is from the hooks (the
 * built-in chains), hooks on the left, endpoints and verdicts on the right; in each column in the
 * order the graph lists the nodes.
 */
export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  nodes: PlacedNode[];
  byId: Map<string, PlacedNode>;
  width: number;
  height: number;
}

const CHAR_WIDTH = 6.8;
const NODE_HEIGHT = 24;
const ROW_GAP = 10;
const COLUMN_GAP = 90;
const MARGIN = 20;

export function layoutGraph(graph: ChainGraph): Layout {
  const out = new Map<string, string[]>();
  for (const e of graph.edges) (out.get(e.from) ?? out.set(e.from, []).get(e.from))?.push(e.to);
  const depth = new Map<string, number>();
  const visit = (roots: readonly string[]) => {
    const queue = roots.filter((r) => !depth.has(r));
    for (const r of queue) depth.set(r, 0);
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i] as string;
      const d = depth.get(id) ?? 0;
      for (const to of out.get(id) ?? []) {
        if (depth.has(to)) continue;
        depth.set(to, d + 1);
        queue.push(to);
      }
    }
  };
  visit(graph.nodes.filter((n) => n.kind === 'hook').map((n) => n.id));
  const targets = new Set(graph.edges.map((e) => e.to));
  visit(graph.nodes.filter((n) => !depth.has(n.id) && !targets.has(n.id)).map((n) => n.id));
  visit(graph.nodes.filter((n) => !depth.has(n.id)).map((n) => n.id));
  // Endpoints and verdicts end the picture: put them in the last column.
  const deepest = Math.max(0, ...[...depth.values()]);
  for (const n of graph.nodes) if (n.kind === 'endpoint' || n.kind === 'verdict') depth.set(n.id, deepest + 1);
  const columns: GraphNode[][] = [];
  for (const n of graph.nodes) (columns[depth.get(n.id) ?? 0] ??= []).push(n);
  // In each column, nodes sit near what jumps to them (the mean row of their predecessors), so
  // that fewer edges cross; side trips that come back (dashed) count for nothing.
  const into = new Map<string, string[]>();
  for (const e of graph.edges) if (e.style === 'solid') (into.get(e.to) ?? into.set(e.to, []).get(e.to))?.push(e.from);
  const row = new Map<string, number>();
  for (const column of columns) {
    if (!column) continue;
    const weight = (n: GraphNode, at: number) => {
      const rows = (into.get(n.id) ?? []).map((p) => row.get(p)).filter((r): r is number => r !== undefined);
      return rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.MAX_SAFE_INTEGER - column.length + at;
    };
    const keyed = column.map((n, at) => ({ n, w: weight(n, at), at }));
    keyed.sort((a, b) => a.w - b.w || a.at - b.at);
    keyed.forEach((k, i) => {
      column[i] = k.n;
      row.set(k.n.id, i);
    });
  }
  const nodes: PlacedNode[] = [];
  let x = MARGIN;
  let height = 0;
  for (const column of columns) {
    if (!column) continue;
    const width = Math.max(...column.map((n) => n.label.length * CHAR_WIDTH + 16));
    let y = MARGIN;
    for (const n of column) {
      nodes.push({ ...n, x, y, width, height: NODE_HEIGHT });
      y += NODE_HEIGHT + ROW_GAP;
    }
    height = Math.max(height, y);
    x += width + COLUMN_GAP;
  }
  return { nodes, byId: new Map(nodes.map((n) => [n.id, n])), width: x - COLUMN_GAP + MARGIN, height: height + MARGIN };
}
