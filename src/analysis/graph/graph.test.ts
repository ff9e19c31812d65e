import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadRules } from '../input/load-rules.js';
import { relevantRuleSets } from '../input/relevant.js';
import { CONFORMANCE } from '../../../test/support/trace.js';
import { buildGraph } from './graph.js';
import { toDot, toMermaid } from './render.js';

const sets = relevantRuleSets(loadRules([join(CONFORMANCE, 'iptables', 'overall-iptables-rules', 'input.yaml')], { readStdin: () => '' }));

describe('graph', () => {
  const g = buildGraph(sets);
  const edge = (from: string, to: string) => g.edges.filter((e) => e.from === from && e.to === to).map((e) => e.label);

  it('goes from the hooks through the dispatch to the service and endpoint chains', () => {
    expect(edge('nat/PREROUTING', 'nat/KUBE-SERVICES')).toEqual(['']);
    expect(edge('nat/KUBE-SERVICES', 'nat/KUBE-SVC-4SW47YFZTEDKD3PK')).toEqual(['172.30.0.44:80/tcp cluster IP']);
    expect(edge('nat/KUBE-SVC-4SW47YFZTEDKD3PK', 'nat/KUBE-SEP-UKSFD7AGPMPPLUHC')).toEqual(['50%']);
    expect(edge('nat/KUBE-SEP-UKSFD7AGPMPPLUHC', 'ep/10.180.0.4:80')).toEqual(['DNAT']);
    expect(edge('filter/KUBE-SERVICES', 'verdict/REJECT')).toEqual(['172.30.0.46:80/tcp']);
    expect(g.edges.find((e) => e.to === 'nat/KUBE-MARK-MASQ')?.style).toBe('dashed');
    expect(g.nodes.find((n) => n.id === 'nat/PREROUTING')?.kind).toBe('hook');
  });

  it('--service keeps only that Service and the way to it', () => {
    const s = buildGraph(sets, { service: 'ns4/svc4' });
    const chains = new Set(s.nodes.map((n) => n.id));
    expect(chains.has('nat/KUBE-SVC-4SW47YFZTEDKD3PK')).toBe(true);
    expect(chains.has('nat/PREROUTING')).toBe(true);
    expect([...chains].filter((c) => /KUBE-SVC-/.test(c))).toEqual(['nat/KUBE-SVC-4SW47YFZTEDKD3PK']);
    expect(s.nodes.filter((n) => n.kind === 'endpoint').map((n) => n.label).sort()).toEqual(['10.180.0.4:80', '10.180.0.5:80']);
  });

  it('prints DOT and Mermaid with every label escaped', () => {
    const tiny = { nodes: [{ id: 'a"b', label: 'x "y" <z>|w', kind: 'chain' as const }, { id: 'c', label: 'c', kind: 'verdict' as const }], edges: [{ from: 'a"b', to: 'c', label: 'l"1', style: 'dashed' as const }] };
    expect(toDot(tiny)).toBe(
      'digraph rulec {\n  rankdir=LR;\n  node [fontname="monospace", fontsize=10];\n  edge [fontname="monospace", fontsize=9];\n  "a\\"b" [label="x \\"y\\" <z>|w", shape=box];\n  "c" [label="c", shape=octagon];\n  "a\\"b" -> "c" [label="l\\"1", style=dashed];\n}\n',
    );
    expect(toMermaid(tiny)).toBe('flowchart LR\n  n1["x #quot;y#quot; #lt;z#gt;#124;w"]\n  n2{{"c"}}\n  n1 -.->|"l#quot;1"| n2\n');
  });

  it.skipIf(spawnSync('sh', ['-c', 'command -v dot']).status !== 0)('renders with Graphviz', () => {
    const r = spawnSync('dot', ['-Tsvg'], { input: toDot(g), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('<svg');
  });
});
