import { dotString, mermaidLabel } from '../../display-text.js';
import type { ChainGraph, GraphNode } from './graph.js';

const DOT_SHAPES: Record<GraphNode['kind'], string> = { hook: 'cds', chain: 'box', endpoint: 'ellipse', verdict: 'octagon', ipvs: 'component' };

/** The graph in Graphviz DOT, left to right. */
export function toDot(g: ChainGraph): string {
  const out = ['digraph rulec {', '  rankdir=LR;', '  node [fontname="monospace", fontsize=10];', '  edge [fontname="monospace", fontsize=9];'];
  for (const n of g.nodes) out.push(`  ${dotString(n.id)} [label=${dotString(n.label)}, shape=${DOT_SHAPES[n.kind]}];`);
  for (const e of g.edges) {
    const attrs = [e.label ? `label=${dotString(e.label)}` : '', e.style === 'dashed' ? 'style=dashed' : ''].filter(Boolean).join(', ');
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${attrs ? ` [${attrs}]` : ''};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

const MERMAID_SHAPES: Record<GraphNode['kind'], [string, string]> = { hook: ['[/', '/]'], chain: ['[', ']'], endpoint: ['([', '])'], verdict: ['{{', '}}'], ipvs: ['[[', ']]'] };

/** The graph as a Mermaid flowchart, left to right; every label in quotes, escaped as `mermaidLabel` says. */
export function toMermaid(g: ChainGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i + 1}`]));
  const out = ['flowchart LR'];
  for (const n of g.nodes) {
    const [open, close] = MERMAID_SHAPES[n.kind];
    out.push(`  ${ids.get(n.id)}${open}"${mermaidLabel(n.label)}"${close}`);
  }
  for (const e of g.edges) {
    const arrow = e.style === 'dashed' ? '-.->' : '-->';
    out.push(`  ${ids.get(e.from)} ${arrow}${e.label ? `|"${mermaidLabel(e.label)}"|` : ''} ${ids.get(e.to)}`);
  }
  return `${out.join('\n')}\n`;
}
