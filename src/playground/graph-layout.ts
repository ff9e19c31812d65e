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
